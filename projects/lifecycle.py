"""The application's own rows of the lifecycle table (``govinfo.workflow``): the unit submits and resubmits.

Accepting, returning and deciding are the review's steps on the project; approvals registers them.
The post-approval steps (filing, construction, changes, acceptance, evaluation) join this table.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govinfo import workflow
from govinfo.orgs.models import Agency

from . import revisions
from .access import NDRC
from .checks import submission_failures
from .guards import Failure
from .models import ApprovalPath, TwoStepStage
from .permissions import grant_agency, who_edits, who_submits

PROJECT = "projects.Project"


def _submitted_details(project) -> dict:
    return {"code": project.code, "total_investment": project.total_investment, "path": project.approval_path}


def _submitted(project, *, by) -> None:
    """What was submitted is frozen as a revision (the round reviews it), and the application is
    addressed to 省发展改革委: its members see the case from now on."""
    revisions.freeze(project, by=by)
    grant_agency(project, Agency.objects.get(code=NDRC))


SUBMISSION_RULES = tuple(f"R-APP-{n}" for n in range(1, 13))
UNIT = _("项目单位")


def _project_page(project) -> str:
    return reverse("projects:detail", args=[project.pk])


def _back_to_feasibility(project) -> dict:
    return {
        "stage": str(project.get_two_step_stage_display()),
        "feasibility_approved_investment": project.feasibility_approved_investment,
        "total_investment": project.total_investment,
    }


def r_app_9_path_back(project) -> list:
    """Why the project cannot go back to 可研 approval (R-APP-9): only a 初步设计 marked as a major change."""
    if (
        project.approval_path != ApprovalPath.TWO_STEP
        or project.two_step_stage != TwoStepStage.PRELIMINARY_DESIGN
    ):
        return [
            Failure(
                "R-APP-9", "第二十五条", _("只有处于初步设计阶段的两步审批项目可以重新报批可行性研究报告。")
            )
        ]
    if not project.design_change_is_major:
        return [
            Failure(
                "R-APP-9",
                "第二十五条",
                _("请先在“初步设计调整”中说明初步设计超出可研批复且属于重大变更，再重新报批可行性研究报告。"),
                "design",
            )
        ]
    return []


workflow.register(
    workflow.Step(
        PROJECT,
        "submit",
        _("提交申报"),
        "projects.project.submitted",
        who=who_submits,
        rules=SUBMISSION_RULES,
        guard=submission_failures,
        details=_submitted_details,
        effect=_submitted,
        role=UNIT,
        page=_project_page,
    ),
    workflow.Step(
        PROJECT,
        "resubmit",
        _("重新提交申报"),
        "projects.project.resubmitted",
        who=who_submits,
        rules=SUBMISSION_RULES,
        guard=submission_failures,
        details=_submitted_details,
        effect=_submitted,
        role=UNIT,
        page=_project_page,
    ),
    workflow.Step(
        PROJECT,
        "return_to_feasibility",
        _("重新报批可行性研究报告"),
        "projects.project.returned_to_feasibility",
        who=who_edits,
        rules=("R-APP-9", "R-APP-8"),
        guard=r_app_9_path_back,
        details=_back_to_feasibility,
    ),
)
