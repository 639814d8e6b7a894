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

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm

from govinfo.orgs import roles
from govinfo.orgs.models import Agency, Role
from govinfo.rules import cite
from projects import permissions as project_permissions
from projects.models import Project, ProjectParticipant, State
from projects.permissions import is_ndrc

from .guards import ART_REV_1, ART_REV_4, ART_REV_5, decision_failures
from .models import ExpertInvitation, Opinion, ReviewRound, ReviewTask

# -- the review workflow -------------------------------------------------------------------------

NDRC = project_permissions.NDRC
REVIEW_STATES = (State.SUBMITTED, State.IN_REVIEW, State.EVALUATION)


def _agencies(user) -> list[Agency]:
    return roles.agencies_of(user, Role.REVIEWER, Role.SIGNER)


def is_ndrc_signer(user) -> bool:
    return any(agency.code == NDRC for agency in roles.agencies_of(user, Role.SIGNER))


def _is_reader(user) -> bool:
    return roles.has_role(user, Role.AUDITOR, Role.ADMIN)


def _is_unit_of(user, project: Project) -> bool:
    units = {unit.pk for unit in roles.units_of(user)}
    if not units:
        return False
    if project.lead_unit_id in units:
        return True
    return ProjectParticipant.objects.filter(project=project, unit_id__in=units).exists()


def review_role(user, project: Project) -> str:
    """How ``user`` follows this project's review: "ndrc", "reviewer", "expert", "unit", "reader" or ""."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if is_ndrc(user) and (project.state != State.DRAFT or project.review_rounds.exists()):
        return "ndrc"
    agencies = [agency.pk for agency in _agencies(user)]
    if agencies and ReviewTask.objects.filter(round__project=project, agency_id__in=agencies).exists():
        return "reviewer"
    if ExpertInvitation.objects.filter(round__project=project, expert=user).exists():
        return "expert"
    if _is_unit_of(user, project):
        return "unit"
    if _is_reader(user):
        return "reader"
    return ""


def get_review_project_for_user(user, pk: int) -> tuple[Project, str]:
    """The project and the user's review role; 404 for anyone who does not follow its review."""
    project = Project.objects.select_related("lead_unit").filter(pk=pk).first()
    role = review_role(user, project) if project is not None else ""
    if not role:
        raise Http404("项目不存在或您无权查看其审查情况。")
    return project, role


def review_projects_for(user) -> QuerySet[Project]:
    """Projects whose review ``user`` follows (same decision as ``review_role``), for lists."""
    projects = Project.objects.select_related("lead_unit")
    if not getattr(user, "is_authenticated", False):
        return projects.none()
    in_review = Q(state__in=REVIEW_STATES) | Exists(ReviewRound.objects.filter(project=OuterRef("pk")))
    if is_ndrc(user) or _is_reader(user):
        return projects.filter(in_review)
    condition = Q(pk__in=[])
    agencies = [agency.pk for agency in _agencies(user)]
    if agencies:
        condition |= Exists(ReviewTask.objects.filter(round__project=OuterRef("pk"), agency_id__in=agencies))
    condition |= Exists(ExpertInvitation.objects.filter(round__project=OuterRef("pk"), expert=user))
    units = [unit.pk for unit in roles.units_of(user)]
    if units:
        mine = Q(lead_unit_id__in=units) | Exists(
            ProjectParticipant.objects.filter(project=OuterRef("pk"), unit_id__in=units)
        )
        condition |= mine & in_review
    return projects.filter(condition)


def may_see_drafts(user, task: ReviewTask) -> bool:
    """Draft opinions stay inside the drafting agency (and are open to auditors)."""
    return any(agency.pk == task.agency_id for agency in _agencies(user)) or roles.is_auditor(user)


def visible_opinions(user, task: ReviewTask, opinions) -> list[Opinion]:
    if may_see_drafts(user, task):
        return list(opinions)
    return [opinion for opinion in opinions if opinion.is_signed]


def open_round(project: Project) -> ReviewRound | None:
    return project.review_rounds.filter(status=ReviewRound.Status.OPEN).first()


# -- may the user take this action now? Each answers (allowed, reason) -------------------------


def may_accept(user, project: Project) -> tuple[bool, str]:
    return project_permissions.may_accept(user, project)


def _open_task(user, task: ReviewTask) -> tuple[bool, str]:
    if not any(agency.pk == task.agency_id for agency in _agencies(user)):
        return False, f"只有{task.agency.display_name}的审核人员可以办理该审核任务。"
    if task.status == ReviewTask.Status.CLOSED or not task.round.is_open:
        return False, "该审查轮次已结束，审核任务已关闭。"
    return True, ""


def may_assign(user, task: ReviewTask) -> tuple[bool, str]:
    allowed, reason = _open_task(user, task)
    if allowed and task.status != ReviewTask.Status.OPEN:
        return False, "审核意见已签署，无需再分派。"
    return allowed, reason


def may_draft(user, task: ReviewTask) -> tuple[bool, str]:
    """A reviewer of the task's agency drafts (or corrects, once signed) while the round is open."""
    return _open_task(user, task)


def may_sign(user, opinion: Opinion) -> tuple[bool, str]:
    task = opinion.task
    if not roles.is_signer_for(user, task.agency):
        return False, f"只有{task.agency.display_name}的签发人可以签署本机构的审核意见（R-REV-2）。"
    allowed, reason = _open_task(user, task)
    if not allowed:
        return allowed, reason
    if opinion.is_signed:
        return False, "该审核意见已签署，不能再次签署（R-REV-2）。"
    return True, ""


def may_add_agency(user, round: ReviewRound) -> tuple[bool, str]:
    if not is_ndrc(user):
        return False, cite("R-REV-1", ART_REV_1, "只有省发展改革委可以增派审核机构。")
    if not round.is_open or round.project.state not in (State.IN_REVIEW, State.EVALUATION):
        return False, "只有正在审查的项目可以增派审核机构。"
    return True, ""


def may_return(user, project: Project) -> tuple[bool, str]:
    """R-REV-5: NDRC, or an agency with a task in the open round, may return the application."""
    if project.state not in REVIEW_STATES:
        return False, f"项目当前状态为“{project.get_state_display()}”，不能退回。"
    if is_ndrc(user):
        return True, ""
    agencies = [agency.pk for agency in _agencies(user)]
    if (
        agencies
        and ReviewTask.objects.filter(
            round__project=project, round__status=ReviewRound.Status.OPEN, agency_id__in=agencies
        ).exists()
    ):
        return True, ""
    return False, cite("R-REV-5", ART_REV_5, "只有本轮参与审核的机构或省发展改革委可以退回申报。")


def may_invite_expert(user, project: Project) -> tuple[bool, str]:
    if not is_ndrc(user):
        return False, cite("R-REV-4", ART_REV_4, "只有省发展改革委可以组织专家评估论证。")
    if project.state not in (State.IN_REVIEW, State.EVALUATION):
        return False, f"项目当前状态为“{project.get_state_display()}”，不能邀请专家评估。"
    return True, ""


def may_give_expert_opinion(user, invitation: ExpertInvitation) -> tuple[bool, str]:
    if invitation.expert_id != getattr(user, "pk", None):
        return False, "只有受邀专家本人可以提交评估意见（R-REV-4）。"
    if invitation.is_submitted:
        return False, "评估意见已提交，不能修改。"
    if not invitation.round.is_open:
        return False, "该审查轮次已结束。"
    return True, ""


def may_decide(user, project: Project, *, approving: bool) -> tuple[bool, str]:
    """NDRC's signer approves or rejects once the opinions are in (R-REV-3, R-REV-4)."""
    if not is_ndrc_signer(user):
        return False, cite("R-REV-3", "第二十四条", "只有省发展改革委签发人可以作出批复或不予批复决定。")
    if project.state != State.EVALUATION:
        round = open_round(project) if project.state == State.IN_REVIEW else None
        if round is not None:
            failures = decision_failures(round, approving=approving)
            if failures:
                return False, "；".join(str(f) for f in failures)
        return False, f"项目当前状态为“{project.get_state_display()}”，不能作出批复决定。"
    failures = decision_failures(open_round(project), approving=approving)
    if failures:
        return False, "；".join(str(f) for f in failures)
    return True, ""


def grant_expert(project: Project, expert) -> None:
    """An invited expert sees this one project (a per-user grant: the invitation is personal)."""
    assign_perm(f"projects.{project_permissions.VIEW}", expert, project)


def get_task_for_user(user, pk: int) -> ReviewTask:
    """A task page is the agency's workspace: its members, and auditors (read-only). 404 otherwise."""
    task = (
        ReviewTask.objects.select_related("round__project__lead_unit", "agency", "assignee")
        .filter(pk=pk)
        .first()
    )
    if task is None or not may_see_drafts(user, task):
        raise Http404("审核任务不存在或您无权查看。")
    return task


def get_opinion_for_user(user, pk: int) -> Opinion:
    opinion = Opinion.objects.select_related("task__round__project", "task__agency").filter(pk=pk).first()
    if opinion is None or not may_see_drafts(user, opinion.task):
        raise Http404("审核意见不存在或您无权查看。")
    return opinion


def get_invitation_for_user(user, pk: int) -> ExpertInvitation:
    invitation = ExpertInvitation.objects.select_related("round__project").filter(pk=pk).first()
    if invitation is None or invitation.expert_id != getattr(user, "pk", None):
        raise Http404("评估邀请不存在或您无权查看。")
    return invitation


def tasks_for(user):
    """My agencies' tasks, soonest due first (the reviewer's list)."""
    agencies = [agency.pk for agency in _agencies(user)]
    return (
        ReviewTask.objects.filter(agency_id__in=agencies)
        .select_related("round__project__lead_unit", "agency", "assignee")
        .order_by("due_date", "id")
    )
