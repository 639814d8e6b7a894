"""One project from draft to evaluated, through the services (issue 10, "Done when")."""

import pytest
from django.utils import timezone

from approvals import services as review_services
from approvals.evaluation import record_evaluation
from approvals.models import ReviewRound
from delivery import acceptance, evaluation, monitoring
from delivery.dates import add_months
from delivery.models import Acceptance, PostEvaluation
from govinfo.audit.trail import timeline
from govinfo.documents.models import IssuedDocument
from projects import services as project_services
from projects.models import State
from tests.approvals.review_factories import sign_all
from tests.projects.factories import complete

from .factories import into_construction, pdf, upload_all

pytestmark = pytest.mark.django_db


def test_a_project_walks_from_draft_to_evaluated_through_the_services(unit, applicant, signers):
    ndrc, finance = signers["ndrc"], signers["finance"]
    project = complete(unit, applicant, name="四川省全流程测试平台")
    assert project.state == State.DRAFT
    project_services.submit(project, by=applicant)
    review_services.accept_into_review(project, by=ndrc)
    project.refresh_from_db()
    sign_all(project, signers)
    # R-REV-4 (第二十四条): the 评估论证 is on record before any 批复.
    record_evaluation(project, by=ndrc, method="departments", note="经组织省级相关部门评估论证，同意。")
    review_services.approve(project, by=ndrc)
    project.refresh_from_db()
    assert project.state == State.APPROVED

    # filed → in_construction: the other engineer's rows (see factories.into_construction)
    into_construction(project, filer=signers["bigdata"], builder=applicant)
    assert project.state == State.IN_CONSTRUCTION

    year = timezone.localdate().year
    monitoring.file_report(
        project,
        by=applicant,
        year=year,
        progress="完成需求分析和主体开发。",
        fund_execution="已支付合同款60%。",
        user_unit_name="四川省教育考试院",
        user_unit_opinion="功能满足业务需要。",
        supervisor_name="四川某工程监理有限公司",
        supervisor_opinion="进度和质量受控。",
    )

    acceptance.start_trial(
        project,
        by=applicant,
        started_on=add_months(timezone.localdate(), -4),
        completion_note="全部建设完成。",
    )
    assert project.state == State.TRIAL_OPERATION
    upload_all(project, applicant)
    first = acceptance.apply(project, by=applicant, note="试运行正常。")
    assert project.state == State.ACCEPTANCE_REVIEW
    acceptance.fail_acceptance(project, by=ndrc, items="补充第三方测评报告中的性能测试。\n完善密码应用方案。")
    assert project.state == State.ACCEPTANCE_FAILED
    acceptance.upload_material(project, by=applicant, kind="testing", upload=pdf("测评报告（补充）.pdf"))
    second = acceptance.reapply(project, by=applicant, rectification_report="已补充性能测试并完善密码应用。")
    assert project.state == State.ACCEPTANCE_REVIEW and second.number == first.number + 1
    passed = acceptance.pass_acceptance(project, by=ndrc)
    assert project.state == State.IN_OPERATION
    assert passed.document.kind == IssuedDocument.Kind.ACCEPTANCE
    acceptance.report_to_office(project, by=applicant)

    # Twelve months into operation (the story: accepted a year and a month ago).
    Acceptance.objects.filter(pk=passed.pk).update(decided_on=add_months(timezone.localdate(), -13))
    evaluation.self_evaluate(
        project,
        by=applicant,
        goals_achieved="目标达成。",
        resource_use="资源利用充分。",
        security="无重大风险。",
    )
    assert project.state == State.SELF_EVALUATED
    evaluation.order_post_evaluation(
        project, by=finance, method="third_party", evaluator="四川某咨询评估公司"
    )
    evaluation.record_post_evaluation(
        project, by=ndrc, rating="good", conclusion="项目达到预期效果。", report=pdf("后评价报告.pdf")
    )
    assert project.state == State.EVALUATED
    assert PostEvaluation.objects.get(project=project).rating == "good"

    rounds = ReviewRound.objects.filter(project=project, stage="acceptance").order_by("number")
    assert [r.outcome for r in rounds] == ["not_accepted", "accepted"]
    states = [e.to_state for e in timeline(project) if e.to_state]
    assert states[-7:] == [
        "trial_operation",
        "acceptance_review",
        "acceptance_failed",
        "acceptance_review",
        "in_operation",
        "self_evaluated",
        "evaluated",
    ]
