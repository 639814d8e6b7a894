"""Projects in review for the tests, built through the services as the people would."""

from __future__ import annotations

from approvals import evaluation, services
from approvals.models import Conclusion, Evaluation, Opinion, ReviewTask
from govinfo.orgs.agencies import ARTICLE_22_AGENCIES
from projects import services as project_services
from tests.projects.factories import complete

# R-REV-1: the seven agencies 川办法 第二十二条 names review by default; NDRC collects their opinions.
DEFAULT_AGENCIES = list(ARTICLE_22_AGENCIES)


def submitted(unit, clerk, name="四川省测试业务系统", **kwargs):
    project = complete(unit, clerk, name=name, **kwargs)
    return project_services.submit(project, by=clerk)


def in_review(unit, clerk, ndrc_user, **kwargs):
    project = submitted(unit, clerk, **kwargs)
    services.accept_into_review(project, by=ndrc_user)
    project.refresh_from_db()
    return project


def task_of(project, code: str) -> ReviewTask:
    return ReviewTask.objects.select_related("round__project", "agency").get(
        round__project=project, round__status="open", agency__code=code
    )


def draft(
    project, code: str, user, conclusion=Conclusion.AGREE, text="经审核，同意该项目建设方案。", conditions=""
):
    return services.save_draft(
        task_of(project, code), by=user, conclusion=conclusion, text=text, conditions=conditions
    )


def sign(project, code: str, signer, conclusion=Conclusion.AGREE, conditions="") -> Opinion:
    opinion = draft(project, code, signer, conclusion=conclusion, conditions=conditions)
    return services.sign_opinion(opinion, by=signer)


def sign_all(project, signers: dict, conclusions: dict | None = None) -> None:
    conclusions = conclusions or {}
    for code in DEFAULT_AGENCIES:
        sign(project, code, signers[code], conclusion=conclusions.get(code, Conclusion.AGREE))
    project.refresh_from_db()


def evaluate(
    project, ndrc_user, method=Evaluation.Method.DEPARTMENTS, note="经组织省级相关部门评估论证，同意。"
):
    """NDRC records the round's 评估论证 (R-REV-4): by 相关部门 unless told otherwise."""
    return evaluation.record_evaluation(project, by=ndrc_user, method=method, note=note)


def ready_for_decision(project, signers: dict) -> None:
    """All seven opinions signed and the 评估论证 recorded: NDRC may approve (R-REV-3, R-REV-4)."""
    sign_all(project, signers)
    evaluate(project, signers["ndrc"])
    project.refresh_from_db()
