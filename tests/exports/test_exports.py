"""Exports, checked cell by cell: Chinese headers, 万元 with two decimals, official dates, and no formula
ever — a project named like a formula is written as text in XLSX and CSV, and so is a catalogue entry
in the catalogue's own workbook. Every export goes through the access module: an auditor gets every
row, NDRC its cases, a unit its own; the audit trail is the auditor's alone."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from approvals import services as review_services
from govinfo.audit.models import AuditEvent
from govinfo.exports import registry
from govinfo.exports.models import ExportJob
from govinfo.formats import official_date
from govinfo.orgs.models import Role
from projects import services
from projects.models import Project
from tests.catalogue.factories import make_resource
from tests.factories import member
from tests.projects.factories import complete, draft

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://evil.example/","点击查看")'
PROJECT_HEADERS = [
    "项目代码",
    "项目名称",
    "项目单位",
    "统一社会信用代码",
    "申报年度",
    "项目类型",
    "实施方式",
    "审批方式",
    "申报阶段",
    "总投资（万元）",
    "年度运维经费（万元）",
    "经费渠道",
    "状态",
    "后续环节",
    "创建日期",
    "首次申报日期",
    "最近申报日期",
    "批复文号",
    "批复日期",
    "备案号",
    "备案日期",
    "验收合格日期",
]


@pytest.fixture
def cases(unit, applicant, other_unit, other_applicant, ndrc_signer):
    evil = services.submit(
        complete(unit, applicant, name=FORMULA_NAME, investment_wan=Decimal("600.005")), by=applicant
    )
    quiet = draft(unit, applicant, name="+本单位草稿项目", year=2027)
    other = services.submit(complete(other_unit, other_applicant, name="@其他单位项目"), by=other_applicant)
    return {"evil": evil, "draft": quiet, "other": other}


def _xlsx(response) -> list[tuple]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).active
    return list(sheet.iter_rows(values_only=True)), sheet, body


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_project_export_is_checked_cell_by_cell(client, auditor, cases, unit):
    client.force_login(auditor)
    response = client.get(reverse("exports:export", args=["projects", "xlsx"]), {"unit": unit.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows, sheet, body = _xlsx(response)
    assert list(rows[0]) == PROJECT_HEADERS
    evil = Project.objects.get(pk=cases["evil"].pk)
    today = official_date(timezone.localdate())
    assert [list(r) for r in rows[1:]] == [
        [
            None,
            "+本单位草稿项目",
            unit.name,
            unit.credit_code,
            2027,
            None,
            None,
            "合并（编报实施方案）",
            "实施方案",
            None,
            None,
            None,
            "草稿",
            "提交申报、重新报批可行性研究报告",
            today,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
        [
            evil.code,
            FORMULA_NAME,
            unit.name,
            unit.credit_code,
            evil.year,
            "重点业务信息系统",
            "自行建设",
            "合并（编报实施方案）",
            "实施方案",
            600.01,  # 6,000,050 yuan → 600.01 万元 (two decimals, rounded half up)
            80,
            "省级财政资金",
            "已申报",
            "受理、退回修改",
            today,
            today,
            today,
            None,
            None,
            None,
            None,
            None,
        ],
    ]
    # The formula-looking name is a string cell with the quote prefix: no program evaluates it.
    name_cell = sheet.cell(row=3, column=2)
    assert (name_cell.data_type, name_cell.quotePrefix) == ("s", True)
    assert sheet.cell(row=3, column=10).number_format == "#,##0.00"
    sheet_xml = zipfile.ZipFile(io.BytesIO(body)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml


def test_the_csv_export_escapes_every_formula_start(client, auditor, cases):
    client.force_login(auditor)
    response = client.get(reverse("exports:export", args=["projects", "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv(response)
    assert rows[0] == PROJECT_HEADERS
    names = {row[1] for row in rows[1:]}
    assert names == {"'" + FORMULA_NAME, "'+本单位草稿项目", "'@其他单位项目"}
    evil = next(row for row in rows[1:] if row[1] == "'" + FORMULA_NAME)
    assert evil[9] == "600.01" and evil[10] == "80.00"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_text_in_both_formats(start):
    from govinfo.exports import writers

    target = io.BytesIO()
    writers.write_xlsx(target, ["名称"], [[f"{start}1+1"]], title="t")
    cell = load_workbook(io.BytesIO(target.getvalue())).active.cell(row=2, column=1)
    # (XML reads a carriage return back as a line feed; either way it is text, not a formula)
    expected = f"{start}1+1".replace("\r", "\n")
    assert (cell.value, cell.data_type, cell.quotePrefix) == (expected, "s", True)
    text = b"".join(writers.iter_csv(["名称"], [[f"{start}1+1"]])).decode()
    assert list(csv.reader(io.StringIO(text[1:])))[1] == [f"'{start}1+1"]


def test_the_catalogue_workbook_writes_a_formula_looking_name_as_text(client, unit, applicant, bigdata):
    resource = make_resource(unit, applicant, state="published", publisher=bigdata, name=FORMULA_NAME)
    client.force_login(applicant)
    response = client.get(reverse("catalogue:export"))
    body = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook["资源"]
    names = [row for row in sheet.iter_rows(min_row=2) if row[1].value == FORMULA_NAME]
    assert names and names[0][1].data_type == "s" and names[0][1].quotePrefix
    for xml_name in zipfile.ZipFile(io.BytesIO(body)).namelist():
        if xml_name.startswith("xl/worksheets/"):
            assert "<f>" not in zipfile.ZipFile(io.BytesIO(body)).read(xml_name).decode()
    assert resource.name == FORMULA_NAME


def _names(client, identifier="projects", **params) -> set[str]:
    rows = _csv(client.get(reverse("exports:export", args=[identifier, "csv"]), params))
    return {row[1].lstrip("'") for row in rows[1:]}


def test_each_role_exports_the_cases_it_may_see(
    client, cases, auditor, applicant, other_applicant, ndrc_signer
):
    everything = {FORMULA_NAME, "+本单位草稿项目", "@其他单位项目"}
    client.force_login(auditor)
    assert _names(client) == everything
    client.force_login(applicant)
    assert _names(client) == {FORMULA_NAME, "+本单位草稿项目"}
    client.force_login(other_applicant)
    assert _names(client) == {"@其他单位项目"}
    client.force_login(ndrc_signer)  # NDRC: every case submitted to it, never a unit's draft
    assert _names(client) == {FORMULA_NAME, "@其他单位项目"}
    outsider = member(Role.REVIEWER, agency_code="finance")
    client.force_login(outsider)
    assert _names(client) == set()


def test_the_filters_of_the_page_are_honoured(client, cases, auditor, unit, other_unit):
    client.force_login(auditor)
    assert _names(client, year=2027) == {"+本单位草稿项目"}
    assert _names(client, unit=other_unit.pk) == {"@其他单位项目"}
    assert _names(client, state="submitted") == {FORMULA_NAME, "@其他单位项目"}
    assert _names(client, amount_min="600", amount_max="700") == {FORMULA_NAME}
    today = timezone.localdate().isoformat()
    assert _names(client, date_from=today, date_to=today) == {FORMULA_NAME, "@其他单位项目"}
    assert _names(client, date_to="2000-01-01") == set()


def test_the_agency_filter_comes_from_the_review(client, cases, auditor, ndrc_signer):
    from tests.factories import agency

    review_services.accept_into_review(cases["evil"], by=ndrc_signer)
    client.force_login(auditor)
    assert _names(client, agency=agency("finance").pk) == {FORMULA_NAME}


def test_opinions_documents_resources_and_requests_export(
    client, cases, auditor, ndrc_signer, unit, other_unit
):
    from tests.approvals.review_factories import sign
    from tests.factories import agency

    project = cases["evil"]
    review_services.accept_into_review(project, by=ndrc_signer)
    finance = member(Role.SIGNER, agency_code="finance")
    sign(project, "finance", finance)
    client.force_login(auditor)
    opinions = _csv(client.get(reverse("exports:export", args=["opinions", "csv"])))
    assert opinions[0][:3] == ["项目代码", "项目名称", "项目单位"]
    assert [(row[6], row[7], row[8]) for row in opinions[1:]] == [(agency("finance").name, "同意", "已签署")]
    documents = _csv(client.get(reverse("exports:export", args=["documents", "csv"]), {"unit": unit.pk}))
    assert len(documents) == 2 and documents[1][1] == "审核意见书" and documents[1][4] == project.code
    assert (
        len(_csv(client.get(reverse("exports:export", args=["documents", "csv"]), {"unit": other_unit.pk})))
        == 1
    )
    resources = _csv(client.get(reverse("exports:export", args=["catalogue-resources", "csv"])))
    assert resources[0][:3] == ["资源代码", "资源名称", "资源提供方"] and len(resources) > 1
    requests = _csv(client.get(reverse("exports:export", args=["share-requests", "csv"])))
    assert requests[0][:4] == ["资源代码", "资源名称", "资源提供方", "申请单位"]


def test_only_the_auditor_exports_the_audit_trail(client, cases, auditor, applicant, ndrc_signer, admin_user):
    url = reverse("exports:export", args=["audit-trail", "csv"])
    for outsider in (applicant, ndrc_signer, admin_user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(auditor)
    rows = _csv(client.get(url, {"action": "projects.project.submitted"}))
    assert rows[0][:5] == ["链序号", "时间", "操作人", "用户名", "操作"]
    assert {row[4] for row in rows[1:]} == {"提交申报"} and len(rows) == 3
    assert all(row[9].startswith("projects.project:") for row in rows[1:])


def test_every_export_is_on_the_audit_trail(client, cases, auditor):
    client.force_login(auditor)
    b"".join(
        client.get(reverse("exports:export", args=["projects", "csv"]), {"year": 2027}).streaming_content
    )
    event = AuditEvent.objects.filter(action="govinfo.export.created").latest("seq")
    assert event.actor == auditor
    assert event.details["exporter"] == "projects" and event.details["filters"] == {"year": "2027"}


@override_settings(GOVINFO_EXPORT_SYNC_ROWS=1)
def test_a_large_export_runs_as_a_background_job_with_progress_and_a_download(client, cases, auditor):
    client.force_login(auditor)
    offer = client.get(reverse("exports:export", args=["projects", "xlsx"]), {"state": "submitted"})
    assert offer.status_code == 200 and "开始后台导出" in offer.content.decode()
    started = client.post(reverse("exports:start", args=["projects", "xlsx"]) + "?state=submitted")
    job = ExportJob.objects.get()
    assert started.status_code == 302 and started["Location"] == reverse("exports:job", args=[job.pk])
    assert (job.state, job.rows_done, job.rows_expected, job.percent) == ("done", 2, 2, 100)
    page = client.get(started["Location"]).content.decode()
    assert "js/export-job.js" in page and "<progress" in page and "<script>" not in page
    status = client.get(reverse("exports:job_status", args=[job.pk])).json()
    assert status["state"] == "done" and status["download"]
    rows, _sheet, _body = _xlsx(client.get(status["download"]))
    assert {row[1] for row in rows[1:]} == {FORMULA_NAME, "@其他单位项目"}
    client.force_login(member(Role.AUDITOR, agency_code="audit"))
    assert client.get(reverse("exports:job", args=[job.pk])).status_code == 404  # the job is its owner's
    assert client.get(status["download"]).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_export(client, unit, applicant, auditor):
    """The real backend: the job waits in the database until ``manage.py db_worker`` picks it up."""
    from django.core.management import call_command

    draft(unit, applicant, name="队列中的项目")
    backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=backend, GOVINFO_EXPORT_SYNC_ROWS=0):
        client.force_login(auditor)
        client.post(reverse("exports:start", args=["projects", "csv"]))
        job = ExportJob.objects.get()
        assert job.state == "queued"
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)
        job.refresh_from_db()
    assert job.state == "done" and job.rows_done == 1


def test_every_registered_exporter_has_chinese_headers_and_refuses_anonymous(client):
    for exporter in registry.exporters():
        assert exporter.headers() and all(header.strip() for header in exporter.headers())
        response = client.get(reverse("exports:export", args=[exporter.identifier, "csv"]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_exporter_or_format_is_a_404(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("exports:export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("exports:export", args=["projects", "pdf"])).status_code == 404


def test_catalogue_resource_exporter_follows_catalogue_visibility(
    client, unit, applicant, other_applicant, bigdata
):
    mine = make_resource(unit, applicant, name="本单位草稿资源")
    published = make_resource(unit, applicant, state="published", publisher=bigdata, name="已发布资源")
    client.force_login(other_applicant)
    assert _names(client, "catalogue-resources") == {published.name}
    client.force_login(applicant)
    assert _names(client, "catalogue-resources") == {published.name, mine.name}
