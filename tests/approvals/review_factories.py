"""Projects in review for the tests, built through the services as the people would."""

from __future__ import annotations

from approvals import services
from approvals.models import Conclusion, Opinion, ReviewTask
from projects import services as project_services
from tests.projects.factories import complete

DEFAULT_AGENCIES = ["ndrc", "finance", "cyberspace", "bigdata"]


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
