"""Every review action: one function, one transaction, its audit event, its grants and its document.

Lock order (no deadlocks between these services): the project row first, then the opinion or
invitation, then — inside ``issue_document`` — the agency's 发文字号 counter. Each service re-reads
what it acts on under the project lock and compares it with what the caller saw: when someone acted
first the caller gets a ``Conflict`` and nothing is changed (20 signers of one opinion → one signs;
20 approvals of one project → one 批复, one number).

The project's own transitions (``to_evaluation``, ``approve``, ``approve_feasibility``, ``reject``) are
called here, inside these transactions; accepting and returning go through projects' services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govinfo.audit import trail
from govinfo.formats import official_datetime
from govinfo.orgs import roles
from govinfo.orgs.models import Agency, Role
from govinfo.workdays.days import add_working_days
from projects import permissions as project_permissions
from projects import revisions
from projects import services as project_services
from projects.guards import ActionRefused, Conflict, NotAllowed
from projects.models import ApprovalPath, Mode, Project, State, TwoStepStage
from projects.permissions import require
from projects.services import locked, sync

from . import letters, permissions
from .documents import issue_document
from .guards import current_opinions
from .models import (
    Conclusion,
    ExpertInvitation,
    IssuedDocument,
    Opinion,
    ReviewRound,
    ReviewStage,
    ReviewTask,
)


def due_date():
    return add_working_days(timezone.localdate(), settings.REVIEW_DUE_WORKING_DAYS)


def stage_for(project: Project) -> str:
    """The document under review (川办法 第十八、十九条)."""
    if project.implementation_mode == Mode.PURCHASE:
        return ReviewStage.SERVICE_PLAN
    if project.approval_path == ApprovalPath.TWO_STEP:
        if project.two_step_stage == TwoStepStage.PRELIMINARY_DESIGN:
            return ReviewStage.PRELIMINARY_DESIGN
        return ReviewStage.FEASIBILITY
    return ReviewStage.IMPLEMENTATION


def _open_task(round: ReviewRound, agency: Agency, *, added_by_ndrc: bool = False) -> ReviewTask:
    task = ReviewTask.objects.create(
        round=round, agency=agency, due_date=due_date(), added_by_ndrc=added_by_ndrc
    )
    # The agency's members see the project from now on, and keep seeing the case they reviewed.
    project_permissions.grant_agency(round.project, agency)
    return task


# -- R-REV-1: accept into review, open the round and its tasks --------------------------------------


@transaction.atomic
def accept_into_review(project: Project, *, by) -> ReviewRound:
    """NDRC accepts a submitted application: round N of its stage, one task per default agency (R-REV-1)."""
    require(permissions.may_accept(by, project))
    project_services.accept_for_review(project, by=by)  # locks the project, checks and records the transition
    stage = stage_for(project)
    number = ReviewRound.objects.filter(project=project, stage=stage).count() + 1
    round = ReviewRound.objects.create(
        project=project, stage=stage, number=number, opened_by=by, revision=revisions.latest(project)
    )
    agencies = Agency.objects.active().filter(reviews_by_default=True).order_by("sort_order", "code")
    tasks = [_open_task(round, agency) for agency in agencies]
    trail.record(
        "approvals.round.opened",
        actor=by,
        target=project,
        details={
            "round": str(round),
            "agencies": [task.agency.display_name for task in tasks],
            "due_date": tasks[0].due_date if tasks else None,
        },
    )
    return round


@transaction.atomic
def add_agency(round: ReviewRound, agency: Agency, *, by) -> ReviewTask:
    """NDRC asks an optional agency (密码管理局, 保密局, …) for its opinion in the open round (R-REV-1)."""
    project = locked(round.project, "增派审核机构", check_state=False)
    round = ReviewRound.objects.select_related("project").get(pk=round.pk)
    require(permissions.may_add_agency(by, round))
    if agency.kind == Agency.Kind.OVERSIGHT or not agency.doc_prefix or not agency.is_active:
        raise NotAllowed(f"{agency.display_name}不是审核机构，不能出具审核意见。")
    if round.tasks.filter(agency=agency).exists():
        raise NotAllowed(f"{agency.display_name}已在本轮审核机构之列。")
    task = _open_task(round, agency, added_by_ndrc=True)
    trail.record(
        "approvals.task.added", actor=by, target=project, details={"round": str(round), "agency": agency.name}
    )
    return task


@transaction.atomic
def assign_task(task: ReviewTask, assignee, *, by) -> ReviewTask:
    """Hand the task to a colleague of the same agency (shown on their to-do list)."""
    locked(task.round.project, "分派", check_state=False)
    task = ReviewTask.objects.select_related("round__project", "agency").get(pk=task.pk)
    require(permissions.may_assign(by, task))
    if not any(
        agency.pk == task.agency_id for agency in roles.agencies_of(assignee, Role.REVIEWER, Role.SIGNER)
    ):
        raise NotAllowed(f"只能分派给{task.agency.display_name}的审核人员。")
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
    locked(task.round.project, "保存审核意见", check_state=False)
    task = ReviewTask.objects.select_related("round__project", "agency").get(pk=task.pk)
    require(permissions.may_draft(by, task))
    if conclusion not in Conclusion.values:
        raise NotAllowed("请选择审核结论：同意、原则同意（附修改意见）或不同意。")
    if not (text or "").strip():
        raise NotAllowed("请填写审核意见。")
    if conclusion == Conclusion.AGREE_WITH_CHANGES and not (conditions or "").strip():
        raise NotAllowed("结论为“原则同意（附修改意见）”时，须写明修改意见。")
    draft = task.opinions.filter(status=Opinion.Status.DRAFT).first()
    if draft is None:
        latest = task.opinions.signed().order_by("-signed_at", "-id").first()
        draft = Opinion(task=task, drafted_by=by, supersedes=latest)
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


@transaction.atomic
def sign_opinion(opinion: Opinion, *, by) -> Opinion:
    """The agency's signer signs: the opinion freezes, its 审核意见书 is issued (R-REV-2, R-REV-6).

    When this was the last unsigned opinion of the round, the project moves on to evaluation
    (all opinions in: NDRC's expert evaluation and decision, R-REV-4).
    """
    project = locked(opinion.task.round.project, "签署", check_state=False)
    fresh = (
        Opinion.objects.select_for_update()
        .select_related("task__round__project", "task__agency")
        .get(pk=opinion.pk)
    )
    if fresh.is_signed:
        raise Conflict(
            f"该审核意见已由{fresh.signed_by.display_name}于{official_datetime(fresh.signed_at)}"
            "签署，未再次签署。请刷新页面查看。"
        )
    require(permissions.may_sign(by, fresh))
    task = fresh.task
    task.round.project = project
    fresh.task = task
    now = timezone.now()
    fresh.status = Opinion.Status.SIGNED
    fresh.signed_by = by
    fresh.signed_at = now
    document = issue_document(
        kind=IssuedDocument.Kind.OPINION,
        agency=task.agency,
        title=letters.opinion_title(project, task.round.stage),
        addressee=Agency.objects.get(code=permissions.NDRC).name,
        body=letters.opinion_body(fresh),
        project_code=project.code or "",
        project_name=project.name,
        signer_agency_name=task.agency.name,
        date=timezone.localdate(),
        issued_by=by,
        target=fresh,
    )
    fresh.document = document
    fresh.save()
    task.status = ReviewTask.Status.SIGNED
    task.closed_at = now
    task.save(update_fields=["status", "closed_at"])
    trail.record(
        "approvals.opinion.signed",
        actor=by,
        target=project,
        details={
            "agency": task.agency.name,
            "conclusion": fresh.get_conclusion_display(),
            "doc_number": document.doc_number,
            "supersedes": fresh.supersedes.document.doc_number if fresh.supersedes_id else "",
        },
    )
    if (
        project.state == State.IN_REVIEW
        and not task.round.tasks.exclude(status=ReviewTask.Status.SIGNED).exists()
    ):
        project.to_evaluation()
        project.save()
        trail.record(
            "approvals.project.to_evaluation",
            actor=by,
            target=project,
            from_state=State.IN_REVIEW,
            to_state=project.state,
            details={"round": str(task.round)},
        )
    opinion.refresh_from_db()
    return opinion


# -- R-REV-5: return -------------------------------------------------------------------------------


@transaction.atomic
def return_application(project: Project, *, by, reason: str) -> Project:
    """Send the application back (R-REV-5): open tasks of the round close, the round stays on record."""
    fresh = locked(project, "退回")
    require(permissions.may_return(by, fresh))
    reason = (reason or "").strip()
    if not reason:
        raise NotAllowed("退回须写明理由，以便项目单位修改（R-REV-5）。")
    project_services.return_for_revision(fresh, by=by, reason=reason)
    round = permissions.open_round(fresh)
    if round is not None:
        now = timezone.now()
        round.tasks.filter(status=ReviewTask.Status.OPEN).update(
            status=ReviewTask.Status.CLOSED, closed_at=now
        )
        round.status = ReviewRound.Status.RETURNED
        round.outcome = ReviewRound.Outcome.RETURNED
        round.reason = reason
        round.closed_at = now
        round.closed_by = by
        round.save()
        trail.record(
            "approvals.round.returned",
            actor=by,
            target=fresh,
            details={"round": str(round), "reason": reason},
        )
    return sync(project)


# -- R-REV-4: experts ------------------------------------------------------------------------------


@transaction.atomic
def invite_expert(project: Project, expert, *, by) -> ExpertInvitation:
    fresh = locked(project, "邀请专家", check_state=False)
    require(permissions.may_invite_expert(by, fresh))
    if not roles.has_role(expert, Role.EXPERT):
        raise NotAllowed(f"{expert.display_name}不在专家库中，不能邀请。")
    round = permissions.open_round(fresh)
    if round.expert_invitations.filter(expert=expert).exists():
        raise NotAllowed(f"已邀请{expert.display_name}评估本轮申报。")
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
    project = locked(invitation.round.project, "提交评估意见", check_state=False)
    fresh = ExpertInvitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)
    if fresh.is_submitted and fresh.expert_id == by.pk:
        raise Conflict("评估意见已提交，未重复提交。")
    require(permissions.may_give_expert_opinion(by, fresh))
    if recommendation not in Conclusion.values or not (opinion or "").strip():
        raise NotAllowed("请选择评估结论并填写评估意见。")
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


@transaction.atomic
def approve(project: Project, *, by) -> IssuedDocument:
    """NDRC approves: the 批复 is issued and the project is approved — or, for a two-step project at its
    可研 stage, goes back to the unit as a draft for the 初步设计 (R-APP-8, R-APP-9)."""
    fresh = locked(project, "批复")
    require(permissions.may_decide(by, fresh, approving=True))
    round = permissions.open_round(fresh)
    opinions = sorted(
        current_opinions(round).values(), key=lambda o: (o.task.agency.sort_order, o.task.agency.code)
    )
    ndrc = Agency.objects.get(code=permissions.NDRC)
    document = issue_document(
        kind=IssuedDocument.Kind.APPROVAL,
        agency=ndrc,
        title=letters.approval_title(fresh, round.stage),
        addressee=fresh.lead_unit.name,
        body=letters.approval_body(fresh, round, opinions),
        project_code=fresh.code or "",
        project_name=fresh.name,
        cc=letters.approval_cc(opinions),
        signer_agency_name=ndrc.name,
        date=timezone.localdate(),
        issued_by=by,
        target=round,
    )
    from_state = fresh.state
    if round.stage == ReviewStage.FEASIBILITY:
        fresh.approve_feasibility()
    else:
        fresh.approve()
    fresh.save()
    round.status = ReviewRound.Status.DECIDED
    round.outcome = ReviewRound.Outcome.APPROVED
    round.decision_document = document
    round.closed_at = timezone.now()
    round.closed_by = by
    round.save()
    trail.record(
        "approvals.project.approved",
        actor=by,
        target=fresh,
        from_state=from_state,
        to_state=fresh.state,
        details={"doc_number": document.doc_number, "title": document.title, "round": str(round)},
    )
    sync(project)
    return document


@transaction.atomic
def reject(project: Project, *, by, reason: str) -> Project:
    """不予批复 (final). The decision and its reasons are recorded on the round; no document is issued."""
    fresh = locked(project, "作出不予批复决定")
    require(permissions.may_decide(by, fresh, approving=False))
    reason = (reason or "").strip()
    if not reason:
        raise NotAllowed("不予批复须写明理由。")
    round = permissions.open_round(fresh)
    from_state = fresh.state
    fresh.reject()
    fresh.save()
    round.status = ReviewRound.Status.DECIDED
    round.outcome = ReviewRound.Outcome.REJECTED
    round.reason = reason
    round.closed_at = timezone.now()
    round.closed_by = by
    round.save()
    trail.record(
        "approvals.project.rejected",
        actor=by,
        target=fresh,
        from_state=from_state,
        to_state=fresh.state,
        details={"reason": reason, "round": str(round)},
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
