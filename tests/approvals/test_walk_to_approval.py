"""One project from submission to 批复 through the services, as the people would do it: the seven agencies of
川办法 第二十二条 each sign their own kind of opinion (R-REV-1, R-REV-2), NDRC has it evaluated by experts and
reported to the provincial government (R-REV-4), and the 批复 is issued only when all of that is on record
(R-REV-3, R-REV-6)."""

import pytest
from django.utils import timezone

from approvals import evaluation, services
from approvals.models import IssuedDocument, ReviewRound
from govinfo.audit.models import AuditEvent
from govinfo.errors import Refused
from govinfo.orgs.agencies import ARTICLE_22_AGENCIES
from projects.models import State

from .review_factories import draft, submitted

pytestmark = pytest.mark.django_db

OPINION_TYPES = {
    "cyberspace": "信息安全审核意见",
    "secrecy": "信息安全审核意见",
    "crypto": "安全可靠和密码应用合规性审核意见",
    "econit": "信息安全审核意见",
    "police": "信息安全审核意见",
    "finance": "项目资金审核意见",
    "bigdata": "技术审核意见",
}


def test_r_rev_1_r_rev_4_a_project_walks_from_submission_through_seven_opinions_and_the_evaluation_to_its_approval(
    unit, applicant, signers, expert
):
    ndrc = signers["ndrc"]
    project = submitted(unit, applicant, name="四川省智慧社保服务平台")
    assert project.state == State.SUBMITTED and project.code

    # R-REV-1: accepting opens one task for each of the seven agencies, and none for NDRC itself.
    round = services.accept_into_review(project, by=ndrc)
    project.refresh_from_db()
    assert project.state == State.IN_REVIEW
    tasks = {task.agency.code: task for task in round.tasks.select_related("agency")}
    assert set(tasks) == set(ARTICLE_22_AGENCIES) and "ndrc" not in tasks

    # NDRC organises the 评估论证 while the agencies review, and marks the project for 省政府审定.
    invitation = services.invite_expert(project, expert, by=ndrc)
    evaluation.flag_government_review(project, by=ndrc, reason="跨部门重大项目，按规定报省政府审定")

    # Each agency drafts and its signer signs its own kind of opinion (R-REV-2).
    for number, code in enumerate(ARTICLE_22_AGENCIES, start=1):
        opinion = draft(project, code, signers[code])
        project.refresh_from_db()
        with pytest.raises(Refused, match="R-REV-3"):
            services.approve(project, by=ndrc)  # some opinion is still missing
        opinion = services.sign_opinion(opinion, by=signers[code])
        assert opinion.document.title == f"关于《四川省智慧社保服务平台实施方案》的{OPINION_TYPES[code]}"
        project.refresh_from_db()
        expected = State.EVALUATION if number == len(ARTICLE_22_AGENCIES) else State.IN_REVIEW
        assert project.state == expected

    # R-REV-4: every opinion is in, but the 评估论证 is not yet.
    with pytest.raises(Refused) as refused:
        services.approve(project, by=ndrc)
    assert "第二十四条" in refused.value.message and "评估论证" in refused.value.message
    evaluation.record_evaluation(project, by=ndrc, method="experts", note="专家组认为技术路线可行。")
    with pytest.raises(Refused, match="专家"):
        services.approve(project, by=ndrc)  # the invited expert has not given an opinion yet
    services.submit_expert_opinion(invitation, by=expert, recommendation="agree", opinion="同意建设。")

    # ... and the provincial government's consent is still missing.
    with pytest.raises(Refused, match="省政府"):
        services.approve(project, by=ndrc)
    evaluation.record_government_consent(
        project, by=ndrc, doc_number="川府函〔2026〕15号", date=timezone.localdate()
    )

    document = services.approve(project, by=ndrc)
    project.refresh_from_db()
    assert project.state == State.APPROVED
    assert document.kind == IssuedDocument.Kind.APPROVAL and document.agency.code == "ndrc"
    assert document.title == "关于《四川省智慧社保服务平台实施方案》的批复"
    assert document.content["cc"] == [
        "省委网信办",
        "省保密局",
        "省密码管理局",
        "省经济和信息化厅",
        "省公安厅",
        "省财政厅",
        "省大数据中心",
    ]
    round = ReviewRound.objects.get(pk=round.pk)
    assert (round.status, round.outcome, round.decision_document) == ("decided", "approved", document)
    assert IssuedDocument.objects.filter(kind=IssuedDocument.Kind.OPINION).count() == 7

    # The whole story is in the audit trail, in order.
    actions = list(
        AuditEvent.objects.filter(
            action__in=[
                "projects.project.submitted",
                "projects.project.accepted",
                "approvals.opinion.signed",
                "approvals.project.to_evaluation",
                "approvals.evaluation.recorded",
                "approvals.government_consent.recorded",
                "approvals.project.approved",
            ]
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "projects.project.submitted",
        "projects.project.accepted",
        *["approvals.opinion.signed"] * 7,
        "approvals.project.to_evaluation",
        "approvals.evaluation.recorded",
        "approvals.government_consent.recorded",
        "approvals.project.approved",
    ]
