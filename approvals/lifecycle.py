"""The review's rows of the lifecycle table (``govinfo.workflow``).

On the project: NDRC accepts an application into review, any reviewing agency returns it, the last
signature moves it to evaluation, NDRC approves (the 可研 of a two-step project, or the final 批复) or
rejects. On the review's own objects: a round ends returned or decided, a task is signed or closed, an
opinion is signed. Each row's effect does the rest of the step in the same transaction — opening the
round and its tasks, closing them, issuing the 审核意见书 or the 批复 — so no caller gets half a step.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from govinfo import workflow
from govinfo.documents.issue import issue_document
from govinfo.errors import Conflict
from govinfo.orgs.models import Agency
from govinfo.workdays.days import add_working_days
from projects import revisions
from projects.models import Project, State, stage_of
from projects.permissions import grant_agency

from . import decisions, letters, notifications
from .guards import decision_failures
from .models import IssuedDocument, Opinion, ReviewRound, ReviewTask
from .permissions import NDRC, open_round, who_accepts, who_decides, who_returns, who_signs

PROJECT = "projects.Project"
ROUND = "approvals.ReviewRound"
TASK = "approvals.ReviewTask"
OPINION = "approvals.Opinion"


NDRC_ROLE = _("省发展改革委")
REVIEWERS_ROLE = _("省发展改革委或本轮审核机构")


def _review_page(project: Project) -> str:
    return reverse("approvals:project", args=[project.pk])


def due_date():
    return add_working_days(timezone.localdate(), settings.REVIEW_DUE_WORKING_DAYS)


def open_task(round: ReviewRound, agency: Agency, *, added_by_ndrc: bool = False) -> ReviewTask:
    task = ReviewTask.objects.create(
        round=round, agency=agency, due_date=due_date(), added_by_ndrc=added_by_ndrc
    )
    # The agency's members see the project from now on, and keep seeing the case they reviewed.
    grant_agency(round.project, agency)
    return task


# -- effects -----------------------------------------------------------------------------------


def _open_round(project: Project, *, by) -> ReviewRound:
    """R-REV-1: round N of the stage, one task per agency required by default (the seven agencies of
    第二十二条 as seeded; rows, not code), in parallel."""
    stage = stage_of(project)
    number = ReviewRound.objects.filter(project=project, stage=stage).count() + 1
    round = ReviewRound.objects.create(
        project=project, stage=stage, number=number, opened_by=by, revision=revisions.latest(project)
    )
    agencies = Agency.objects.active().filter(reviews_by_default=True).order_by("sort_order", "code")
    for agency in agencies:
        open_task(round, agency)
    return round


def _round_opened(project: Project) -> dict:
    round = project.step_result
    tasks = list(round.tasks.select_related("agency").order_by("agency__sort_order", "agency__code"))
    return {
        "round": str(round),
        "agencies": [task.agency.display_name for task in tasks],
        "due_date": tasks[0].due_date if tasks else None,
    }


def _close_round_returned(project: Project, *, by, reason: str) -> ReviewRound | None:
    """R-REV-5: the open round (if accepted) ends; its tasks still open close with it."""
    round = open_round(project)
    if round is None:
        return None
    for task in round.tasks.filter(status=ReviewTask.Status.OPEN):
        workflow.perform(task, "close", by=by, expected_state=None, locked_case=project)
    return workflow.perform(
        round, "close_returned", by=by, kwargs={"by": by, "reason": reason}, locked_case=project
    )


def _returned(project: Project) -> dict:
    round = project.step_result
    return {"reason": project.last_return_reason, "round": str(round) if round else ""}


def _issue_decision(project: Project, outcome: str, *, by, draft_version, reasons: str = "") -> ReviewRound:
    """The decision's document from NDRC's draft (R-REV-6), and the round decided with it."""
    round = open_round(project)
    draft = decisions.draft_to_issue(round, outcome, by=by, version=draft_version, reasons=reasons)
    document = issue_document(**decisions.document_args(project, round, draft), issued_by=by, target=round)
    return workflow.perform(
        round,
        "close_decided",
        by=by,
        kwargs={"by": by, "outcome": outcome, "reason": draft.reasons, "document": document},
        locked_case=project,
    )


def _issue_approval(project: Project, *, by, draft_version: int | None = None) -> IssuedDocument:
    """The 批复, its body NDRC's draft (never the unit's texts verbatim)."""
    round = _issue_decision(project, ReviewRound.Outcome.APPROVED, by=by, draft_version=draft_version)
    return round.decision_document


def _approved(project: Project) -> dict:
    document = project.step_result
    return {"doc_number": document.doc_number, "title": document.title, "round": str(document.target)}


def _close_round_rejected(
    project: Project, *, by, reason: str = "", draft_version: int | None = None
) -> ReviewRound:
    """不予批复: the round decided with its own numbered 不予批复函 (R-REV-6)."""
    return _issue_decision(
        project, ReviewRound.Outcome.REJECTED, by=by, draft_version=draft_version, reasons=reason
    )


def _rejected(project: Project) -> dict:
    round = project.step_result
    document = round.decision_document
    return {"reason": round.reason, "round": str(round), "doc_number": document.doc_number}


def _unit_notified(project: Project, *, by) -> None:
    """The unit learns of the decision: a to-do for its clerks and an e-mail (after commit)."""
    notifications.decision_made(project)


def _decision_guard(approving: bool):
    def guard(project: Project):
        return decision_failures(open_round(project), approving=approving)

    return guard


def _issue_opinion_letter(opinion: Opinion, *, by, version: int | None = None) -> IssuedDocument:
    """The 审核意见书 (R-REV-2, R-REV-6); the task is done; the last signature moves the case on.

    ``version`` is the draft the signer previewed and confirmed: a draft rewritten since is not signed.
    """
    if version is not None and opinion.version != version:
        raise Conflict(gettext("审核意见草稿在您预览后已被修改，未签署。请重新预览核对后再签署。"))
    task = opinion.task
    project = task.round.project
    document = issue_document(**opinion_document_args(opinion), issued_by=by, target=opinion)
    opinion.document = document
    workflow.perform(task, "mark_signed", by=by, expected_state=None, locked_case=project)
    return document


def opinion_document_args(opinion: Opinion) -> dict:
    """What an opinion's 审核意见书 says: the same for its preview (样稿) and its issue."""
    task = opinion.task
    project = task.round.project
    return {
        "kind": IssuedDocument.Kind.OPINION,
        "agency": task.agency,
        "title": letters.opinion_title(project, task.round.stage, task.agency),
        "addressee": Agency.objects.get(code=NDRC).name,
        "body": letters.opinion_body(opinion),
        "project_code": project.code or "",
        "project_name": project.name,
        "signer_agency_name": task.agency.name,
        "date": timezone.localdate(),
    }


def _all_opinions_in(opinion: Opinion, *, by) -> None:
    """When this was the round's last unsigned opinion, the case moves on to evaluation (R-REV-3, R-REV-4)."""
    round = opinion.task.round
    project = Project.objects.get(pk=round.project_id)
    if project.state == State.IN_REVIEW and not round.tasks.exclude(status=ReviewTask.Status.SIGNED).exists():
        workflow.perform(project, "to_evaluation", by=by, details={"round": str(round)})


def _signed(opinion: Opinion) -> dict:
    return {
        "agency": opinion.task.agency.name,
        "conclusion": opinion.get_conclusion_display(),
        "doc_number": opinion.document.doc_number,
        "supersedes": opinion.supersedes.document.doc_number if opinion.supersedes_id else "",
    }


def _opinion_case(opinion: Opinion) -> Project:
    return opinion.task.round.project


# A task as the object of a sentence ("审核任务" alone is the task list's title, "Review tasks").
TASK_NOUN = pgettext_lazy("case noun", "审核任务")

workflow.register(
    # The project, through the review
    workflow.Step(
        PROJECT,
        "accept_for_review",
        _("受理"),
        "projects.project.accepted",
        who=who_accepts,
        rules=("R-REV-1",),
        effect=_open_round,
        details=_round_opened,
        role=NDRC_ROLE,
        page=_review_page,
    ),
    workflow.Step(
        PROJECT,
        "return_for_revision",
        _("退回修改"),
        "projects.project.returned",
        who=who_returns,
        rules=("R-REV-5",),
        effect=_close_round_returned,
        details=_returned,
        role=REVIEWERS_ROLE,
        page=_review_page,
    ),
    workflow.Step(
        PROJECT,
        "to_evaluation",
        _("进入评估论证"),
        "approvals.project.to_evaluation",
        rules=("R-REV-3",),
    ),
    workflow.Step(
        PROJECT,
        "approve",
        _("批复"),
        "approvals.project.approved",
        who=who_decides,
        rules=("R-REV-1", "R-REV-3", "R-REV-4", "R-REV-6", "R-APP-4"),
        guard=_decision_guard(approving=True),
        waits_in=(State.IN_REVIEW,),
        effect=_issue_approval,
        details=_approved,
        then=_unit_notified,
        role=NDRC_ROLE,
        page=_review_page,
    ),
    workflow.Step(
        PROJECT,
        "approve_feasibility",
        _("批复可行性研究报告"),
        "approvals.project.approved",
        who=who_decides,
        rules=("R-REV-1", "R-REV-3", "R-REV-4", "R-REV-6", "R-APP-4", "R-APP-8"),
        guard=_decision_guard(approving=True),
        waits_in=(State.IN_REVIEW,),
        effect=_issue_approval,
        details=_approved,
        then=_unit_notified,
        role=NDRC_ROLE,
        page=_review_page,
    ),
    workflow.Step(
        PROJECT,
        "reject",
        _("不予批复"),
        "approvals.project.rejected",
        who=who_decides,
        rules=("R-REV-1", "R-REV-3", "R-REV-6"),
        guard=_decision_guard(approving=False),
        waits_in=(State.IN_REVIEW,),
        effect=_close_round_rejected,
        details=_rejected,
        then=_unit_notified,
        role=NDRC_ROLE,
        page=_review_page,
    ),
    # The review's own objects. Their steps are consequences of the project's and of signing: the
    # event of the step that causes them tells the story, so they write none of their own.
    workflow.Step(
        ROUND, "close_returned", _("结束本轮（退回）"), None, case=lambda r: r.project, noun=_("审查轮次")
    ),
    workflow.Step(
        ROUND, "close_decided", _("结束本轮（决定）"), None, case=lambda r: r.project, noun=_("审查轮次")
    ),
    workflow.Step(TASK, "mark_signed", _("办结"), None, case=lambda t: t.round.project, noun=TASK_NOUN),
    workflow.Step(TASK, "close", _("关闭"), None, case=lambda t: t.round.project, noun=TASK_NOUN),
    workflow.Step(
        OPINION,
        "sign",
        _("签署"),
        "approvals.opinion.signed",
        who=who_signs,
        rules=("R-REV-2", "R-REV-6"),
        case=_opinion_case,
        noun=_("审核意见"),
        effect=_issue_opinion_letter,
        details=_signed,
        then=_all_opinions_in,
    ),
)
