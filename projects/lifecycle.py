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
from .permissions import grant_agency, who_submits

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
)
