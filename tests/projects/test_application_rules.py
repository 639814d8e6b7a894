"""The application rules as corrected against the articles: R-APP-3 (原项目 makes an upgrade), R-APP-5 (the whole of
第八条（四）), R-APP-8 (the path is fixed once the 可研 is approved), R-APP-9 (any change beyond the 可研 批复 is
asked; a major one goes back to 可研 approval), R-APP-11 (第五十条 安全可靠 statement) and R-APP-12 (第十二条:
a project that cannot share its data needs the 领导小组's approval). Each tries the violation and the allowed path."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue import services as catalogue_services
from govinfo.audit.models import AuditEvent
from govinfo.errors import NotAllowed, Refused
from projects import exclusions, services
from projects.checks import submission_failures
from projects.models import ApprovalPath, MaterialKind, Project, State, TwoStepStage
from tests.catalogue.factories import bigdata_member

from .factories import WAN, complete, draft, pdf_upload

pytestmark = pytest.mark.django_db


def rules(project):
    return {f.rule for f in submission_failures(project)}


def failure(project, rule):
    return next(f for f in submission_failures(project) if f.rule == rule)


# -- R-APP-3 ----------------------------------------------------------------------------------------


def test_r_app_3_naming_an_unaccepted_predecessor_refuses_submission_without_the_upgrade_tick(
    unit, applicant
):
    earlier = complete(unit, applicant, name="四川省教育管理平台（一期）")
    earlier = services.submit(earlier, by=applicant)
    project = complete(unit, applicant, name="四川省教育管理平台（二期）")
    project = services.update_section(
        project, by=applicant, section="basic", changes={"predecessor": earlier, "is_upgrade": False}
    )
    assert project.is_upgrade  # naming the 原项目 makes it an upgrade, whatever the tick said
    found = failure(project, "R-APP-3")
    assert "尚未通过验收" in found.message and "第八条（八）" in str(found)
    with pytest.raises(Refused, match="R-APP-3"):
        services.submit(project, by=applicant)

    # Allowed: the 原项目 has been accepted (验收合格, in operation) and published the data it produces.
    Project.objects.filter(pk=earlier.pk).update(state=State.IN_OPERATION)
    produced = earlier.resource_links.get().resource
    catalogue_services.submit_resource(produced, by=applicant)
    catalogue_services.publish_resource(produced, by=bigdata_member())
    project.refresh_from_db()
    assert "R-APP-3" not in rules(project)
    assert services.submit(project, by=applicant).state == State.SUBMITTED


def test_r_app_3_an_outside_predecessor_named_needs_its_acceptance_reference(unit, applicant):
    project = complete(unit, applicant, predecessor_name="四川省教育管理平台（省外系统）", is_upgrade=False)
    assert project.is_upgrade
    assert "验收意见文号" in failure(project, "R-APP-3").message
    project = services.update_section(
        project, by=applicant, section="basic", changes={"predecessor_acceptance_ref": "川发改验〔2023〕8号"}
    )
    assert "R-APP-3" not in rules(project)


def test_r_app_3_a_project_naming_no_predecessor_is_not_an_upgrade(unit, applicant):
    project = complete(unit, applicant)
    assert not project.is_upgrade and "R-APP-3" not in rules(project)


# -- R-APP-5 ----------------------------------------------------------------------------------------


def test_r_app_5_clause_four_asks_about_every_common_system_of_article_8(unit, applicant):
    item = exclusions.BY_CODE["common_systems"]
    question = str(item.question)
    for system in ["数字证书", "电子证照", "电子签章", "公共支付", "物流配套", "通知消息", "咨询投诉"]:
        assert system in question
    for platform in [
        "政府网站支撑平台",
        "独立封装的移动客户端",
        "大数据处理分析平台",
        "执法检查类系统及相关模块",
    ]:
        assert platform in question
    assert item.clause == "（四）"


def test_r_app_5_a_yes_to_clause_four_without_a_legal_basis_refuses_submission(unit, applicant):
    project = complete(unit, applicant)
    answers = dict(project.exclusion_answers)
    answers["common_systems"] = {"answer": exclusions.YES, "basis": ""}
    project = services.update_section(
        project, by=applicant, section="exclusions", changes={"exclusion_answers": answers}
    )
    found = failure(project, "R-APP-5")
    assert "第八条（四）" in found.message and "不能申报" in found.message
    with pytest.raises(Refused, match="R-APP-5"):
        services.submit(project, by=applicant)
    answers["common_systems"] = {"answer": exclusions.YES, "basis": "《中华人民共和国电子签名法》有明确规定"}
    project = services.update_section(
        project, by=applicant, section="exclusions", changes={"exclusion_answers": answers}
    )
    assert "R-APP-5" not in rules(project)


def test_r_app_5_an_answer_to_the_shorter_wording_of_clause_four_is_asked_again(unit, applicant):
    project = complete(unit, applicant)
    answers = {k: v for k, v in project.exclusion_answers.items() if k != "common_systems"}
    answers["duplicate_common"] = {"answer": exclusions.NO, "basis": ""}  # the old code, without 物流配套
    project = services.update_section(
        project, by=applicant, section="exclusions", changes={"exclusion_answers": answers}
    )
    found = failure(project, "R-APP-5")
    assert "尚未作答" in found.message and "第八条（四）" in found.message


# -- R-APP-8 ----------------------------------------------------------------------------------------


def _after_feasibility_approval(project, approved_wan):
    """The state approve_feasibility leaves (tests/approvals walk it through the services)."""
    Project.objects.filter(pk=project.pk).update(
        two_step_stage=TwoStepStage.PRELIMINARY_DESIGN,
        feasibility_approved_investment=Decimal(approved_wan) * WAN,
        approval_path=ApprovalPath.TWO_STEP,
    )
    project.refresh_from_db()
    return project


def test_r_app_8_a_second_stage_stays_a_preliminary_design_when_its_estimate_falls_to_2000_wan(
    unit, applicant
):
    project = _after_feasibility_approval(complete(unit, applicant, investment_wan=2600), 2600)
    project = services.update_section(
        project, by=applicant, section="funding", changes={"total_investment": Decimal(1800) * WAN}
    )
    assert project.approval_path == ApprovalPath.TWO_STEP
    assert project.two_step_stage == TwoStepStage.PRELIMINARY_DESIGN
    missing = failure(project, "R-APP-1").message
    assert "初步设计方案" in missing and "实施方案" not in missing


def test_r_app_8_before_any_feasibility_approval_the_path_follows_the_total(unit, applicant):
    project = complete(unit, applicant, investment_wan=2600)
    assert project.approval_path == ApprovalPath.TWO_STEP
    project = services.update_section(
        project, by=applicant, section="funding", changes={"total_investment": Decimal(1800) * WAN}
    )
    assert project.approval_path == ApprovalPath.ONE_STEP


# -- R-APP-9 ----------------------------------------------------------------------------------------


@pytest.fixture
def design(unit, applicant):
    """A 初步设计 after its 可研 批复 of 2600万元, its main document uploaded."""
    project = _after_feasibility_approval(complete(unit, applicant, investment_wan=2600), 2600)
    services.upload_material(project, by=applicant, kind=MaterialKind.PRELIMINARY_DESIGN, upload=pdf_upload())
    return project


def test_r_app_9_the_design_form_asks_whether_it_goes_beyond_the_feasibility_approval(design, applicant):
    found = failure(design, "R-APP-9")
    assert found.section == "design" and "是否超出可行性研究报告批复" in found.message
    project = services.update_section(
        design, by=applicant, section="design", changes={"design_exceeds_feasibility": False}
    )
    assert "R-APP-9" not in rules(project)


def test_r_app_9_a_content_change_without_an_investment_increase_needs_the_change_chapter(design, applicant):
    project = services.update_section(
        design, by=applicant, section="design", changes={"design_exceeds_feasibility": True}
    )
    assert project.total_investment == project.feasibility_approved_investment  # the total did not rise
    found = failure(project, "R-APP-9")
    assert "独立章节" in found.message and "第二十五条" in str(found)
    services.upload_material(project, by=applicant, kind=MaterialKind.DESIGN_CHANGE, upload=pdf_upload())
    assert "R-APP-9" not in rules(project)


def test_r_app_9_an_investment_increase_counts_even_when_answered_no(design, applicant):
    project = services.update_section(
        design,
        by=applicant,
        section="design",
        changes={"design_exceeds_feasibility": False},
    )
    project = services.update_section(
        project, by=applicant, section="funding", changes={"total_investment": Decimal(2900) * WAN}
    )
    assert "独立章节" in failure(project, "R-APP-9").message


def test_r_app_9_a_major_change_goes_back_to_feasibility_approval_and_is_never_stuck(design, applicant, unit):
    project = services.update_section(
        design,
        by=applicant,
        section="design",
        changes={"design_exceeds_feasibility": True, "design_change_is_major": True},
    )
    found = failure(project, "R-APP-9")
    assert "重新报批可行性研究报告" in found.message
    with pytest.raises(Refused, match="R-APP-9"):
        services.submit(project, by=applicant)

    # The path back: the project returns to its 可研 stage, on the two-step path (R-APP-8).
    project = services.return_to_feasibility(project, by=applicant)
    assert project.state == State.DRAFT and project.two_step_stage == TwoStepStage.FEASIBILITY
    assert project.approval_path == ApprovalPath.TWO_STEP and project.returned_to_feasibility_at
    assert project.design_exceeds_feasibility is None and not project.design_change_is_major
    event = AuditEvent.objects.filter(action="projects.project.returned_to_feasibility").get()
    assert event.actor == applicant and event.from_state == "draft"

    # The revised 可研 must be uploaded again before it is resubmitted.
    assert "修订后的可行性研究报告" in failure(project, "R-APP-9").message
    services.upload_material(project, by=applicant, kind=MaterialKind.FEASIBILITY, upload=pdf_upload())
    assert "R-APP-9" not in rules(project)
    project = services.submit(project, by=applicant)
    assert project.state == State.SUBMITTED
    assert project.revisions.order_by("-number").first().stage == "feasibility"


def test_r_app_9_only_a_major_change_of_a_preliminary_design_goes_back(
    design, applicant, unit, other_applicant
):
    with pytest.raises(Refused, match="重大变更"):
        services.return_to_feasibility(design, by=applicant)
    one_step = complete(unit, applicant, name="四川省一步审批系统")
    with pytest.raises(Refused, match="初步设计阶段"):
        services.return_to_feasibility(one_step, by=applicant)
    project = services.update_section(
        design,
        by=applicant,
        section="design",
        changes={"design_exceeds_feasibility": True, "design_change_is_major": True},
    )
    with pytest.raises(NotAllowed, match="牵头单位"):
        services.return_to_feasibility(project, by=other_applicant)


def test_r_app_9_the_design_section_and_the_way_back_on_the_page(client, design, applicant):
    client.force_login(applicant)
    url = reverse("projects:section", args=[design.pk, "design"])
    body = client.get(url).content.decode()
    assert 'data-testid="design-intro"' in body and "2,600.00" in body
    response = client.post(url, {"design_exceeds_feasibility": "yes", "design_change_is_major": "yes"})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert reverse("projects:return_to_feasibility", args=[design.pk]) in body
    response = client.post(reverse("projects:return_to_feasibility", args=[design.pk]), {"state": "draft"})
    assert response.status_code == 302
    design.refresh_from_db()
    assert design.two_step_stage == TwoStepStage.FEASIBILITY
    # A project no longer at the 初步设计 stage has no such section.
    assert client.get(url).status_code == 302


def test_r_app_9_answering_no_change_with_a_major_change_is_refused_on_the_form(client, design, applicant):
    client.force_login(applicant)
    url = reverse("projects:section", args=[design.pk, "design"])
    response = client.post(url, {"design_exceeds_feasibility": "no", "design_change_is_major": "yes"})
    assert response.status_code == 400 and "不存在重大变更" in response.content.decode()


# -- R-APP-11 ---------------------------------------------------------------------------------------


def test_r_app_11_no_submission_without_the_secure_and_reliable_statement(unit, applicant):
    project = complete(unit, applicant, secure_reliable_status="", secure_reliable_note="")
    found = failure(project, "R-APP-11")
    assert "第五十条" in str(found) and "安全可靠" in found.message and found.section == "technical"
    with pytest.raises(Refused, match="R-APP-11"):
        services.submit(project, by=applicant)
    project = services.update_section(
        project,
        by=applicant,
        section="technical",
        changes={
            "secure_reliable_status": "partly",
            "secure_reliable_note": "数据库暂用国外产品，2027年完成替代。",
        },
    )
    assert "R-APP-11" not in rules(project)
    assert services.submit(project, by=applicant).state == State.SUBMITTED


# -- R-APP-12 (the project's part; the unit's 数据归集 is in tests/catalogue/test_violations.py) ----------


def test_r_app_12_a_project_that_cannot_share_needs_the_leading_groups_approval(unit, applicant):
    project = complete(unit, applicant, data_sharing_exempt=True, sharing_exemption_basis="涉及国家秘密")
    found = failure(project, "R-APP-12")
    assert "第十二条" in str(found) and "领导小组" in found.message and "批准文号" in found.message
    with pytest.raises(Refused, match="R-APP-12"):
        services.submit(project, by=applicant)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    project = services.update_section(
        project,
        by=applicant,
        section="technical",
        changes={"leading_group_approval_no": "川信领办〔2026〕3号", "leading_group_approval_date": tomorrow},
    )
    assert "R-APP-12" in rules(project)  # a date still to come is no approval
    project = services.update_section(
        project,
        by=applicant,
        section="technical",
        changes={"leading_group_approval_date": timezone.localdate()},
    )
    assert "R-APP-12" not in rules(project)
    assert services.submit(project, by=applicant).state == State.SUBMITTED


def test_r_app_12_a_project_that_shares_needs_no_approval(unit, applicant):
    assert "R-APP-12" not in rules(complete(unit, applicant))


def test_the_new_fields_are_frozen_in_the_revision(unit, applicant):
    project = complete(
        unit,
        applicant,
        data_sharing_exempt=True,
        sharing_exemption_basis="涉及国家秘密",
        leading_group_approval_no="川信领办〔2026〕3号",
        leading_group_approval_date=dt.date(2026, 3, 2),
    )
    project = services.submit(project, by=applicant)
    technical = next(s for s in project.revisions.get().content["sections"] if s["key"] == "technical")
    shown = {f["name"]: f["display"] for f in technical["fields"]}
    assert shown["leading_group_approval_date"] == "2026年3月2日"
    assert shown["secure_reliable_status"] == "软硬件产品均采用安全可靠产品"
    assert shown["data_sharing_exempt"] == "是"


def test_drafts_are_untouched_by_the_new_rules_until_submission(unit, applicant):
    project = draft(unit, applicant)
    assert project.state == State.DRAFT and {"R-APP-11"} <= rules(project)
