"""Trial operation and acceptance: R-ACC-1 … R-ACC-4 (川办法 第三十一条), each refused with its citation and
allowed on its path; every action refused for every other role, the auditor included."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals import services as review_services
from approvals.models import Conclusion, ReviewRound
from delivery import acceptance
from delivery.acceptance_letters import LEADING_GROUP_OFFICE
from delivery.dates import add_months, deadline
from delivery.models import Acceptance, AcceptanceExtension, AcceptanceMaterial
from govinfo.audit.trail import timeline
from govinfo.documents.access import can_view_document
from govinfo.documents.models import IssuedDocument
from govinfo.errors import NotAllowed, Refused
from projects.models import Mode, Project, State
from tests.projects.factories import EXE_BYTES

from .factories import (
    MATERIAL_LABELS,
    approved,
    in_trial,
    into_construction,
    pdf,
    under_acceptance,
    upload_all,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def body_text(document) -> str:
    return "".join(text + run_in for _level, text, run_in in document.content["body"])


def refused_with(exc, rule: str) -> str:
    text = "\n".join(str(f) for f in exc.value.failures)
    assert f"（{rule}）" in text, text
    return text


# -- R-ACC-1: trial operation from a recorded date, applying before 3 months refused --------------------


def test_r_acc_1_trial_operation_starts_on_a_recorded_date(building, applicant):
    trial = acceptance.start_trial(
        building, by=applicant, started_on=TODAY() - dt.timedelta(days=3), completion_note="全部建设完成。"
    )
    assert building.state == State.TRIAL_OPERATION
    assert trial.started_on == TODAY() - dt.timedelta(days=3)
    event = list(timeline(building))[-1]
    assert (
        event.action == "delivery.trial.started"
        and event.details["started_on"] == trial.started_on.isoformat()
    )


def test_r_acc_1_a_future_start_an_undeclared_completion_and_no_note_are_refused(building, applicant):
    with pytest.raises(Refused) as exc:
        acceptance.start_trial(
            building,
            by=applicant,
            started_on=TODAY() + dt.timedelta(days=1),
            completion_note="",
            construction_complete=False,
        )
    text = refused_with(exc, "R-ACC-1")
    assert "不能晚于今天" in text and "已完成所有建设内容" in text and "建设内容完成情况" in text
    assert Project.objects.get(pk=building.pk).state == State.IN_CONSTRUCTION


def test_r_acc_1_applying_before_three_months_of_trial_is_refused(building, applicant):
    started = TODAY() - dt.timedelta(days=80)
    acceptance.start_trial(building, by=applicant, started_on=started, completion_note="完成。")
    upload_all(building, applicant)
    with pytest.raises(Refused) as exc:
        acceptance.apply(building, by=applicant)
    text = refused_with(exc, "R-ACC-1")
    assert "依据《四川省省级政务信息化项目管理办法》第三十一条（R-ACC-1）" in text
    assert "3个月试运行" in text
    assert Project.objects.get(pk=building.pk).state == State.TRIAL_OPERATION


def test_r_acc_1_applying_after_three_months_of_trial_is_allowed(building, applicant):
    acceptance.start_trial(
        building, by=applicant, started_on=add_months(TODAY(), -3), completion_note="完成。"
    )
    upload_all(building, applicant)
    applied = acceptance.apply(building, by=applicant)
    assert building.state == State.ACCEPTANCE_REVIEW and applied.number == 1


# -- R-ACC-2: the seven materials, each missing one named ---------------------------------------------


def test_r_acc_2_each_missing_material_is_named(building, applicant):
    in_trial(building, applicant)
    upload_all(building, applicant, kinds=["summary", "financial", "audit", "sharing", "testing"])
    with pytest.raises(Refused) as exc:
        acceptance.apply(building, by=applicant)
    text = refused_with(exc, "R-ACC-2")
    assert "安全风险评估报告（等保/分保测评、数据安全风险评估）" in text and "密码应用安全性评估报告" in text
    assert "项目建设总结" not in text and "财务报告" not in text


def test_r_acc_2_with_nothing_uploaded_all_seven_are_named(building, applicant):
    in_trial(building, applicant)
    with pytest.raises(Refused) as exc:
        acceptance.apply(building, by=applicant)
    text = refused_with(exc, "R-ACC-2")
    for label in MATERIAL_LABELS:
        assert label in text


def test_r_acc_2_materials_are_checked_by_content_like_application_materials(building, applicant):
    exe = SimpleUploadedFile("财务报告.pdf", EXE_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationError, match="Windows 可执行程序"):
        acceptance.upload_material(building, by=applicant, kind="financial", upload=exe)
    assert not AcceptanceMaterial.objects.exists()


def test_r_acc_2_the_application_keeps_the_versions_it_carried(building, applicant):
    in_trial(building, applicant)
    upload_all(building, applicant)
    first = acceptance.apply(building, by=applicant)
    carried = set(first.materials.values_list("kind", "version"))
    assert ("summary", 1) in carried and len(carried) == 7


# -- R-ACC-3: extension requests with reason and new date ---------------------------------------------


def test_r_acc_3_an_extension_needs_a_reason_and_a_later_date(building, applicant):
    with pytest.raises(Refused) as exc:
        acceptance.request_extension(building, by=applicant, reason="", new_date=building.acceptance_due)
    text = refused_with(exc, "R-ACC-3")
    assert "理由" in text and "晚于原应申请验收日期" in text


def test_r_acc_3_an_agreed_extension_moves_the_acceptance_deadline(building, applicant, signers):
    old_due = building.acceptance_due
    new_due = old_due + dt.timedelta(days=90)
    extension = acceptance.request_extension(
        building, by=applicant, reason="第三方测评机构排期推迟。", new_date=new_due
    )
    assert extension.previous_due == old_due and extension.status == AcceptanceExtension.Status.PENDING
    with pytest.raises(NotAllowed, match="已有一份"):
        acceptance.request_extension(building, by=applicant, reason="再次申请。", new_date=new_due)
    acceptance.decide_extension(extension, by=signers["ndrc"], approve=True)
    assert Project.objects.get(pk=building.pk).acceptance_due == deadline(new_due)  # on a working day
    event = list(timeline(building))[-1]
    assert (
        event.action == "delivery.extension.approved"
        and event.details["requested_due"] == new_due.isoformat()
    )


def test_r_acc_3_a_declined_extension_says_why_and_keeps_the_deadline(building, applicant, signers):
    extension = acceptance.request_extension(
        building, by=applicant, reason="人手不足。", new_date=building.acceptance_due + dt.timedelta(days=30)
    )
    with pytest.raises(Refused) as exc:
        acceptance.decide_extension(extension, by=signers["ndrc"], approve=False)
    refused_with(exc, "R-ACC-3")
    acceptance.decide_extension(extension, by=signers["ndrc"], approve=False, note="理由不充分。")
    assert Project.objects.get(pk=building.pk).acceptance_due == building.acceptance_due
    assert AcceptanceExtension.objects.get(pk=extension.pk).status == AcceptanceExtension.Status.DECLINED


# -- R-ACC-4: NDRC's review round, the 验收意见, rectification, 报备, 购买服务 ----------------------------


@pytest.fixture
def reviewing(building, applicant):
    in_trial(building, applicant)
    under_acceptance(building, applicant)
    return building


def test_r_acc_4_applying_opens_an_acceptance_review_round(reviewing):
    round = ReviewRound.objects.get(project=reviewing, status="open")
    assert (round.stage, round.number) == ("acceptance", 1)
    assert Acceptance.objects.get(project=reviewing).round == round


def test_r_acc_4_a_pass_issues_a_numbered_acceptance_opinion_the_unit_may_open(reviewing, applicant, signers):
    passed = acceptance.pass_acceptance(reviewing, by=signers["ndrc"], opinion="系统运行稳定。")
    document = passed.document
    assert reviewing.state == State.IN_OPERATION and passed.outcome == "passed"
    assert document.kind == IssuedDocument.Kind.ACCEPTANCE
    assert document.doc_number == f"川发改审〔{TODAY().year}〕{document.number}号"
    assert document.title == f"关于{reviewing.name}竣工验收的意见"
    assert document.content["addressee"] == reviewing.lead_unit.name
    assert LEADING_GROUP_OFFICE in document.content["cc"]
    assert "同意通过竣工验收" in body_text(document) and "系统运行稳定。" in body_text(document)
    assert can_view_document(applicant, document)[0]
    round = ReviewRound.objects.get(pk=passed.round_id)
    assert (round.status, round.outcome, round.decision_document) == ("decided", "accepted", document)


def test_r_acc_4_a_failure_lists_the_rectification_items_in_its_opinion(reviewing, signers):
    with pytest.raises(Refused) as exc:
        acceptance.fail_acceptance(reviewing, by=signers["ndrc"], items="  \n ")
    refused_with(exc, "R-ACC-4")
    failed = acceptance.fail_acceptance(
        reviewing,
        by=signers["ndrc"],
        items="补充性能测试。\n完善密码应用。",
        rectify_by=TODAY() + dt.timedelta(days=30),
    )
    assert reviewing.state == State.ACCEPTANCE_FAILED
    assert failed.items == ["补充性能测试。", "完善密码应用。"] and failed.document.kind == "acceptance"
    text = body_text(failed.document)
    assert "验收不合格" in text and "（一）补充性能测试。" in text and "（二）完善密码应用。" in text
    assert ReviewRound.objects.get(pk=failed.round_id).outcome == "not_accepted"


def test_r_acc_4_a_reapplication_needs_the_rectification_and_opens_round_two(reviewing, applicant, signers):
    acceptance.fail_acceptance(reviewing, by=signers["ndrc"], items="补充性能测试。")
    with pytest.raises(Refused) as exc:
        acceptance.reapply(reviewing, by=applicant, rectification_report=" ")
    refused_with(exc, "R-ACC-4")
    second = acceptance.reapply(reviewing, by=applicant, rectification_report="已补充性能测试。")
    assert reviewing.state == State.ACCEPTANCE_REVIEW and second.number == 2
    assert second.round.number == 2 and second.round.is_open


def test_r_acc_4_invited_experts_give_their_opinions_before_the_decision(reviewing, signers, expert):
    invitation = acceptance.invite_expert(reviewing, expert, by=signers["ndrc"])
    assert invitation.round.stage == "acceptance"
    with pytest.raises(Refused) as exc:
        acceptance.pass_acceptance(reviewing, by=signers["ndrc"])
    assert expert.display_name in refused_with(exc, "R-ACC-4")
    # The expert answers on the review's own invitation, as for any round.
    review_services.submit_expert_opinion(
        invitation, by=expert, recommendation=Conclusion.AGREE, opinion="功能和性能满足要求。"
    )
    passed = acceptance.pass_acceptance(reviewing, by=signers["ndrc"])
    assert passed.method == "experts" and expert.display_name in body_text(passed.document)


def test_r_acc_4_a_third_party_needs_its_name_and_its_report(reviewing, signers):
    with pytest.raises(Refused) as exc:
        acceptance.record_method(
            reviewing, by=signers["ndrc"], method="third_party", third_party_name="某评估公司"
        )
    refused_with(exc, "R-ACC-4")
    recorded = acceptance.record_method(
        reviewing,
        by=signers["ndrc"],
        method="third_party",
        third_party_name="某评估公司",
        report=pdf("评估报告.pdf"),
    )
    assert recorded.third_party_name == "某评估公司"
    assert recorded.materials.filter(kind="third_party_review").exists()


def test_r_acc_4_the_unit_reports_the_acceptance_to_the_leading_group_office_once(
    reviewing, applicant, signers
):
    with pytest.raises(NotAllowed) as exc:
        acceptance.report_to_office(reviewing, by=applicant)
    assert "（R-ACC-4）" in str(exc.value)
    acceptance.pass_acceptance(reviewing, by=signers["ndrc"])
    reported = acceptance.report_to_office(reviewing, by=applicant, note="已报备。")
    assert reported.office_reported_at is not None and reported.office_reported_by == applicant
    with pytest.raises(NotAllowed, match="已于"):
        acceptance.report_to_office(reviewing, by=applicant)
    assert list(timeline(reviewing))[-1].action == "delivery.acceptance.reported"


def test_r_acc_4_a_purchase_project_is_accepted_by_its_unit_and_ndrc_issues_an_opinion(
    unit, applicant, signers
):
    project = approved(
        unit,
        applicant,
        signers,
        implementation_mode=Mode.PURCHASE,
        purchase_not_goods_or_works=True,
        purchase_cheaper_than_self_build=True,
        purchase_multiple_suppliers=True,
        purchase_no_secrecy_conflict=True,
        purchase_comparison="购买服务五年总费用低于自建。",
    )
    into_construction(project, filer=signers["bigdata"], builder=applicant)
    in_trial(project, applicant)
    with pytest.raises(Refused) as exc:
        acceptance.apply(project, by=applicant)
    assert "项目单位验收报告（购买服务项目）" in refused_with(exc, "R-ACC-2")
    acceptance.upload_material(project, by=applicant, kind="unit_acceptance", upload=pdf("验收报告.pdf"))
    with pytest.raises(Refused) as exc:
        acceptance.apply(project, by=applicant)
    assert "验收日期" in refused_with(exc, "R-ACC-4")
    applied = acceptance.apply(
        project, by=applicant, unit_accepted_on=TODAY() - dt.timedelta(days=2), unit_conclusion="验收合格。"
    )
    assert applied.kind == Acceptance.Kind.PURCHASE
    passed = acceptance.pass_acceptance(project, by=signers["ndrc"])
    assert passed.document.kind == IssuedDocument.Kind.OPINION
    assert passed.document.title == f"关于{project.name}验收结果的审核意见"


def test_r_acc_4_ndrcs_own_words_in_a_document_are_capped(reviewing, signers):
    passed = acceptance.pass_acceptance(reviewing, by=signers["ndrc"], opinion="长" * 20000)
    assert len(passed.opinion) == acceptance.OPINION_MAX


# -- who may not ------------------------------------------------------------------------------------

OTHERS = [
    "other_unit",
    "ndrc",
    "ndrc_reviewer",
    "finance",
    "cyberspace",
    "bigdata",
    "auditor",
    "expert",
    "admin",
]


@pytest.mark.parametrize("who", OTHERS)
def test_r_acc_1_only_the_unit_starts_trial_operation(building, people, who):
    with pytest.raises(NotAllowed):
        acceptance.start_trial(building, by=people[who], started_on=TODAY(), completion_note="完成。")
    assert Project.objects.get(pk=building.pk).state == State.IN_CONSTRUCTION


@pytest.mark.parametrize("who", OTHERS)
def test_r_acc_2_only_the_unit_uploads_materials_and_applies(building, applicant, people, who):
    in_trial(building, applicant)
    with pytest.raises(NotAllowed):
        acceptance.upload_material(building, by=people[who], kind="summary", upload=pdf())
    upload_all(building, applicant)
    with pytest.raises(NotAllowed):
        acceptance.apply(building, by=people[who])
    assert Project.objects.get(pk=building.pk).state == State.TRIAL_OPERATION


@pytest.mark.parametrize("who", OTHERS)
def test_r_acc_3_only_the_unit_asks_for_an_extension(building, people, who):
    with pytest.raises(NotAllowed):
        acceptance.request_extension(
            building, by=people[who], reason="理由。", new_date=building.acceptance_due + dt.timedelta(days=9)
        )


@pytest.mark.parametrize("who", ["unit", "other_unit", "ndrc_reviewer", "finance", "cyberspace", "bigdata",
                                 "auditor", "expert", "admin"])  # fmt: skip
def test_r_acc_3_only_ndrcs_signer_decides_an_extension(building, applicant, people, who):
    extension = acceptance.request_extension(
        building, by=applicant, reason="理由。", new_date=building.acceptance_due + dt.timedelta(days=9)
    )
    with pytest.raises(NotAllowed):
        acceptance.decide_extension(extension, by=people[who], approve=True)
    assert AcceptanceExtension.objects.get(pk=extension.pk).status == "pending"


@pytest.mark.parametrize("who", ["unit", "other_unit", "ndrc_reviewer", "finance", "cyberspace", "bigdata",
                                 "auditor", "expert", "admin"])  # fmt: skip
def test_r_acc_4_only_ndrcs_signer_passes_or_fails_an_acceptance(reviewing, people, who):
    with pytest.raises(NotAllowed):
        acceptance.pass_acceptance(reviewing, by=people[who])
    with pytest.raises(NotAllowed):
        acceptance.fail_acceptance(reviewing, by=people[who], items="整改。")
    assert Project.objects.get(pk=reviewing.pk).state == State.ACCEPTANCE_REVIEW
    assert not IssuedDocument.objects.filter(kind="acceptance").exists()


@pytest.mark.parametrize(
    "who", ["unit", "other_unit", "finance", "cyberspace", "bigdata", "auditor", "expert", "admin"]
)
def test_r_acc_4_only_ndrc_organises_the_acceptance_review(reviewing, people, expert, who):
    with pytest.raises(NotAllowed):
        acceptance.record_method(reviewing, by=people[who], method="departments", departments="省大数据中心")
    with pytest.raises(NotAllowed):
        acceptance.invite_expert(reviewing, expert, by=people[who])


@pytest.mark.parametrize("who", OTHERS)
def test_r_acc_4_only_the_unit_reapplies_and_reports_to_the_office(reviewing, people, signers, who):
    acceptance.fail_acceptance(reviewing, by=signers["ndrc"], items="整改。")
    with pytest.raises(NotAllowed):
        acceptance.reapply(reviewing, by=people[who], rectification_report="已整改。")
    assert Project.objects.get(pk=reviewing.pk).state == State.ACCEPTANCE_FAILED


@pytest.mark.parametrize("who", OTHERS)
def test_r_acc_4_only_the_unit_reports_the_acceptance(reviewing, people, signers, who):
    acceptance.pass_acceptance(reviewing, by=signers["ndrc"])
    with pytest.raises(NotAllowed):
        acceptance.report_to_office(reviewing, by=people[who])


def test_a_refused_read_only_attempt_changes_nothing_and_says_why(reviewing, auditor):
    with pytest.raises(NotAllowed, match="审计和系统管理人员"):
        acceptance.pass_acceptance(reviewing, by=auditor)


def test_an_acceptance_material_whose_stored_file_is_missing_gets_a_clear_page(client, building, applicant):
    from django.urls import reverse

    from govinfo.audit.models import AuditEvent
    from govinfo.stored_files import MISSING_ACTION

    material = acceptance.upload_material(building, by=applicant, kind="summary", upload=pdf("总结报告.pdf"))
    material.file.storage.delete(material.file.name)
    client.force_login(applicant)
    client.raise_request_exception = False
    response = client.get(reverse("delivery:acceptance_material", args=[building.pk, material.pk]))
    assert response.status_code == 410 and "请联系系统管理员" in response.content.decode()
    assert AuditEvent.objects.filter(action=MISSING_ACTION, actor=applicant).count() == 1
