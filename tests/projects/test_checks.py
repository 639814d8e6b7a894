"""The submit guard: every R-APP rule this branch implements, each refusing with its id and article."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projects import exclusions, services
from projects.checks import submission_failures
from projects.guards import ActionRefused
from projects.models import MaterialKind, Mode, Project, State, TwoStepStage

from .factories import WAN, complete, draft, pdf_upload

pytestmark = pytest.mark.django_db


def rules(project):
    return [f.rule for f in submission_failures(project)]


def messages(project):
    return [str(f) for f in submission_failures(project)]


def test_a_complete_project_passes_every_check(ready_project):
    assert submission_failures(ready_project) == []


def test_r_app_1_an_empty_draft_lists_every_missing_part_by_name(project):
    text = "\n".join(messages(project))
    for part in ["基本情况缺少", "主要任务", "建设依据和必要性", "绩效目标", "实施方式"]:
        assert part in text
    for part in ["技术方案缺少", "政务云资源需求", "密码应用要点", "等级保护/分级保护级别"]:
        assert part in text
    for part in ["资金来源缺少", "总投资", "年度运行维护经费", "经费渠道"]:
        assert part in text
    assert "密码应用方案、" in text or "密码应用方案，" in text
    assert "依据《四川省省级政务信息化项目管理办法》第十六条（R-APP-1）" in text


def test_r_app_1_the_submit_refusal_carries_all_failures_at_once(project, applicant):
    with pytest.raises(ActionRefused) as refused:
        services.submit(project, by=applicant)
    found = {f.rule for f in refused.value.failures}
    assert {"R-APP-1", "R-APP-5"} <= found
    project.refresh_from_db()
    assert project.state == State.DRAFT and project.code is None


def test_r_app_1_technical_documents_follow_the_approval_path(unit, applicant):
    project = complete(unit, applicant, investment_wan=3000, materials=False)
    text = "\n".join(messages(project))
    assert "可行性研究报告" in text and "实施方案、" not in text
    purchase = complete(
        unit, applicant, name="购买服务项目", materials=False, implementation_mode=Mode.PURCHASE
    )
    assert "服务需求方案" in "\n".join(messages(purchase))


def test_r_app_3_an_upgrade_of_a_project_not_yet_accepted_is_refused(unit, applicant):
    earlier = Project.objects.create(
        name="原教育管理系统", year=2022, lead_unit=unit, created_by=applicant, state=State.IN_CONSTRUCTION
    )
    project = complete(unit, applicant, is_upgrade=True, predecessor=earlier)
    failures = [f for f in submission_failures(project) if f.rule == "R-APP-3"]
    assert len(failures) == 1
    assert "原项目“原教育管理系统”尚未通过验收" in str(failures[0])
    assert "第八条（八）（R-APP-3）" in str(failures[0])


def test_r_app_3_an_upgrade_of_an_accepted_project_passes(unit, applicant):
    earlier = Project.objects.create(
        name="原教育管理系统", year=2022, lead_unit=unit, created_by=applicant, state=State.IN_OPERATION
    )
    project = complete(unit, applicant, is_upgrade=True, predecessor=earlier)
    assert "R-APP-3" not in rules(project)


def test_r_app_3_an_upgrade_must_name_its_predecessor(unit, applicant):
    project = complete(unit, applicant, is_upgrade=True)
    assert "R-APP-3" in rules(project)
    services.update_section(
        project,
        by=applicant,
        section="basic",
        changes={"predecessor_name": "省教育统计系统", "predecessor_acceptance_ref": "川发改验〔2021〕8号"},
    )
    assert "R-APP-3" not in rules(project)


def test_r_app_4_a_failed_acceptance_blocks_the_unit(unit, applicant):
    Project.objects.create(
        name="验收不合格的项目",
        year=2023,
        lead_unit=unit,
        created_by=applicant,
        state=State.ACCEPTANCE_FAILED,
    )
    project = complete(unit, applicant)
    failures = [str(f) for f in submission_failures(project) if f.rule == "R-APP-4"]
    assert failures == [
        "依据《四川省省级政务信息化项目管理办法》第三十二条（R-APP-4），"
        "本单位项目“验收不合格的项目”验收不合格且尚未整改通过，暂停本单位新增项目。"
    ]


def test_r_app_4_a_project_past_its_acceptance_date_blocks_the_unit(unit, applicant):
    Project.objects.create(
        name="逾期未验收的项目",
        year=2023,
        lead_unit=unit,
        created_by=applicant,
        state=State.TRIAL_OPERATION,
        acceptance_due=timezone.localdate() - dt.timedelta(days=1),
    )
    project = complete(unit, applicant)
    failures = [str(f) for f in submission_failures(project) if f.rule == "R-APP-4"]
    assert len(failures) == 1 and "已超过应申请验收日期" in failures[0]


def test_r_app_4_a_deadline_not_yet_reached_and_other_units_do_not_block(unit, other_unit, applicant):
    Project.objects.create(
        name="建设中的项目",
        year=2025,
        lead_unit=unit,
        created_by=applicant,
        state=State.IN_CONSTRUCTION,
        acceptance_due=timezone.localdate() + dt.timedelta(days=30),
    )
    Project.objects.create(
        name="别的单位验收不合格",
        year=2023,
        lead_unit=other_unit,
        created_by=applicant,
        state=State.ACCEPTANCE_FAILED,
    )
    assert "R-APP-4" not in rules(complete(unit, applicant))


def test_r_app_5_unanswered_items_are_listed(unit, applicant):
    project = complete(unit, applicant, exclusion_answers={"machine_room": {"answer": "no", "basis": ""}})
    failure = next(f for f in submission_failures(project) if f.rule == "R-APP-5")
    assert "尚未作答" in failure.message and "（二）" in failure.message and "（一）" not in failure.message


def test_r_app_5_a_yes_without_legal_basis_blocks_and_with_basis_passes(unit, applicant):
    answers = {item.code: {"answer": exclusions.NO, "basis": ""} for item in exclusions.ITEMS}
    answers["machine_room"] = {"answer": exclusions.YES, "basis": ""}
    project = complete(unit, applicant, exclusion_answers=answers)
    failure = next(f for f in submission_failures(project) if f.rule == "R-APP-5")
    assert "第八条（一）" in failure.message and "法律法规" in failure.message
    answers["machine_room"] = {
        "answer": exclusions.YES,
        "basis": "《中华人民共和国保守国家秘密法》第二十三条",
    }
    services.update_section(
        project, by=applicant, section="exclusions", changes={"exclusion_answers": answers}
    )
    assert "R-APP-5" not in rules(project)


def test_r_app_6_a_joint_project_needs_every_units_scope(ready_project, applicant, other_unit):
    services.set_participants(ready_project, by=applicant, lead_scope="", rows=[(other_unit, "")])
    failure = next(f for f in submission_failures(ready_project) if f.rule == "R-APP-6")
    assert "省教育厅（牵头）" in failure.message and "省卫生健康委" in failure.message
    assert "第二十一条、第二十七条（R-APP-6）" in str(failure)
    services.set_participants(ready_project, by=applicant, lead_scope="门户", rows=[(other_unit, "接口")])
    assert "R-APP-6" not in rules(ready_project)


def test_r_app_7_a_purchase_project_must_meet_every_condition(unit, applicant):
    project = complete(unit, applicant, implementation_mode=Mode.PURCHASE)
    services.upload_material(project, by=applicant, kind=MaterialKind.SERVICE_PLAN, upload=pdf_upload())
    text = "\n".join(str(f) for f in submission_failures(project) if f.rule == "R-APP-7")
    assert "购买服务条件尚未确认" in text and "经济性比较" in text and "第十九条（R-APP-7）" in text
    services.update_section(
        project,
        by=applicant,
        section="purchase",
        changes={
            "purchase_not_goods_or_works": True,
            "purchase_cheaper_than_self_build": False,
            "purchase_multiple_suppliers": True,
            "purchase_no_secrecy_conflict": True,
            "purchase_comparison": "五年服务费 800 万元，自建加运维约 1300 万元。",
        },
    )
    text = "\n".join(str(f) for f in submission_failures(project) if f.rule == "R-APP-7")
    assert "不满足政府购买服务条件" in text and "服务费总额明显小于" in text
    services.update_section(
        project, by=applicant, section="purchase", changes={"purchase_cheaper_than_self_build": True}
    )
    assert "R-APP-7" not in rules(project)


def test_r_app_7_does_not_concern_self_built_projects(ready_project):
    assert "R-APP-7" not in rules(ready_project)


@pytest.mark.parametrize(
    ("wan", "path"), [(1999.99, "one_step"), (2000, "one_step"), (2000.01, "two_step"), (8600, "two_step")]
)
def test_r_app_8_the_path_follows_the_2000_wan_limit(unit, applicant, wan, path):
    project = draft(unit, applicant, total_investment=Decimal(str(wan)) * WAN)
    assert project.approval_path == path


def test_r_app_8_an_override_takes_the_one_step_path_only_with_a_recorded_reason(unit, applicant):
    project = complete(unit, applicant, investment_wan=5000, path_override="urgent_security")
    assert project.approval_path == "two_step"
    failure = next(f for f in submission_failures(project) if f.rule == "R-APP-8")
    assert "须写明具体依据和理由" in str(failure) and "第十八条（R-APP-8）" in str(failure)
    project = services.update_section(
        project,
        by=applicant,
        section="funding",
        changes={"path_override_reason": "省委办公厅明传电报要求年内建成"},
    )
    assert project.approval_path == "one_step"
    assert "R-APP-8" not in rules(project)


def test_r_app_9_a_preliminary_design_over_its_feasibility_approval_needs_a_change_chapter(unit, applicant):
    project = complete(unit, applicant, investment_wan=3000)
    Project.objects.filter(pk=project.pk).update(
        two_step_stage=TwoStepStage.PRELIMINARY_DESIGN,
        feasibility_approved_investment=Decimal(2800) * WAN,
        design_exceeds_feasibility=True,
    )
    project.refresh_from_db()
    services.upload_material(project, by=applicant, kind=MaterialKind.PRELIMINARY_DESIGN, upload=pdf_upload())
    failure = next(f for f in submission_failures(project) if f.rule == "R-APP-9")
    assert "独立章节" in failure.message and "第二十五条" in str(failure)
    services.upload_material(project, by=applicant, kind=MaterialKind.DESIGN_CHANGE, upload=pdf_upload())
    assert "R-APP-9" not in rules(project)


def test_r_app_9_a_major_change_goes_back_to_feasibility_approval(unit, applicant):
    project = complete(unit, applicant, investment_wan=3000, design_exceeds_feasibility=True)
    Project.objects.filter(pk=project.pk).update(
        two_step_stage=TwoStepStage.PRELIMINARY_DESIGN, design_change_is_major=True
    )
    project.refresh_from_db()
    failure = next(f for f in submission_failures(project) if f.rule == "R-APP-9")
    assert "重新报批可行性研究报告" in failure.message


def test_r_app_10_no_prior_approvals_are_asked_without_civil_works(ready_project):
    assert "R-APP-10" not in rules(ready_project)


def test_r_app_10_civil_works_or_energy_intensive_need_the_approvals_attached(unit, applicant):
    for flag in ("includes_civil_works", "energy_intensive"):
        project = complete(unit, applicant, name=f"含{flag}", **{flag: True})
        failure = next(f for f in submission_failures(project) if f.rule == "R-APP-10")
        assert "第二十三条（R-APP-10）" in str(failure)
        services.upload_material(
            project, by=applicant, kind=MaterialKind.PRIOR_APPROVALS, upload=pdf_upload()
        )
        assert "R-APP-10" not in rules(project)
