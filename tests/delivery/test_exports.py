"""The years after the 批复 in the auditor's exports: changes, acceptances and evaluations, cell by cell, and the
project register's 备案号 and acceptance date; each export gives a unit its own cases only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from delivery.models import Acceptance, ChangeRequest, Filing
from govinfo.formats import official_date

from .construction_factories import change, in_construction
from .factories import operating

pytestmark = pytest.mark.django_db


def _xlsx_rows(response):
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)], sheet


def _csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def reported(unit, applicant, signers):
    project = in_construction(unit, applicant, signers)
    filed = change(project, applicant, new_wan=1450, adjusted_wan=50)
    # A unit's text that looks like a formula stays text in every export.
    ChangeRequest.objects.filter(pk=filed.pk).update(content="=cmd|'/c calc'!A1 调整内容")
    return project


def test_the_change_export_is_checked_cell_by_cell(client, auditor, reported):
    client.force_login(auditor)
    response = client.get(reverse("exports:export", args=["changes", "xlsx"]))
    assert response.status_code == 200
    rows, sheet = _xlsx_rows(response)
    assert rows[0] == [
        "项目代码",
        "项目名称",
        "项目单位",
        "序号",
        "类别",
        "状态",
        "调整内容",
        "调整原因",
        "调整理由",
        "批复总投资（万元）",
        "调整前总投资（万元）",
        "调整后总投资（万元）",
        "资金调整数额（万元）",
        "报告人",
        "报告日期",
        "审批人",
        "审批日期",
        "调整批复文号",
    ]
    filed = ChangeRequest.objects.get(project=reported)
    today = official_date(timezone.localdate())
    assert rows[1:] == [
        [
            reported.code,
            reported.name,
            reported.lead_unit.name,
            1,
            str(filed.get_kind_display()),
            str(filed.get_status_display()),
            "=cmd|'/c calc'!A1 调整内容",
            str(filed.get_reason_display()),
            "原方案与省级平台功能重复。",
            float(filed.approved_total / 10000),
            float(filed.total_before / 10000),
            1450,
            50,
            filed.filed_by.full_name or None,
            today,
            None,
            None,
            None,
        ]
    ]
    content = sheet.cell(row=2, column=7)
    assert (content.data_type, content.quotePrefix) == ("s", True)


def test_the_change_csv_writes_a_formula_start_as_text(client, auditor, reported):
    client.force_login(auditor)
    rows = _csv_rows(client.get(reverse("exports:export", args=["changes", "csv"])))
    assert rows[1][6] == "'=cmd|'/c calc'!A1 调整内容"


def test_acceptance_and_register_columns_after_a_passed_acceptance(client, auditor, unit, applicant, signers):
    project = operating(in_construction(unit, applicant, signers), applicant, signers["ndrc"])
    passed = Acceptance.objects.get(project=project, outcome=Acceptance.Outcome.PASSED)
    client.force_login(auditor)

    rows, _sheet = _xlsx_rows(client.get(reverse("exports:export", args=["acceptances", "xlsx"])))
    header = rows[0]
    (row,) = rows[1:]
    record = dict(zip(header, row, strict=True))
    assert record["项目代码"] == project.code
    assert record["验收结论"] == "验收合格"
    assert record["验收意见文号"] == passed.document.doc_number
    assert record["验收意见日期"] == official_date(passed.decided_on)

    rows, _sheet = _xlsx_rows(
        client.get(reverse("exports:export", args=["projects", "xlsx"]), {"state": project.state})
    )
    record = dict(zip(rows[0], rows[1], strict=True))
    filing = Filing.objects.get(project=project)
    assert record["备案号"] == filing.number
    assert record["备案日期"] == official_date(timezone.localtime(filing.filed_at).date())
    assert record["验收合格日期"] == official_date(passed.decided_on)


def test_a_unit_exports_its_own_changes_only(client, reported, applicant, other_applicant):
    client.force_login(other_applicant)
    rows = _csv_rows(client.get(reverse("exports:export", args=["changes", "csv"])))
    assert rows[1:] == []
    client.force_login(applicant)
    rows = _csv_rows(client.get(reverse("exports:export", args=["changes", "csv"])))
    assert [r[0] for r in rows[1:]] == [reported.code]


def test_the_auditor_sees_the_delivery_registers(client, auditor, reported):
    client.force_login(auditor)
    hub = client.get(reverse("auditor:hub")).content.decode()
    for identifier in ("changes", "acceptances", "self_evaluations", "post_evaluations"):
        assert reverse("auditor:register", args=[identifier]) in hub
    page = client.get(reverse("auditor:register", args=["changes"]), {"year": reported.year})
    assert page.status_code == 200
    assert reported.name in page.content.decode()


def test_the_dashboard_counts_delivery_deadlines_past_due(client, auditor, building):
    """R-ACC-1, R-BLD-4, R-EVA-1 on the auditor's dashboard: an acceptance not applied for by its due date counts."""
    from govinfo.auditor import dashboard
    from projects.models import Project

    def counts():
        return {row[2]: row[1] for row in dashboard.overdue_items(None).rows}

    before = counts()
    assert {"R-BLD-4", "R-ACC-1", "R-EVA-1"} <= set(before)
    Project.objects.filter(pk=building.pk).update(acceptance_due=timezone.localdate() - dt.timedelta(days=1))
    assert counts()["R-ACC-1"] == before["R-ACC-1"] + 1
    client.force_login(auditor)
    page = client.get(reverse("auditor:dashboard")).content.decode()
    assert "逾期未申请验收的项目" in page
