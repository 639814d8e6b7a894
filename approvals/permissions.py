"""Who may see and do what in approvals. Every view asks here; deny by default.

Review (issue 5). Who follows a project's review, and sees its rounds and signed opinions:
NDRC (every project submitted to it), an agency with a task on the project in any round, an expert
NDRC invited to it, the project's own units (lead and participating), auditors and administrators
(read-only). Draft opinions are seen only by the drafting agency and auditors. Agencies keep view
on a project they reviewed after its round closes (their signed opinions stay part of the record);
an expert gets view on the invited project only, as a per-user grant (invitations are per person).

Issued documents are the platform's (``govinfo.documents.access``); approvals registers who else follows
a review document's project (``approvals.document_access``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from govinfo import workflow
from govinfo.formats import clauses
from govinfo.orgs import roles
from govinfo.orgs.models import Agency, Role
from govinfo.rules import cite
from projects import access
from projects.models import Project, ProjectParticipant, State

from .guards import ART_REV_1, ART_REV_2, ART_REV_4, ART_REV_5
from .models import ExpertInvitation, Opinion, ReviewRound, ReviewStage, ReviewTask

# -- the review workflow: who follows a case's review is the access module's answer ----------------

NDRC = access.NDRC
REVIEW_STATES = (State.SUBMITTED, State.IN_REVIEW, State.EVALUATION)


def _agencies(user) -> list[Agency]:
    return roles.agencies_of(user, Role.REVIEWER, Role.SIGNER)


def is_ndrc_signer(user) -> bool:
    return any(agency.code == NDRC for agency in roles.agencies_of(user, Role.SIGNER))


def _is_unit_of(user, project: Project) -> bool:
    units = {unit.pk for unit in roles.units_of(user)}
    if not units:
        return False
    if project.lead_unit_id in units:
        return True
    return ProjectParticipant.objects.filter(project=project, unit_id__in=units).exists()


def _has_review(project: Project) -> bool:
    """A case has a review once it has been submitted: never-submitted drafts have none to show."""
    return project.first_submitted_at is not None


def review_role(user, project: Project) -> str:
    """How ``user`` follows this project's review: "ndrc", "reviewer", "expert", "unit", "reader" or "".

    Empty exactly when the access module hides the case or it was never submitted, so the review
    list (``review_projects_for``) and this page agree.
    """
    if project is None or not _has_review(project) or not access.can_view(user, project):
        return ""
    if access.is_ndrc(user):
        return "ndrc"
    if access.is_read_only(user):
        return "reader"
    agencies = [agency.pk for agency in _agencies(user)]
    if agencies and ReviewTask.objects.filter(round__project=project, agency_id__in=agencies).exists():
        return "reviewer"
    if ExpertInvitation.objects.filter(round__project=project, expert=user).exists():
        return "expert"
    if _is_unit_of(user, project):
        return "unit"
    return "reader"


def get_review_project_for_user(user, pk) -> tuple[Project, str]:
    """The project and the user's review role; 404 for anyone who does not follow its review."""
    project = access.get_case(user, pk, queryset=Project.objects.filter(first_submitted_at__isnull=False))
    return project, review_role(user, project)


def review_projects_for(user) -> QuerySet[Project]:
    """Projects whose review ``user`` follows (the same decision as ``review_role``), for lists."""
    return access.visible(user).filter(first_submitted_at__isnull=False).select_related("lead_unit")


def may_see_drafts(user, task: ReviewTask) -> bool:
    """Draft opinions stay inside the drafting agency (and are open to auditors)."""
    return any(agency.pk == task.agency_id for agency in _agencies(user)) or roles.is_auditor(user)


def visible_opinions(user, task: ReviewTask, opinions) -> list[Opinion]:
    if may_see_drafts(user, task):
        return list(opinions)
    return [opinion for opinion in opinions if opinion.is_signed]


def open_round(project: Project) -> ReviewRound | None:
    return project.review_rounds.filter(status=ReviewRound.Status.OPEN).first()


# -- who may take each step of the lifecycle table (approvals/lifecycle.py): a reason, or None ------


def who_accepts(user, project: Project) -> str | None:
    if not access.is_ndrc(user):
        return cite("R-REV-1", ART_REV_1, _("只有省发展改革委可以受理项目申报。"))
    return None


def who_returns(user, project: Project) -> str | None:
    """R-REV-5: NDRC, or an agency with a task in the open round, may return the application."""
    if access.is_ndrc(user):
        return None
    agencies = [agency.pk for agency in _agencies(user)]
    if (
        agencies
        and ReviewTask.objects.filter(
            round__project=project, round__status=ReviewRound.Status.OPEN, agency_id__in=agencies
        ).exists()
    ):
        return None
    return cite("R-REV-5", ART_REV_5, _("只有本轮参与审核的机构或省发展改革委可以退回申报。"))


def who_decides(user, project: Project) -> str | None:
    if not is_ndrc_signer(user):
        return cite("R-REV-3", ART_REV_4, _("只有省发展改革委签发人可以作出批复或不予批复决定。"))
    return None


def who_signs(user, opinion: Opinion) -> str | None:
    task = opinion.task
    if not roles.is_signer_for(user, task.agency):
        return cite(
            "R-REV-2",
            ART_REV_2,
            _("只有%(agency)s的签发人可以签署本机构的审核意见。") % {"agency": task.agency.display_name},
        )
    allowed, reason = _open_task(user, task)
    return None if allowed else reason


# -- may the user take this action now? Each answers (allowed, reason) -------------------------


def may_accept(user, project: Project) -> tuple[bool, str]:
    return workflow.may(project, user, "accept_for_review")


def may_return(user, project: Project) -> tuple[bool, str]:
    return workflow.may(project, user, "return_for_revision")


def may_sign(user, opinion: Opinion) -> tuple[bool, str]:
    return workflow.may(opinion, user, "sign")


def may_decide(user, project: Project, *, approving: bool, failures=None) -> tuple[bool, str]:
    """NDRC's signer approves or rejects once the opinions are in (R-REV-3, R-REV-4).

    ``failures``: the decision guard's answer (``guards.decision_failures``) when the caller has it
    already — a page computes it once and lists it — instead of asking the guard again."""
    name = "reject"
    if approving:
        round = open_round(project)
        feasibility = round is not None and round.stage == ReviewStage.FEASIBILITY
        name = "approve_feasibility" if feasibility else "approve"
    if failures is None:
        return workflow.may(project, user, name)
    allowed, reason = workflow.may(project, user, name, check_rules=False)
    if allowed and failures:
        return False, clauses(str(f) for f in failures)
    return allowed, reason


# -- NDRC's decision texts (批复 / 不予批复函): drafted by NDRC, read by auditors, issued by NDRC's signer --


def may_view_decision_draft(user, project: Project) -> tuple[bool, str]:
    """NDRC's staff draft the decision; auditors read the draft and its preview (read-only, DOMAIN §1)."""
    if access.is_ndrc(user) or access.is_read_only(user):
        return True, ""
    return False, cite(
        "R-REV-3", ART_REV_4, _("批复和不予批复文稿由省发展改革委起草，其他单位和机构不能查看。")
    )


def may_edit_decision_draft(user, project: Project) -> tuple[bool, str]:
    if access.is_read_only(user):
        return False, str(workflow.READ_ONLY_REFUSAL)
    if not access.is_ndrc(user):
        return False, cite("R-REV-3", ART_REV_4, _("只有省发展改革委可以起草批复或不予批复文稿。"))
    if project.state not in (State.IN_REVIEW, State.EVALUATION) or open_round(project) is None:
        return False, _("项目当前状态为“%(state)s”，没有待作出的决定，文稿不能再修改。") % {
            "state": project.get_state_display()
        }
    return True, ""


def _open_task(user, task: ReviewTask) -> tuple[bool, str]:
    if access.is_read_only(user):
        return False, str(workflow.READ_ONLY_REFUSAL)
    if not any(agency.pk == task.agency_id for agency in _agencies(user)):
        return False, _("只有%(agency)s的审核人员可以办理该审核任务。") % {"agency": task.agency.display_name}
    if task.status == ReviewTask.Status.CLOSED or not task.round.is_open:
        return False, _("该审查轮次已结束，审核任务已关闭。")
    return True, ""


def may_assign(user, task: ReviewTask) -> tuple[bool, str]:
    allowed, reason = _open_task(user, task)
    if allowed and task.status != ReviewTask.Status.OPEN:
        return False, _("审核意见已签署，无需再分派。")
    return allowed, reason


def may_draft(user, task: ReviewTask) -> tuple[bool, str]:
    """A reviewer of the task's agency drafts (or corrects, once signed) while the round is open."""
    return _open_task(user, task)


def may_add_agency(user, round: ReviewRound) -> tuple[bool, str]:
    if access.is_read_only(user) or not access.is_ndrc(user):
        return False, cite("R-REV-1", ART_REV_1, _("只有省发展改革委可以增派审核机构。"))
    if not round.is_open or round.project.state not in (State.IN_REVIEW, State.EVALUATION):
        return False, _("只有正在审查的项目可以增派审核机构。")
    return True, ""


def may_invite_expert(user, project: Project) -> tuple[bool, str]:
    if access.is_read_only(user) or not access.is_ndrc(user):
        return False, cite("R-REV-4", ART_REV_4, _("只有省发展改革委可以组织专家评估论证。"))
    if project.state not in (State.IN_REVIEW, State.EVALUATION):
        return False, _("项目当前状态为“%(state)s”，不能邀请专家评估。") % {
            "state": project.get_state_display()
        }
    return True, ""


def _ndrc_evaluation_step(user, project: Project, refusal: str) -> tuple[bool, str]:
    """R-REV-4: NDRC organises the 评估论证 and reports to the provincial government, while a round is open."""
    if access.is_read_only(user):
        return False, str(workflow.READ_ONLY_REFUSAL)
    if not access.is_ndrc(user):
        return False, cite("R-REV-4", ART_REV_4, refusal)
    if project.state not in (State.IN_REVIEW, State.EVALUATION) or open_round(project) is None:
        return False, _("项目当前状态为“%(state)s”，没有待批复的审查轮次。") % {
            "state": project.get_state_display()
        }
    return True, ""


def may_record_evaluation(user, project: Project) -> tuple[bool, str]:
    return _ndrc_evaluation_step(user, project, _("只有省发展改革委可以组织并记录评估论证。"))


def may_flag_government_review(user, project: Project) -> tuple[bool, str]:
    return _ndrc_evaluation_step(user, project, _("只有省发展改革委可以将项目核报省政府审定。"))


def may_record_government_consent(user, project: Project) -> tuple[bool, str]:
    return _ndrc_evaluation_step(user, project, _("只有省发展改革委可以记录省政府同意情况。"))


# The third-party evaluation report: NDRC, the reviewing agencies and readers (auditors, administrators).
SEES_EVALUATION_REPORT = ("ndrc", "reviewer", "reader")


def may_see_evaluation_report(user, project: Project) -> bool:
    return review_role(user, project) in SEES_EVALUATION_REPORT


def may_give_expert_opinion(user, invitation: ExpertInvitation) -> tuple[bool, str]:
    if invitation.expert_id != getattr(user, "pk", None):
        return False, cite("R-REV-4", ART_REV_4, _("只有受邀专家本人可以提交评估意见。"))
    if invitation.is_submitted:
        return False, _("评估意见已提交，不能修改。")
    if not invitation.round.is_open:
        return False, _("该审查轮次已结束。")
    return True, ""


def grant_expert(project: Project, expert) -> None:
    """An invited expert sees this one project (a per-user grant: the invitation is personal)."""
    assign_perm(f"projects.{access.VIEW}", expert, project)


def get_task_for_user(user, pk: int) -> ReviewTask:
    """A task page is the agency's workspace: its members, and auditors (read-only). 404 otherwise."""
    task = (
        ReviewTask.objects.select_related(
            "round__project__lead_unit", "round__revision", "agency", "assignee"
        )
        .defer("round__revision__content")
        .filter(pk=pk)
        .first()
    )
    if task is None or not may_see_drafts(user, task):
        raise Http404(_("审核任务不存在或您无权查看。"))
    return task


def get_opinion_for_user(user, pk: int) -> Opinion:
    opinion = Opinion.objects.select_related("task__round__project", "task__agency").filter(pk=pk).first()
    if opinion is None or not may_see_drafts(user, opinion.task):
        raise Http404(_("审核意见不存在或您无权查看。"))
    return opinion


def get_invitation_for_user(user, pk: int) -> ExpertInvitation:
    invitation = ExpertInvitation.objects.select_related("round__project").filter(pk=pk).first()
    if invitation is None or invitation.expert_id != getattr(user, "pk", None):
        raise Http404(_("评估邀请不存在或您无权查看。"))
    return invitation


def tasks_for(user):
    """My agencies' tasks, soonest due first (the reviewer's list)."""
    agencies = [agency.pk for agency in _agencies(user)]
    return (
        ReviewTask.objects.filter(agency_id__in=agencies)
        .select_related("round__project__lead_unit", "agency", "assignee")
        .order_by("due_date", "id")
    )
