"""Bringing a case to NDRC's decision for the decision tests, whatever agencies the round opened.

``ready_for_decision`` is the one place that knows what a 批复 needs before it: every task of the round
signed and the 评估论证 recorded (R-REV-3, R-REV-4).
"""

from __future__ import annotations

from approvals import services
from approvals.models import Conclusion, ReviewTask
from govinfo.orgs.models import Agency, Membership, Role
from tests.factories import member

from .review_factories import evaluate


def signer_of(agency):
    found = Membership.objects.active().filter(agency=agency, role=Role.SIGNER).select_related("user").first()
    return (
        found.user if found else member(Role.SIGNER, agency_code=agency.code, username=f"{agency.code}-head")
    )


def sign_every_task(project, conditions: dict[str, str] | None = None) -> None:
    """Each open task of the open round: its agency's signer drafts and signs (原则同意 with conditions
    where given, else 同意)."""
    conditions = conditions or {}
    tasks = ReviewTask.objects.filter(round__project=project, round__status="open", status="open")
    for task in tasks.select_related("agency"):
        signer = signer_of(task.agency)
        condition = conditions.get(task.agency.code, "")
        opinion = services.save_draft(
            task,
            by=signer,
            conclusion=Conclusion.AGREE_WITH_CHANGES if condition else Conclusion.AGREE,
            text="经审核，同意该项目建设方案。",
            conditions=condition,
        )
        services.sign_opinion(opinion, by=signer)
    project.refresh_from_db()


def ready_for_decision(project, conditions: dict[str, str] | None = None):
    sign_every_task(project, conditions)
    assert project.state == "evaluation", project.state
    evaluate(project, signer_of(Agency.objects.get(code="ndrc")))
    project.refresh_from_db()
    return project
