"""Every review action: one function, one transaction, its audit event, its grants and its document.

The steps that change a state — accept, return, sign, approve, reject — are rows of the lifecycle table
(``approvals/lifecycle.py``) taken with ``govinfo.workflow.perform``: it locks the case, compares the state
the caller saw (``expected_state``), asks who and the rules, transitions, runs the row's effect (tasks
opened or closed, the document issued) and writes the event. The other actions here (assigning, drafting,
inviting experts) change no state; they hold the case's lock the same way.

Lock order (no deadlocks between these services): the project row first, then the opinion or
invitation, then — inside ``issue_document`` — the agency's 发文字号 counter. When someone acted first
the caller gets a ``Conflict`` and nothing is changed (20 signers of one opinion → one signs; 20
approvals of one project → one 批复, one number).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo import workflow
from govinfo.audit import trail
from govinfo.errors import Conflict, NotAllowed, Refused
from govinfo.formats import display_datetime
from govinfo.orgs import roles
from govinfo.orgs.models import Agency, Role
from projects.models import Project
from projects.permissions import require
from projects.services import sync

from . import letters, permissions
from .lifecycle import due_date, open_task
from .models import (
    Conclusion,
    ExpertInvitation,
    IssuedDocument,
    Opinion,
    ReviewRound,
    ReviewStage,
    ReviewTask,
)

ActionRefused = Refused


def _case(project: Project, doing) -> Project:
    """The case locked for an action that changes no state (any state the action itself allows)."""
    return workflow.hold(project, doing=doing, expected_state=None)


# -- R-REV-1: accept into review, open the round and its tasks --------------------------------------


def accept_into_review(project: Project, *, by, expected_state: str | None = None) -> ReviewRound:
    """NDRC accepts a submitted application: round N of its stage, one task per default agency (R-REV-1)."""
    seen = project.state if expected_state is None else expected_state
    accepted = workflow.perform(project, "accept_for_review", by=by, expected_state=seen)
    sync(project)
    return accepted.step_result


@transaction.atomic
def add_agency(round: ReviewRound, agency: Agency, *, by) -> ReviewTask:
    """NDRC asks a further agency for its opinion in the open round (R-REV-1: "NDRC may add others"), or one
    that became required after the round was opened."""
    project = _case(round.project, _("增派审核机构"))
    round = ReviewRound.objects.select_related("project").get(pk=round.pk)
    require(permissions.may_add_agency(by, round))
    if agency.kind == Agency.Kind.OVERSIGHT or not agency.doc_prefix or not agency.is_active:
        raise NotAllowed(_("%(agency)s不是审核机构，不能出具审核意见。") % {"agency": agency.display_name})
    if round.tasks.filter(agency=agency).exists():
        raise NotAllowed(_("%(agency)s已在本轮审核机构之列。") % {"agency": agency.display_name})
    task = open_task(round, agency, added_by_ndrc=True)
    trail.record(
        "approvals.task.added", actor=by, target=project, details={"round": str(round), "agency": agency.name}
    )
    return task


@transaction.atomic
def assign_task(task: ReviewTask, assignee, *, by) -> ReviewTask:
    """Hand the task to a colleague of the same agency (shown on their to-do list)."""
    _case(task.round.project, _("分派"))
    task = ReviewTask.objects.select_related("round__project", "agency").get(pk=task.pk)
    require(permissions.may_assign(by, task))
    if not any(
        agency.pk == task.agency_id for agency in roles.agencies_of(assignee, Role.REVIEWER, Role.SIGNER)
    ):
        raise NotAllowed(_("只能分派给%(agency)s的审核人员。") % {"agency": task.agency.display_name})
    task.assignee = assignee
    task.save(update_fields=["assignee"])
    trail.record(
        "approvals.task.assigned",
        actor=by,
        target=task.round.project,
        details={"agency": task.agency.name, "assignee": assignee.display_name},
    )
    return task


# -- R-REV-2: draft, sign, correct --------------------------------------------------------------


@transaction.atomic
def save_draft(task: ReviewTask, *, by, conclusion: str, text: str, conditions: str = "") -> Opinion:
    """Write or rewrite the task's draft opinion. After signing, a new draft is a correction."""
    _case(task.round.project, _("保存审核意见"))
    task = ReviewTask.objects.select_related("round__project", "agency").get(pk=task.pk)
    require(permissions.may_draft(by, task))
    if conclusion not in Conclusion.values:
        raise Refused(_("请选择审核结论：同意、原则同意（附修改意见）或不同意。"))
    if not (text or "").strip():
        raise Refused(_("请填写审核意见。"))
    if conclusion == Conclusion.AGREE_WITH_CHANGES and not (conditions or "").strip():
        raise Refused(_("结论为“原则同意（附修改意见）”时，须写明修改意见。"))
    too_long = _opinion_too_long(text.strip(), (conditions or "").strip())
    if too_long:
        raise Refused(too_long)
    draft = task.opinions.filter(status=Opinion.Status.DRAFT).first()
    if draft is None:
        latest = task.opinions.signed().order_by("-signed_at", "-id").first()
        draft = Opinion(task=task, drafted_by=by, supersedes=latest, version=0)
    draft.version += 1
    draft.conclusion = conclusion
    draft.text = text.strip()
    draft.conditions = (conditions or "").strip()
    draft.drafted_by = by
    draft.drafted_at = timezone.now()
    draft.save()
    trail.record(
        "approvals.opinion.drafted",
        actor=by,
        target=task.round.project,
        details={"agency": task.agency.name, "conclusion": draft.get_conclusion_display()},
    )
    return draft


def _opinion_too_long(text: str, conditions: str) -> str:
    """An opinion is the agency's own reasoned text, a few pages at most (its 审核意见书 prints it whole)."""
    if len(text) > letters.OPINION_TEXT_LIMIT:
        return _("审核意见不超过%(limit)d字（现为%(n)d字）。") % {
            "limit": letters.OPINION_TEXT_LIMIT,
            "n": len(text),
        }
    if len(conditions) > letters.OPINION_CONDITIONS_LIMIT:
        return _("修改意见或批复条件不超过%(limit)d字（现为%(n)d字）。") % {
            "limit": letters.OPINION_CONDITIONS_LIMIT,
            "n": len(conditions),
        }
    return ""


def sign_opinion(opinion: Opinion, *, by, version: int | None = None) -> Opinion:
    """The agency's signer signs: the opinion freezes, its 审核意见书 is issued (R-REV-2, R-REV-6).

    ``version`` is the draft the signer previewed on the confirmation page: a draft rewritten since is
    not signed (``Conflict``). When this was the last unsigned opinion of the round, the project moves on
    to evaluation (all opinions in: NDRC's expert evaluation and decision, R-REV-4).
    """
    try:
        workflow.perform(opinion, "sign", by=by, kwargs={"by": by}, effect_kwargs={"version": version})
    except (Conflict, NotAllowed):  # tell who signed first, when that is what happened
        signed = Opinion.objects.select_related("signed_by").get(pk=opinion.pk)
        if not signed.is_signed or permissions.who_signs(by, signed) is not None:
            raise
        raise Conflict(
            _("该审核意见已由%(signer)s于%(when)s签署，未再次签署。请刷新页面查看。")
            % {"signer": signed.signed_by.display_name, "when": display_datetime(signed.signed_at)}
        ) from None
    opinion.refresh_from_db()
    return opinion


# -- R-REV-5: return -------------------------------------------------------------------------------


def return_application(project: Project, *, by, reason: str, expected_state: str | None = None) -> Project:
    """Send the application back (R-REV-5): open tasks of the round close, the round stays on record."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("退回须写明理由，以便项目单位修改（R-REV-5）。"))
    seen = project.state if expected_state is None else expected_state
    workflow.perform(
        project,
        "return_for_revision",
        by=by,
        expected_state=seen,
        kwargs={"reason": reason},
        effect_kwargs={"reason": reason},
    )
    return sync(project)


# -- R-REV-4: experts ------------------------------------------------------------------------------


@transaction.atomic
def invite_expert(project: Project, expert, *, by) -> ExpertInvitation:
    fresh = _case(project, _("邀请专家"))
    require(permissions.may_invite_expert(by, fresh))
    if not roles.has_role(expert, Role.EXPERT):
        raise NotAllowed(_("%(expert)s不在专家库中，不能邀请。") % {"expert": expert.display_name})
    round = permissions.open_round(fresh)
    if round.expert_invitations.filter(expert=expert).exists():
        raise NotAllowed(_("已邀请%(expert)s评估本轮申报。") % {"expert": expert.display_name})
    invitation = ExpertInvitation.objects.create(
        round=round, expert=expert, invited_by=by, due_date=due_date()
    )
    permissions.grant_expert(fresh, expert)
    trail.record(
        "approvals.expert.invited",
        actor=by,
        target=fresh,
        details={"expert": expert.display_name, "round": str(round)},
    )
    return invitation


@transaction.atomic
def submit_expert_opinion(
    invitation: ExpertInvitation, *, by, recommendation: str, opinion: str
) -> ExpertInvitation:
    project = _case(invitation.round.project, _("提交评估意见"))
    fresh = ExpertInvitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)
    if fresh.is_submitted and fresh.expert_id == by.pk:
        raise Conflict(_("评估意见已提交，未重复提交。"))
    require(permissions.may_give_expert_opinion(by, fresh))
    if recommendation not in Conclusion.values or not (opinion or "").strip():
        raise Refused(_("请选择评估结论并填写评估意见。"))
    fresh.recommendation = recommendation
    fresh.opinion = opinion.strip()
    fresh.submitted_at = timezone.now()
    fresh.save(update_fields=["recommendation", "opinion", "submitted_at"])
    trail.record(
        "approvals.expert.submitted",
        actor=by,
        target=project,
        details={"expert": by.display_name, "recommendation": fresh.get_recommendation_display()},
    )
    return fresh


# -- R-REV-3: the decision -------------------------------------------------------------------------


def approve(
    project: Project, *, by, expected_state: str | None = None, draft_version: int | None = None
) -> IssuedDocument:
    """NDRC approves: the 批复 is issued from NDRC's draft (``decisions``) and the project is approved — or,
    for a two-step project at its 可研 stage, goes back to the unit as a draft for the 初步设计 (R-APP-8,
    R-APP-9). ``draft_version`` is the draft the confirmation showed (a draft edited since: ``Conflict``);
    without it the saved draft, or the pre-fill, is issued (the demo, scripts). The unit is notified."""
    round = permissions.open_round(project)
    name = (
        "approve_feasibility" if round is not None and round.stage == ReviewStage.FEASIBILITY else "approve"
    )
    seen = project.state if expected_state is None else expected_state
    approved = workflow.perform(
        project, name, by=by, expected_state=seen, effect_kwargs={"draft_version": draft_version}
    )
    sync(project)
    return approved.step_result


def reject(
    project: Project,
    *,
    by,
    reason: str = "",
    expected_state: str | None = None,
    draft_version: int | None = None,
) -> Project:
    """不予批复 (final): the round is decided and NDRC's 不予批复函 issued (R-REV-6); the unit is notified.

    The reasons are the confirmed draft's (``draft_version``), or ``reason`` written into the draft."""
    reason = (reason or "").strip()
    if draft_version is None and not reason:
        raise Refused(_("不予批复须写明理由。"))
    seen = project.state if expected_state is None else expected_state
    workflow.perform(
        project,
        "reject",
        by=by,
        expected_state=seen,
        effect_kwargs={"reason": reason if draft_version is None else "", "draft_version": draft_version},
    )
    return sync(project)


__all__ = [
    "ActionRefused",
    "Conflict",
    "NotAllowed",
    "accept_into_review",
    "add_agency",
    "approve",
    "assign_task",
    "invite_expert",
    "reject",
    "return_application",
    "save_draft",
    "sign_opinion",
    "submit_expert_opinion",
]
