"""R-REV-4 (川办法 第二十四条): every 批复 follows a 评估论证 that NDRC records — by 相关部门, invited experts or a
qualified third-party institution (its name and report) — and a project flagged for 省政府审定 waits for the
government's consent (document number and date). Recording them is NDRC's, refused to every other role."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from approvals import evaluation, services
from approvals.models import Evaluation, GovernmentConsent, GovernmentReview
from govinfo.audit.models import AuditEvent
from govinfo.errors import NotAllowed, Refused
from govinfo.orgs.models import Role
from projects.models import State
from tests.factories import member
from tests.projects.factories import EXE_BYTES, pdf_upload

from .review_factories import evaluate, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluating(reviewing, signers):
    """All seven opinions signed: the project waits in 评估论证 for NDRC (R-REV-3 met)."""
    sign_all(reviewing, signers)
    assert reviewing.state == State.EVALUATION
    return reviewing


def _report(name="评估报告.pdf"):
    return pdf_upload(name)


# -- the evaluation itself -------------------------------------------------------------------------


def test_r_rev_4_no_approval_without_a_recorded_evaluation(evaluating, signers):
    with pytest.raises(Refused) as refused:
        services.approve(evaluating, by=signers["ndrc"])
    message = refused.value.message
    assert "R-REV-4" in message and "第二十四条" in message and "评估论证" in message
    evaluating.refresh_from_db()
    assert evaluating.state == State.EVALUATION

    evaluate(evaluating, signers["ndrc"], note="经组织省级相关部门评估论证，建设内容和投资基本合理。")
    document = services.approve(evaluating, by=signers["ndrc"])
    evaluating.refresh_from_db()
    assert evaluating.state == State.APPROVED and document.kind == "approval"


def test_r_rev_4_a_departments_evaluation_names_the_departments_and_their_view(evaluating, signers):
    with pytest.raises(Refused, match="参加的部门"):
        evaluation.record_evaluation(evaluating, by=signers["ndrc"], method="departments", note="  ")
    recorded = evaluation.record_evaluation(
        evaluating, by=signers["ndrc"], method="departments", note="省财政厅、省大数据中心参加，同意。"
    )
    assert recorded.method == Evaluation.Method.DEPARTMENTS and recorded.recorded_by == signers["ndrc"]
    event = AuditEvent.objects.filter(action="approvals.evaluation.recorded").get()
    assert event.actor == signers["ndrc"] and event.details["method"] == "组织相关部门评估论证"


def test_r_rev_4_an_expert_evaluation_needs_the_experts_opinions_in(evaluating, signers, expert):
    with pytest.raises(Refused, match="请先邀请专家"):
        evaluation.record_evaluation(evaluating, by=signers["ndrc"], method="experts")
    invitation = services.invite_expert(evaluating, expert, by=signers["ndrc"])
    evaluation.record_evaluation(evaluating, by=signers["ndrc"], method="experts")
    with pytest.raises(Refused) as refused:
        services.approve(evaluating, by=signers["ndrc"])
    assert "R-REV-4" in refused.value.message and expert.display_name in refused.value.message
    services.submit_expert_opinion(invitation, by=expert, recommendation="agree", opinion="技术路线可行。")
    services.approve(evaluating, by=signers["ndrc"])


def test_r_rev_4_a_third_party_evaluation_records_the_institution_and_its_report(evaluating, signers):
    ndrc = signers["ndrc"]
    with pytest.raises(Refused, match="机构名称"):
        evaluation.record_evaluation(evaluating, by=ndrc, method="third_party", report=_report())
    with pytest.raises(Refused, match="评估报告"):
        evaluation.record_evaluation(
            evaluating, by=ndrc, method="third_party", institution="四川省工程咨询研究院"
        )
    exe = SimpleUploadedFile("报告.pdf", EXE_BYTES, content_type="application/pdf")
    with pytest.raises(Refused, match="PDF"):
        evaluation.record_evaluation(
            evaluating, by=ndrc, method="third_party", institution="四川省工程咨询研究院", report=exe
        )
    assert not Evaluation.objects.exists()
    recorded = evaluation.record_evaluation(
        evaluating, by=ndrc, method="third_party", institution="四川省工程咨询研究院", report=_report()
    )
    assert recorded.institution == "四川省工程咨询研究院"
    assert recorded.report_format == "pdf" and len(recorded.report_sha256) == 64
    assert recorded.report_name == "评估报告.pdf" and recorded.report.name.endswith(".pdf")
    services.approve(evaluating, by=ndrc)


def test_r_rev_4_the_latest_record_is_the_rounds_evaluation_and_earlier_ones_stay(evaluating, signers):
    first = evaluate(evaluating, signers["ndrc"], note="第一次记录")
    second = evaluate(evaluating, signers["ndrc"], note="补充记录")
    from approvals.guards import current_evaluation

    assert current_evaluation(first.round) == second
    assert Evaluation.objects.filter(round=first.round).count() == 2


def test_r_rev_4_each_round_is_evaluated_for_itself(reviewing, signers, applicant):
    from projects import services as project_services

    evaluate(reviewing, signers["ndrc"])
    services.return_application(reviewing, by=signers["ndrc"], reason="请补充投资测算依据。")
    project_services.submit(reviewing, by=applicant)
    services.accept_into_review(reviewing, by=signers["ndrc"])
    sign_all(reviewing, signers)
    with pytest.raises(Refused, match="R-REV-4"):
        services.approve(reviewing, by=signers["ndrc"])
    evaluate(reviewing, signers["ndrc"])
    services.approve(reviewing, by=signers["ndrc"])


def test_r_rev_4_a_rejection_needs_no_evaluation(evaluating, signers):
    services.reject(evaluating, by=signers["ndrc"], reason="建设必要性不充分。")
    assert evaluating.state == State.REJECTED


def test_r_rev_4_an_evaluation_is_recorded_only_while_a_round_is_open(unit, applicant, signers):
    from .review_factories import submitted

    project = submitted(unit, applicant)
    with pytest.raises(NotAllowed, match="没有待批复的审查轮次"):
        evaluate(project, signers["ndrc"])


# -- 省政府审定 ------------------------------------------------------------------------------------


def test_r_rev_4_a_project_for_the_provincial_government_waits_for_its_consent(evaluating, signers):
    ndrc = signers["ndrc"]
    evaluate(evaluating, ndrc)
    with pytest.raises(Refused, match="依据"):
        evaluation.flag_government_review(evaluating, by=ndrc, reason=" ")
    evaluation.flag_government_review(
        evaluating, by=ndrc, reason="总投资超过1亿元的重大项目，按规定报省政府审定"
    )
    with pytest.raises(Refused) as refused:
        services.approve(evaluating, by=ndrc)
    message = refused.value.message
    assert (
        "R-REV-4" in message and "第二十四条" in message and "省政府" in message and "文号和日期" in message
    )

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(Refused, match="不能晚于今天"):
        evaluation.record_government_consent(
            evaluating, by=ndrc, doc_number="川府函〔2026〕15号", date=tomorrow
        )
    with pytest.raises(Refused, match="文号和日期"):
        evaluation.record_government_consent(evaluating, by=ndrc, doc_number="", date=timezone.localdate())
    consent = evaluation.record_government_consent(
        evaluating, by=ndrc, doc_number="川府函〔2026〕15号", date=timezone.localdate()
    )
    assert consent.round.project == evaluating
    with pytest.raises(NotAllowed, match="已记录"):
        evaluation.record_government_consent(
            evaluating, by=ndrc, doc_number="川府函〔2026〕16号", date=timezone.localdate()
        )
    services.approve(evaluating, by=ndrc)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"approvals.government_review.flagged", "approvals.government_consent.recorded"} <= actions


def test_r_rev_4_a_consent_is_recorded_only_for_a_flagged_project(evaluating, signers):
    with pytest.raises(NotAllowed, match="未标记"):
        evaluation.record_government_consent(
            evaluating, by=signers["ndrc"], doc_number="川府函〔2026〕15号", date=timezone.localdate()
        )


def test_r_rev_4_a_flag_set_by_mistake_is_lifted_with_a_reason_before_any_consent(evaluating, signers):
    ndrc = signers["ndrc"]
    evaluate(evaluating, ndrc)
    evaluation.flag_government_review(evaluating, by=ndrc, reason="误标")
    with pytest.raises(NotAllowed, match="已标记"):
        evaluation.flag_government_review(evaluating, by=ndrc, reason="再次标记")
    with pytest.raises(Refused, match="理由"):
        evaluation.clear_government_review(evaluating, by=ndrc, reason="")
    evaluation.clear_government_review(evaluating, by=ndrc, reason="不属于须报省政府审定的项目")
    assert not GovernmentReview.objects.get(project=evaluating).is_active
    services.approve(evaluating, by=ndrc)


def test_r_rev_4_a_flag_with_a_recorded_consent_cannot_be_lifted(evaluating, signers):
    ndrc = signers["ndrc"]
    evaluation.flag_government_review(evaluating, by=ndrc, reason="重大项目")
    evaluation.record_government_consent(
        evaluating, by=ndrc, doc_number="川府函〔2026〕15号", date=timezone.localdate()
    )
    with pytest.raises(NotAllowed, match="不能撤销"):
        evaluation.clear_government_review(evaluating, by=ndrc, reason="误标")
    assert GovernmentConsent.objects.count() == 1


# -- who may: NDRC only ----------------------------------------------------------------------------

OTHERS = ["applicant", "finance", "cyberspace", "bigdata", "police", "stats", "expert", "auditor", "admin"]


@pytest.fixture
def everyone(applicant, signers, expert, auditor, admin_user):
    return {
        **signers,
        "applicant": applicant,
        "ndrc_clerk": member(Role.REVIEWER, agency_code="ndrc", username="ndrc-clerk"),
        "expert": expert,
        "auditor": auditor,
        "admin": admin_user,
    }


@pytest.mark.parametrize("who", OTHERS)
def test_r_rev_4_only_ndrc_records_the_evaluation_the_flag_and_the_consent(evaluating, everyone, who):
    user = everyone[who]
    with pytest.raises(NotAllowed):
        evaluation.record_evaluation(evaluating, by=user, method="departments", note="x")
    with pytest.raises(NotAllowed):
        evaluation.flag_government_review(evaluating, by=user, reason="x")
    evaluation.flag_government_review(evaluating, by=everyone["ndrc"], reason="重大项目")
    with pytest.raises(NotAllowed):
        evaluation.record_government_consent(
            evaluating, by=user, doc_number="川府函〔2026〕15号", date=timezone.localdate()
        )
    with pytest.raises(NotAllowed):
        evaluation.clear_government_review(evaluating, by=user, reason="x")
    assert not Evaluation.objects.exists() and not GovernmentConsent.objects.exists()


def test_r_rev_4_an_ndrc_clerk_records_the_evaluation_too(evaluating, everyone):
    evaluation.record_evaluation(evaluating, by=everyone["ndrc_clerk"], method="departments", note="同意。")
    assert Evaluation.objects.get().recorded_by == everyone["ndrc_clerk"]


# -- the review page --------------------------------------------------------------------------------

POST_STATUS = {
    "ndrc": 302,
    "ndrc_clerk": 302,
    "applicant": 403,
    "finance": 403,
    "cyberspace": 403,
    "bigdata": 403,
    "police": 403,
    "expert": 403,
    "auditor": 403,
    "admin": 403,
    "stats": 404,
    "other_applicant": 404,
}


@pytest.mark.parametrize("who", sorted(POST_STATUS))
def test_r_rev_4_recording_an_evaluation_on_the_page_by_role(
    client, evaluating, everyone, other_applicant, who
):
    user = other_applicant if who == "other_applicant" else everyone[who]
    if who == "expert":
        services.invite_expert(evaluating, user, by=everyone["ndrc"])
    client.force_login(user)
    url = reverse("approvals:project_evaluation", args=[evaluating.pk])
    response = client.post(url, {"method": "departments", "note": "省财政厅参加，同意。"})
    assert response.status_code == POST_STATUS[who], response.content.decode()[:300]
    assert Evaluation.objects.exists() == (POST_STATUS[who] == 302)
    if POST_STATUS[who] == 403:
        assert AuditEvent.objects.filter(action="govinfo.action.refused", actor=user).exists()


def test_r_rev_4_the_review_page_shows_the_sections_and_ndrcs_forms(client, evaluating, everyone):
    client.force_login(everyone["ndrc"])
    body = client.get(reverse("approvals:project", args=[evaluating.pk])).content.decode()
    assert 'data-testid="evaluation"' in body and 'data-testid="evaluation-missing"' in body
    assert 'data-testid="evaluation-form"' in body and 'data-testid="government-flag-form"' in body
    assert "R-REV-4" in body and "评估论证" in body

    client.force_login(everyone["finance"])
    body = client.get(reverse("approvals:project", args=[evaluating.pk])).content.decode()
    assert 'data-testid="evaluation"' in body
    assert 'data-testid="evaluation-form"' not in body and 'data-testid="government-flag-form"' not in body


def test_r_rev_4_the_third_party_report_is_uploaded_and_downloaded_from_the_page(
    client, evaluating, everyone, other_applicant
):
    client.force_login(everyone["ndrc"])
    response = client.post(
        reverse("approvals:project_evaluation", args=[evaluating.pk]),
        {
            "method": "third_party",
            "institution": "四川省工程咨询研究院",
            "report": _report("第三方评估报告.pdf"),
        },
    )
    assert response.status_code == 302
    recorded = Evaluation.objects.get()
    page = client.get(reverse("approvals:project", args=[evaluating.pk])).content.decode()
    assert "四川省工程咨询研究院" in page and 'data-testid="evaluation-report"' in page
    url = reverse("approvals:evaluation_report", args=[evaluating.pk, recorded.pk])
    for who, status in [("ndrc", 200), ("finance", 200), ("auditor", 200), ("applicant", 404)]:
        client.force_login(everyone[who])
        assert client.get(url).status_code == status, who
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="approvals.evaluation.report_downloaded").count() == 3


def test_r_rev_4_a_third_party_evaluation_without_its_report_keeps_the_form_with_the_error(
    client, evaluating, everyone
):
    client.force_login(everyone["ndrc"])
    response = client.post(
        reverse("approvals:project_evaluation", args=[evaluating.pk]),
        {"method": "third_party", "institution": "四川省工程咨询研究院"},
    )
    assert response.status_code == 400
    assert "须上传其评估报告" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_r_rev_4_flag_and_consent_on_the_page(client, evaluating, everyone):
    client.force_login(everyone["ndrc"])
    evaluate(evaluating, everyone["ndrc"])
    flag_url = reverse("approvals:project_government_flag", args=[evaluating.pk])
    assert client.post(flag_url, {"reason": "重大项目，报省政府审定"}).status_code == 302
    body = client.get(reverse("approvals:project", args=[evaluating.pk])).content.decode()
    assert 'data-testid="government-flag"' in body and 'data-testid="government-consent-form"' in body
    assert "省政府" in body and 'data-testid="approve"' not in body
    consent_url = reverse("approvals:project_government_consent", args=[evaluating.pk])
    today = timezone.localdate().isoformat()
    assert client.post(consent_url, {"doc_number": "川府函〔2026〕15号", "date": today}).status_code == 302
    body = client.get(reverse("approvals:project", args=[evaluating.pk])).content.decode()
    assert 'data-testid="government-consent"' in body and "川府函〔2026〕15号" in body
    assert 'data-testid="approve"' in body
