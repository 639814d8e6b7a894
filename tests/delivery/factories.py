"""Projects after the 批复 for the tests, built through the services as the people would.

``into_construction`` is the one stand-in: the rows that take an approved project to construction
(``file``, ``start_build``: R-BLD-1, R-PRC-*) are another engineer's work on another branch. Until they are
in this branch the helper puts the project in construction with a queryset update (no event, no filing
record). Once the rows are registered it performs them through ``workflow.perform``; the lead switches
it to the real services (with their filing and procurement facts) at merge.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals import services as review_services
from approvals.evaluation import record_evaluation
from delivery import acceptance
from delivery.dates import add_months
from delivery.models import REQUIRED_MATERIALS, Acceptance, AcceptanceMaterialKind
from govinfo import workflow
from projects.demo import tiny_pdf
from projects.models import Project, State
from tests.approvals.review_factories import in_review, sign_all

PROJECT = "projects.Project"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, tiny_pdf(name.encode("ascii", "ignore").decode() or "x"), "application/pdf"
    )


def approved(unit, clerk, signers, **kwargs) -> Project:
    """Submitted, reviewed by the four default agencies and approved (批复 issued) — all through services."""
    project = in_review(unit, clerk, signers["ndrc"], **kwargs)
    sign_all(project, signers)
    # R-REV-4 (第二十四条): the 评估论证 is on record before any 批复.
    record_evaluation(
        project, by=signers["ndrc"], method="departments", note="经组织省级相关部门评估论证，同意。"
    )
    review_services.approve(project, by=signers["ndrc"])
    project.refresh_from_db()
    assert project.state == State.APPROVED
    return project


def _registered(name: str) -> bool:
    try:
        workflow.step(PROJECT, name)
    except KeyError:
        return False
    return True


def into_construction(project: Project, *, filer, builder, acceptance_due: dt.date | None = None) -> Project:
    """approved → filed → in_construction (see the module docstring)."""
    from delivery import filing
    from tests.delivery.construction_factories import ready_to_start

    # Through the filing and construction-start services, as the Big-data centre and the unit would.
    project = ready_to_start(project, builder, filer, months=15)
    filing.start_build(project, by=builder, started_on=timezone.localdate())
    due = acceptance_due or add_months(timezone.localdate(), 18)
    if Project.objects.get(pk=project.pk).acceptance_due is None or acceptance_due is not None:
        Project.objects.filter(pk=project.pk).update(acceptance_due=due)
    project.refresh_from_db()
    return project


def upload_all(project: Project, clerk, kinds=REQUIRED_MATERIALS) -> None:
    for kind in kinds:
        acceptance.upload_material(project, by=clerk, kind=kind, upload=pdf(f"{kind}.pdf"))


def in_trial(project: Project, clerk, *, months_ago: int = 4) -> Project:
    acceptance.start_trial(
        project,
        by=clerk,
        started_on=add_months(timezone.localdate(), -months_ago),
        completion_note="完成全部建设内容，通过初步验收。",
    )
    return project


def under_acceptance(project: Project, clerk, **kwargs) -> Acceptance:
    upload_all(project, clerk, acceptance.required_kinds(project))
    return acceptance.apply(project, by=clerk, **kwargs)


def operating(project: Project, clerk, ndrc, *, months_ago: int = 0) -> Project:
    """Through trial and acceptance to in_operation; ``months_ago`` moves the recorded acceptance date back
    (the story: it was accepted that long ago), as the demo moves due dates."""
    in_trial(project, clerk)
    under_acceptance(project, clerk)
    passed = acceptance.pass_acceptance(project, by=ndrc)
    if months_ago:
        Acceptance.objects.filter(pk=passed.pk).update(
            decided_on=add_months(timezone.localdate(), -months_ago)
        )
    project.refresh_from_db()
    return project


def more_operating(like: Project, count: int, *, months_ago: int) -> list[Project]:
    """``count`` more cases of ``like``'s unit in operation, accepted ``months_ago`` months ago (``like`` went
    there through the services). Only the rows the lists read — the state and a passed acceptance — are
    written, directly: twenty-five trials and acceptances would make the test slow, not truer."""
    from tests.projects.factories import draft

    passed = like.acceptances.get(outcome=Acceptance.Outcome.PASSED)
    made = []
    for n in range(count):
        project = draft(like.lead_unit, passed.applied_by, name=f"{like.name}（{n + 1:02d}）")
        Project.objects.filter(pk=project.pk).update(state=State.IN_OPERATION)
        Acceptance.objects.create(
            project=project,
            number=1,
            kind=passed.kind,
            applied_by=passed.applied_by,
            applied_at=passed.applied_at,
            outcome=Acceptance.Outcome.PASSED,
            decided_on=add_months(timezone.localdate(), -months_ago),
        )
        made.append(project)
    return made


MATERIAL_LABELS = [str(AcceptanceMaterialKind(kind).label) for kind in REQUIRED_MATERIALS]
