"""XLSX import/export through django-import-export: row numbers, both modes, nothing lost."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from catalogue import exchange
from catalogue.models import Resource
from catalogue.resources import ResourceSheet

from .factories import make_resource

RESOURCE_HEADERS = [f.column_name for f in ResourceSheet().get_import_fields() if not f.readonly]
ITEM_HEADERS = ["资源代码", "信息项名称", "数据类型", "长度", "说明"]


def resource_row(code, name, **overrides):
    row = {
        "资源代码": code,
        "资源名称": name,
        "分类": "基础信息资源",
        "子类": "人口",
        "资源摘要": "摘要",
        "资源格式": "数据库类",
        "格式说明": "",
        "共享类型": "有条件共享",
        "共享条件": "政务服务",
        "共享范围": "省级部门",
        "不予共享依据": "",
        "共享方式": "共享平台·接口",
        "开放属性": "不予开放",
        "更新周期": "每日",
        "涉密属性": "非涉密",
        "关联资源代码": "",
    }
    row.update(overrides)
    return [row[h] for h in RESOURCE_HEADERS]


def workbook(resources, items):
    book = Workbook()
    sheet = book.active
    sheet.title = "资源"
    sheet.append(RESOURCE_HEADERS)
    for row in resources:
        sheet.append(row)
    item_sheet = book.create_sheet("信息项")
    item_sheet.append(ITEM_HEADERS)
    for row in items:
        item_sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("目录.xlsx", buffer.getvalue())


GOOD = [resource_row("111112001/7001", "学生基本信息"), resource_row("111112001/7002", "教师基本信息")]
BAD = resource_row("12-34", "格式错误的资源")
ITEMS = [["111112001/7001", "学生姓名", "字符型", 50, ""], ["111112001/7002", "教师姓名", "字符型", 50, ""]]


def test_import_creates_drafts_with_items(unit, applicant):
    report = exchange.import_workbook(workbook(GOOD, ITEMS), unit=unit, by=applicant, mode="all")
    assert report.ok and report.resources_saved == 2 and report.items_saved == 2
    resource = Resource.objects.get(code="111112001/7001")
    assert resource.state == Resource.State.DRAFT and resource.provider == unit
    assert list(resource.items.values_list("name", flat=True)) == ["学生姓名"]
    assert applicant.has_perm("catalogue.change_resource", resource)


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(unit, applicant):
    report = exchange.import_workbook(workbook([*GOOD, BAD], ITEMS), unit=unit, by=applicant, mode="all")
    assert report.rolled_back and report.mode_label == "全部成功才导入"
    ((sheet, row, reason),) = [(p.sheet, p.row, p.reason) for p in report.problems]
    assert (sheet, row) == ("资源", 4) and "资源代码" in reason and "格式不正确" in reason
    assert not Resource.objects.exists()


def test_row_wise_keeps_good_rows_and_lists_bad_ones(unit, applicant):
    items = [
        *ITEMS,
        ["111112001/9999", "无主信息项", "字符型", "", ""],
        ["111112001/7001", "出生日期", "日期", "", ""],
    ]
    report = exchange.import_workbook(workbook([BAD, *GOOD], items), unit=unit, by=applicant, mode="rows")
    assert not report.rolled_back and report.resources_saved == 2 and report.items_saved == 2
    problems = {(p.sheet, p.row): p.reason for p in report.problems}
    assert set(problems) == {("资源", 2), ("信息项", 4), ("信息项", 5)}
    assert "111112001/9999" in problems[("信息项", 4)] and "不存在" in problems[("信息项", 4)]
    assert "“日期”不是可选值" in problems[("信息项", 5)]
    assert Resource.objects.count() == 2


def test_import_never_touches_published_or_other_units_resources(
    unit, applicant, other_unit, other_applicant, bigdata
):
    mine = make_resource(unit, applicant, state="published", publisher=bigdata, name="已发布资源")
    theirs = make_resource(other_unit, other_applicant, name="他单位草稿")
    rows = [resource_row(mine.code, "改名1"), resource_row(theirs.code, "改名2")]
    items = [[mine.code, "新增项", "字符型", "", ""]]
    report = exchange.import_workbook(workbook(rows, items), unit=unit, by=applicant, mode="rows")
    reasons = " ".join(p.reason for p in report.problems)
    assert "已发布" in reasons and other_unit.name in reasons and len(report.problems) == 3
    assert Resource.objects.get(pk=mine.pk).name == "已发布资源" and mine.items.count() == 2
    assert Resource.objects.get(pk=theirs.pk).name == "他单位草稿"


def test_import_updates_own_drafts_and_keeps_items_not_in_the_sheet(unit, applicant):
    draft = make_resource(unit, applicant, name="旧名称")
    rows = [resource_row(draft.code, "新名称")]
    items = [[draft.code, "身份证 号码", "字符型", 20, "更新长度"], [draft.code, "住址", "字符型", 200, ""]]
    report = exchange.import_workbook(workbook(rows, items), unit=unit, by=applicant, mode="all")
    assert report.ok
    draft = Resource.objects.get(pk=draft.pk)
    assert draft.name == "新名称"
    assert sorted(draft.items.values_list("name", "length")) == [
        ("住址", 200),
        ("姓名", 50),
        ("身份证 号码", 20),
    ]


def test_export_round_trips_through_import(unit, applicant, client, bigdata):
    resource = make_resource(unit, applicant, state="published", publisher=bigdata, name="出口资源")
    client.force_login(applicant)
    response = client.get(reverse("catalogue:export"))
    assert response.status_code == 200 and response.streaming
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["资源"].iter_rows(values_only=True))
    assert rows[0][:2] == ("资源代码", "资源名称") and rows[1][:2] == (resource.code, "出口资源")
    assert "有条件共享" in rows[1]
    items = list(book["信息项"].iter_rows(values_only=True))
    assert items[1][:3] == (resource.code, "姓名", "字符型")


def test_import_page_says_which_mode_applied_and_lists_rows(client, unit, applicant):
    client.force_login(applicant)
    assert client.get(reverse("catalogue:import")).status_code == 200
    response = client.post(
        reverse("catalogue:import"),
        {"provider": unit.pk, "mode": "rows", "file": workbook([BAD, *GOOD], ITEMS)},
    )
    page = response.content.decode()
    assert "导入方式：逐行导入" in page and "已导入资源 2 行" in page and "格式不正确" in page


def test_a_file_that_is_not_a_workbook_is_refused_clearly(client, unit, applicant):
    client.force_login(applicant)
    upload = SimpleUploadedFile("目录.xlsx", b"not a workbook")
    response = client.post(reverse("catalogue:import"), {"provider": unit.pk, "mode": "all", "file": upload})
    assert "无法读取该文件" in response.content.decode()


def test_import_is_for_applicants_only(client, reviewer_factory, auditor, expert):
    for user in (reviewer_factory("bigdata"), auditor, expert):
        client.force_login(user)
        assert client.get(reverse("catalogue:import")).status_code == 404
        assert client.get(reverse("catalogue:import_template")).status_code == 404


def test_the_import_template_has_both_sheets_and_their_headers(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("catalogue:import_template"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["资源", "信息项"]
    assert [c.value for c in book["信息项"][1]] == ITEM_HEADERS
    assert set(RESOURCE_HEADERS) <= {c.value for c in book["资源"][1]}
