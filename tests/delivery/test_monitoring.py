"""绩效监控报告: R-BLD-4 (川办法 第四十五条)."""

import datetime as dt

import pytest
from django.utils import timezone

from delivery import monitoring
from delivery.dates import year_end_deadline
from delivery.models import MonitoringReport
from govinfo.errors import NotAllowed, Refused
from govinfo.home.todo import items_for
from govinfo.orgs.models import Role
from govinfo.workdays.days import is_workday
from projects import access
from projects.models import Project, State
from tests.factories import member

from .factories import in_trial

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def report(project, by, **overrides):
    fields = {
        "year": YEAR,
        "progress": "完成需求分析、系统设计和主体开发。",
        "fund_execution": "已支付合同款的60%。",
        "user_unit_name": "四川省教育考试院",
        "user_unit_opinion": "功能满足业务需要。",
        "supervisor_name": "四川某工程监理有限公司",
        "supervisor_opinion": "进度和质量受控。",
    }
    fields.update(overrides)
    return monitoring.file_report(project, by=by, **fields)


def test_r_bld_4_the_report_records_who_was_consulted_and_goes_to_ndrc_and_finance(building, applicant):
    finance_clerk = member(Role.REVIEWER, agency_code="finance")
    filed = report(building, applicant)
    assert (filed.user_unit_name, filed.supervisor_name) == ("四川省教育考试院", "四川某工程监理有限公司")
    assert filed.due_date == year_end_deadline(YEAR) and not filed.is_late
    assert access.can_view(finance_clerk, building)  # 第四十五条: to NDRC and Finance


def test_r_bld_4_without_consulting_the_user_and_supervision_units_it_is_refused(building, applicant):
    with pytest.raises(Refused) as exc:
        report(building, applicant, user_unit_name="", user_unit_opinion="", supervisor_opinion="")
    text = "\n".join(str(f) for f in exc.value.failures)
    assert "第四十五条（R-BLD-4）" in text
    assert "使用单位" in text and "监理单位的意见" in text
    assert not MonitoringReport.objects.exists()


def test_r_bld_4_in_trial_operation_the_trial_results_are_required(building, applicant):
    in_trial(building, applicant)
    with pytest.raises(Refused, match="试运行效果"):
        report(building, applicant)
    filed = report(building, applicant, trial_results="运行平稳，峰值并发2000。")
    assert filed.project_state == State.TRIAL_OPERATION


def test_r_bld_4_one_report_per_year(building, applicant):
    report(building, applicant)
    with pytest.raises(NotAllowed, match="已提交"):
        report(building, applicant)


def test_r_bld_4_the_deadline_is_31_december_on_the_working_day_calendar():
    for year in (2025, 2026, 2027):
        due = year_end_deadline(year)
        assert due >= dt.date(year, 12, 31) and is_workday(due)
        if is_workday(dt.date(year, 12, 31)):
            assert due == dt.date(year, 12, 31)


def test_r_bld_4_every_year_since_construction_began_owes_a_report(building):
    owed = monitoring.missing(Project.objects.filter(pk=building.pk), dt.date(YEAR, 6, 1))
    assert [o.year for o in owed] == [YEAR]
    later = monitoring.missing(Project.objects.filter(pk=building.pk), dt.date(YEAR + 1, 6, 1))
    assert [(o.year, o.overdue) for o in later] == [(YEAR, True), (YEAR + 1, False)]


def test_r_bld_4_overdue_reports_are_on_the_to_do_lists(building, applicant, signers, monkeypatch):
    next_summer = dt.date(YEAR + 1, 6, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: next_summer)
    titles = [item.title for item in items_for(applicant) if item.overdue]
    assert any(f"绩效监控报告（{YEAR}年度）" in t for t in titles)
    ndrc_titles = [item.title for item in items_for(signers["ndrc"]) if item.overdue]
    assert any(f"逾期未报绩效监控报告（{YEAR}年度）" in t for t in ndrc_titles)


def test_r_bld_4_a_project_not_under_construction_owes_no_report(unit, applicant, signers):
    from .factories import approved

    project = approved(unit, applicant, signers)
    assert monitoring.due_years(project) == []
    with pytest.raises(NotAllowed, match="建设期和试运行期"):
        report(project, applicant)


@pytest.mark.parametrize(
    "who",
    ["other_unit", "ndrc", "ndrc_reviewer", "finance", "cyberspace", "bigdata", "auditor", "expert", "admin"],
)
def test_r_bld_4_only_the_unit_files_its_report(building, people, who):
    with pytest.raises(NotAllowed):
        report(building, people[who])
    assert not MonitoringReport.objects.exists()


def _overdue_as_listed(today):
    """The overdue reports as ``missing`` lists them project by project: what the count must agree with."""
    return sum(1 for owed in monitoring.missing(Project.objects.all(), today) if owed.due < today)


def test_r_bld_4_the_overdue_count_counts_past_years_without_their_report(building, applicant, unit):
    from delivery import overdue
    from delivery.models import TrialRun
    from tests.projects.factories import draft

    report(building, applicant)  # construction started this year, its report filed
    # In trial since two years ago, recorded without a construction event (the trial's start counts).
    trial = draft(unit, applicant, name="四川省试运行业务系统")
    Project.objects.filter(pk=trial.pk).update(state=State.TRIAL_OPERATION)
    TrialRun.objects.create(
        project=trial, started_on=dt.date(YEAR - 2, 5, 1), completion_note="完成建设。", recorded_by=applicant
    )
    report(Project.objects.get(pk=trial.pk), applicant, year=YEAR - 1, trial_results="运行平稳。")
    # In construction with no recorded start: only this year is owed, never yet overdue.
    unknown = draft(unit, applicant, name="四川省未记录开工业务系统")
    Project.objects.filter(pk=unknown.pk).update(state=State.IN_CONSTRUCTION)

    next_january = dt.date(YEAR + 1, 1, 20)
    # The trial owes YEAR - 2 and YEAR (YEAR - 1 is filed); the building's YEAR is filed.
    assert overdue.monitoring_reports(next_january) == 2
    # Three years on: the building owes YEAR + 1 and YEAR + 2 (counted from its construction event), the
    # trial four years.
    assert monitoring.start_dates([building.pk])[building.pk].year == YEAR
    assert overdue.monitoring_reports(dt.date(YEAR + 3, 2, 1)) == 6
    for today in (
        timezone.localdate(),
        dt.date(YEAR, 12, 31),
        year_end_deadline(YEAR),
        year_end_deadline(YEAR) + dt.timedelta(days=1),
        next_january,
        dt.date(YEAR + 3, 2, 1),
    ):
        assert overdue.monitoring_reports(today) == _overdue_as_listed(today), today
