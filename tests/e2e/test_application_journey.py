"""unit-a prepares an application in the browser, is refused with what is missing (a document and the
信息资源目录 entry, R-APP-2), fixes it — linking a catalogue entry on the form's 信息资源目录 section — and
submits; the catalogue lists the project; unit-b cannot open the project."""

import pytest
from django.core.management import call_command

from catalogue.models import Resource
from govinfo.demo.users import DEMO_PASSWORD
from projects.demo import tiny_pdf
from projects.models import Project, State

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "四川省教育督导信息平台"


def upload(page, kind: str, name: str):
    page.get_by_label("材料类型", exact=True).select_option(kind)
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": "application/pdf", "buffer": tiny_pdf(kind)}]
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()


def test_unit_a_prepares_is_refused_fixes_and_submits_and_unit_b_cannot_open_it(login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    page = login("unit-a", DEMO_PASSWORD)
    page.get_by_role("link", name="我的项目").click()
    page.get_by_role("link", name="新建项目申报").click()

    # 基本情况
    page.get_by_label("项目名称", exact=True).fill(NAME)
    page.get_by_label("申报年度", exact=True).fill("2027")
    page.get_by_label("项目类型", exact=True).select_option("business_system")
    page.get_by_label("主要任务", exact=True).fill("建设督导业务办理、问题整改跟踪和督导数据分析功能。")
    page.get_by_label("建设依据和必要性", exact=True).fill("落实教育督导体制机制改革要求，现有系统分散。")
    page.get_by_label("绩效目标", exact=True).fill("督导事项线上办理率达到100%。")
    page.get_by_label("自行建设", exact=True).check()
    page.get_by_label("采用该实施方式的主要原因", exact=True).fill("涉及督导核心业务数据。")
    page.get_by_role("button", name="保存并继续").click()

    # 技术方案
    page.get_by_label("应用系统建设内容", exact=True).fill("督导办理、整改跟踪、数据分析三个子系统。")
    page.get_by_label("政务云资源需求", exact=True).fill("省级政务云 16 核 / 64 GB，存储 4 TB。")
    page.get_by_label("等级保护/分级保护级别", exact=True).select_option("mlps_3")
    page.get_by_label("密码应用要点", exact=True).fill("商用密码实现身份鉴别和传输加密。")
    # R-APP-11 (第五十条): the 安全可靠 statement at 报批.
    page.get_by_label("软硬件产品均采用安全可靠产品", exact=True).check()
    page.get_by_label("安全可靠情况说明", exact=True).fill("服务器、操作系统和数据库均为安全可靠产品。")
    page.get_by_role("button", name="保存并继续").click()

    # 资金来源, in 万元
    page.get_by_label("总投资（万元）", exact=True).fill("1500")
    page.get_by_label("年度运行维护经费（万元）", exact=True).fill("60")
    page.get_by_label("省级财政资金", exact=True).check()
    page.get_by_role("button", name="保存并继续").click()

    # 不予立项自查: every clause answered "否"
    for code in ["machine_room", "dedicated_line", "not_on_cloud", "common_systems", "not_connected",
                 "unclear_goals", "not_shared"]:  # fmt: skip
        page.locator(f"input[name={code}_answer][value=no]").check()
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_role("button", name="保存并继续").click()  # 参建单位: none

    # 信息资源目录: skipped for now — the refusal will name it (R-APP-2).
    assert page.get_by_test_id("no-linked-resources").is_visible()
    page.get_by_role("link", name="继续填写下一部分").click()

    # 申报材料, all but the 密码应用方案
    for kind, name in [
        ("implementation_plan", "实施方案.pdf"),
        ("cloud_plan", "政务云需求方案.pdf"),
        ("security_plan", "等级保护方案.pdf"),
        ("catalogue_export", "信息资源目录.pdf"),
    ]:
        upload(page, kind, name)
        assert page.get_by_role("link", name=name).is_visible()

    page.get_by_role("link", name="返回项目页面").first.click()
    page.get_by_role("button", name="提交申报").click()
    refused = page.get_by_test_id("submit-refused")
    assert "第十六条（R-APP-1）" in refused.inner_text()
    assert "密码应用方案" in refused.inner_text()
    assert "第二十条（R-APP-2）" in refused.inner_text()
    assert page.get_by_test_id("project-state").inner_text() == "草稿"

    # Fix it: link the unit's own catalogue entry the project produces, upload the missing plan, submit.
    page.get_by_role("link", name="关联目录条目").click()
    page.get_by_label("资源名称或代码", exact=True).fill("体质健康")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("button", name="将“学生体质健康监测信息”关联为本项目产生的资源").click()
    linked = page.get_by_test_id("linked-resources")
    assert "学生体质健康监测信息" in linked.inner_text() and "产生" in linked.inner_text()
    assert not page.get_by_test_id("section-failures").is_visible()
    page.get_by_role("link", name="返回项目页面").first.click()
    page.get_by_role("link", name="上传申报材料").click()
    upload(page, "crypto_plan", "密码应用方案.pdf")
    page.get_by_role("link", name="返回项目页面").first.click()
    assert "检查通过，可以提交申报" in page.content()
    page.get_by_role("button", name="提交申报").click()
    assert page.get_by_test_id("project-state").inner_text() == "已申报"
    project = Project.objects.get(name=NAME)
    assert project.state == State.SUBMITTED
    assert page.get_by_test_id("project-code").inner_text() == project.code

    # The catalogue entry lists the project under 关联项目.
    resource = Resource.objects.get(name="学生体质健康监测信息")
    page.goto(f"/catalogue/resources/{resource.pk}/")
    assert NAME in page.get_by_test_id("project-list").inner_text()

    # unit-b is no member: the project does not exist for them.
    other = login("unit-b", DEMO_PASSWORD)
    response = other.goto(f"/projects/{project.pk}/")
    assert response.status == 404
    other.goto("/projects/")
    assert NAME not in other.content()
