"""The auditor in a real browser: filters the project list, downloads the XLSX and finds exactly the
filtered rows in it; the dashboard draws every chart with no request leaving the site; a large export
runs in the background and its page shows the download when it is done."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from govinfo.demo.users import DEMO_PASSWORD
from projects.models import Project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UNIT = "四川省教育厅"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def _workbook(download, folder):
    target = folder / download.suggested_filename
    download.save_as(target)
    return load_workbook(target)


def test_the_auditor_filters_the_project_list_and_downloads_exactly_those_rows(demo, login, tmp_path):
    page = login("auditor", DEMO_PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="审计").click()
    page.get_by_test_id("registers").get_by_role("link", name="项目清单").click()
    page.get_by_label("项目单位").select_option(label=UNIT)
    page.get_by_label("金额不低于（万元）").fill("900")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**unit=*")

    expected = set(
        Project.objects.filter(lead_unit__name=UNIT, total_investment__gte=Decimal(900) * 10000).values_list(
            "name", flat=True
        )
    )
    assert len(expected) >= 2  # the demo: the joint platform and the returned exam system
    shown = page.get_by_test_id("register-rows").locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert sorted(shown) == sorted(expected)

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = _workbook(download.value, tmp_path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("项目代码", "项目名称", "项目单位")
    assert sorted(row[1] for row in rows[1:]) == sorted(expected)
    assert {row[2] for row in rows[1:]} == {UNIT}
    assert all(row[9] >= 900 for row in rows[1:])


def test_the_dashboard_draws_every_chart_with_no_network(demo, login, live_server):
    page = login("auditor", DEMO_PASSWORD)
    leaving, errors = [], []

    def only_this_site(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            leaving.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_this_site)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/audit/dashboard/")
    charts = page.locator("[data-chart]")
    assert charts.count() >= 5
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.and_(page.locator('[data-rendered="true"]')).wait_for()
        assert chart.locator("svg path").count() > 3, chart.get_attribute("data-testid")
    assert not errors and not leaving
    with page.expect_download() as download:
        page.get_by_test_id("chart-csv").first.click()
    assert download.value.suggested_filename.endswith(".csv")


def test_a_large_export_shows_its_progress_and_then_the_download(demo, login, settings, tmp_path):
    settings.GOVINFO_EXPORT_SYNC_ROWS = 1
    page = login("auditor", DEMO_PASSWORD)
    page.goto("/audit/registers/projects/")
    page.get_by_test_id("export-xlsx").click()
    page.get_by_test_id("start-export").click()
    page.wait_for_url("**/exports/jobs/**")
    page.get_by_test_id("job-download").wait_for()
    assert page.get_by_test_id("job-state").inner_text() == "已完成"
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    rows = list(_workbook(download.value, tmp_path).active.iter_rows(values_only=True))
    assert len(rows) - 1 == Project.objects.count()
