"""Filing by the 省大数据中心 and the start of construction: R-BLD-1, R-PRC-1, R-PRC-2, the acceptance deadline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from delivery import filing
from delivery.models import Construction, Filing, Procurement
from govinfo.audit.models import AuditEvent
from govinfo.errors import NotAllowed, Refused
from govinfo.workdays.days import add_working_days
from projects.models import State

from .construction_factories import GOODS_TENDER, WAN, approved, filed, ready_to_start
from .construction_fixtures import *  # noqa: F401,F403  (the fixtures of these tests)


@pytest.fixture
def approved_project(unit, applicant, signers):
    return approved(unit, applicant, signers)


# -- filing -------------------------------------------------------------------------------------------


def test_bigdata_files_the_approved_project_with_the_approved_total_period_and_批复(
    approved_project, bigdata
):
    result = filing.file_project(
        approved_project, by=bigdata, system_name="测试业务系统", construction_months=18, note="纳入系统目录"
    )
    approved_project.refresh_from_db()
    assert approved_project.state == State.FILED
    row = Filing.objects.get(project=approved_project)
    assert result == row
    assert row.number == f"川政信备-{timezone.localdate().year}-0001"
    assert row.approved_total == Decimal(1500) * WAN and row.construction_months == 18
    assert (
        row.approval_document.kind == "approval"
        and row.approval_document.project_code == approved_project.code
    )
    event = AuditEvent.objects.for_object(approved_project).get(action="delivery.project.filed")
    assert event.actor == bigdata and event.to_state == State.FILED
    assert event.details["filing_number"] == row.number


def test_filing_numbers_follow_each_other_without_gaps(unit, applicant, signers):
    first = filed(approved(unit, applicant, signers, name="甲系统"), signers["bigdata"])
    second = filed(approved(unit, applicant, signers, name="乙系统"), signers["bigdata"])
    year = timezone.localdate().year
    assert [first.filing.number, second.filing.number] == [f"川政信备-{year}-0001", f"川政信备-{year}-0002"]


def test_only_the_bigdata_centre_files(approved_project, roles_of):
    for who in ["unit", "ndrc signer", "ndrc reviewer", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            filing.file_project(approved_project, by=roles_of[who], system_name="x", construction_months=12)
    approved_project.refresh_from_db()
    assert approved_project.state == State.APPROVED and not Filing.objects.exists()


def test_the_construction_period_is_asked_within_reason(approved_project, bigdata):
    with pytest.raises(Refused, match="建设期限"):
        filing.file_project(approved_project, by=bigdata, system_name="x", construction_months=0)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("建设期限为18个月。", 18),
        ("项目建设周期两年", 24),
        ("建设期十二个月", 12),
        ("2027年底前建成", None),
        ("", None),
    ],
)
def test_the_construction_period_is_read_from_the_批复_words(text, months):
    assert filing.months_in(text) == months


# -- R-BLD-1 ------------------------------------------------------------------------------------------


def test_r_bld_1_the_responsible_person_is_the_units_head(unit, applicant, approved_project, bigdata):
    project = filed(approved_project, bigdata)
    with pytest.raises(Refused) as refused:
        filing.record_start_facts(
            project, by=applicant, responsible_person="李四", supervisor_name="某监理公司"
        )
    assert "R-BLD-1" in refused.value.message and "第二十六条" in refused.value.message
    assert "张三" in refused.value.message  # the head the unit is registered with
    facts = filing.record_start_facts(
        project,
        by=applicant,
        responsible_person="张三",
        supervisor_name="某监理公司",
        supervisor_contact="王工",
    )
    assert facts.responsible_person == "张三" and facts.supervisor_name == "某监理公司"
    assert AuditEvent.objects.for_object(project).filter(action="delivery.construction.recorded").count() == 1


def test_r_bld_1_a_supervision_unit_is_commissioned(applicant, approved_project, bigdata):
    project = filed(approved_project, bigdata)
    with pytest.raises(Refused, match="工程监理单位"):
        filing.record_start_facts(project, by=applicant, responsible_person="张三", supervisor_name=" ")
    assert not Construction.objects.exists()


def test_r_bld_1_construction_does_not_start_without_its_responsible_person_and_procurement(
    applicant, approved_project, bigdata
):
    project = filed(approved_project, bigdata)
    with pytest.raises(Refused) as refused:
        filing.start_build(project, by=applicant, started_on=timezone.localdate())
    messages = refused.value.messages
    assert any("R-BLD-1" in line and "项目责任人" in line for line in messages)
    assert any("R-PRC-1" in line and "采购情况" in line for line in messages)
    project.refresh_from_db()
    assert project.state == State.FILED and project.acceptance_due is None


def test_only_the_lead_unit_records_facts_procurements_and_starts(
    approved_project, applicant, bigdata, roles_of
):
    project = ready_to_start(approved_project, applicant, bigdata)
    for who in ["other unit", "ndrc signer", "bigdata", "finance", "auditor", "admin", "expert"]:
        person = roles_of[who]
        with pytest.raises(NotAllowed):
            filing.record_start_facts(
                project, by=person, responsible_person="张三", supervisor_name="某监理公司"
            )
        with pytest.raises(NotAllowed):
            filing.record_procurement(project, by=person, **GOODS_TENDER)
        with pytest.raises(NotAllowed):
            filing.start_build(project, by=person, started_on=timezone.localdate())
    project.refresh_from_db()
    assert project.state == State.FILED and Procurement.objects.count() == 1


# -- R-PRC-1 / R-PRC-2 ----------------------------------------------------------------------------------


@pytest.fixture
def filed_project(approved_project, bigdata):
    return filed(approved_project, bigdata)


def _procure(project, clerk, **overrides):
    return filing.record_procurement(project, by=clerk, **{**GOODS_TENDER, **overrides})


@pytest.mark.parametrize("method", [Procurement.Method.OPEN_TENDER, Procurement.Method.INVITED_TENDER])
def test_r_prc_1_tenders_use_comprehensive_scoring(filed_project, applicant, method):
    with pytest.raises(Refused) as refused:
        _procure(filed_project, applicant, method=method, evaluation=Procurement.Evaluation.LOWEST_PRICE)
    assert "R-PRC-1" in refused.value.message and "第三十九条" in refused.value.message
    assert "综合评分法" in refused.value.message
    assert (
        _procure(filed_project, applicant, method=method).evaluation == Procurement.Evaluation.COMPREHENSIVE
    )


@pytest.mark.parametrize(
    ("subject", "right", "wrong"),
    [(Procurement.Subject.GOODS, 30, 10), (Procurement.Subject.SERVICES, 10, 30)],
)
def test_r_prc_1_price_weight_is_30_for_goods_and_10_for_services(
    filed_project, applicant, subject, right, wrong
):
    for method in (Procurement.Method.OPEN_TENDER, Procurement.Method.CONSULTATION):
        with pytest.raises(Refused) as refused:
            _procure(filed_project, applicant, method=method, subject=subject, price_weight=wrong)
        assert "R-PRC-1" in refused.value.message and f"应当为{right}%" in refused.value.message
        assert (
            _procure(
                filed_project, applicant, method=method, subject=subject, price_weight=right
            ).price_weight
            == right
        )


def test_r_prc_1_single_source_is_exempt_from_the_price_weight(filed_project, applicant):
    recorded = _procure(
        filed_project, applicant, method=Procurement.Method.SINGLE_SOURCE, evaluation="", price_weight=None
    )
    assert recorded.price_weight is None


def test_r_prc_1_goods_or_services_must_be_decided(filed_project, applicant):
    with pytest.raises(Refused, match="货物还是服务"):
        _procure(filed_project, applicant, subject="")


OM = {
    "name": "系统运行维护服务",
    "subject": Procurement.Subject.SERVICES,
    "method": Procurement.Method.CONSULTATION,
    "evaluation": "",
    "price_weight": 10,
    "is_om_service": True,
    "om_term_months": 36,
    "om_budget_assured": True,
    "om_contract_per_year": True,
}


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"om_term_months": 48}, "不得超过三年"),
        ({"om_budget_assured": False}, "年度预算能够保障"),
        ({"om_contract_per_year": False}, "分年签订"),
        ({"subject": Procurement.Subject.GOODS, "price_weight": 30}, "属于服务"),
    ],
)
def test_r_prc_2_an_om_service_runs_at_most_three_years_within_budget_contracted_yearly(
    filed_project, applicant, overrides, words
):
    with pytest.raises(Refused) as refused:
        _procure(filed_project, applicant, **{**OM, **overrides})
    assert (
        "R-PRC-2" in refused.value.message
        and "第四十二条" in refused.value.message
        and words in refused.value.message
    )
    assert _procure(filed_project, applicant, **OM).om_term_months == 36


# -- the start and the acceptance deadline ------------------------------------------------------------


def test_the_start_sets_the_acceptance_deadline_from_the_approved_period(
    approved_project, applicant, bigdata
):
    project = ready_to_start(approved_project, applicant, bigdata, months=12)
    today = timezone.localdate()
    filing.start_build(project, by=applicant, started_on=today)
    project.refresh_from_db()
    assert project.state == State.IN_CONSTRUCTION
    expected = add_working_days(filing.add_months(today, 15), 0)
    assert (
        project.acceptance_due == expected == Construction.objects.get(project=project).first_acceptance_due
    )
    event = AuditEvent.objects.for_object(project).get(action="delivery.project.started")
    assert event.details["acceptance_due"] == expected.isoformat()


def test_the_acceptance_deadline_counts_trial_operation_and_skips_holidays(db):
    # 2025-06-01 + 1 month of construction + 3 of trial = 2025-10-01, 国庆: the next working day is 10月9日.
    assert filing.acceptance_deadline(dt.date(2025, 6, 1), 1) == dt.date(2025, 10, 9)
    # 2025-10-15 + 1 + 3 = 2026-02-15, in the 春节 holiday: 2月24日.
    assert filing.acceptance_deadline(dt.date(2025, 10, 15), 1) == dt.date(2026, 2, 24)
    assert filing.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


def test_the_start_date_is_not_in_the_future_nor_before_the_filing(approved_project, applicant, bigdata):
    project = ready_to_start(approved_project, applicant, bigdata)
    with pytest.raises(Refused, match="不能晚于今天"):
        filing.start_build(project, by=applicant, started_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(Refused, match="不能早于备案日期"):
        filing.start_build(project, by=applicant, started_on=timezone.localdate() - dt.timedelta(days=1))
