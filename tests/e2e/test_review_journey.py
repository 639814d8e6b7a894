"""ndrc accepts unit-a's application; the seven agencies of 第二十二条 (cyberspace, secrecy, crypto, miit,
police, finance, bigdata) each draft, confirm and sign their opinion; ndrc records the 评估论证 (R-REV-4), drafts
and confirms the 批复; unit-a downloads the 批复 and verifies it (真实有效)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from govinfo.demo.users import DEMO_PASSWORD
from govinfo.orgs.models import Unit
from projects import services as project_services
from projects.models import Project, State
from tests.projects.factories import complete

# unit-a downloads the real 批复 and verifies it: the real renderer, not the test stub.
pytestmark = [pytest.mark.e2e, pytest.mark.documents, pytest.mark.django_db(transaction=True)]

NAME = "四川省学生资助管理信息系统"
OPINIONS = {
    "cyberspace": ("agree", "等级保护和数据安全措施可行。", ""),
    "secrecy": ("agree", "不涉及国家秘密。", ""),
    "crypto": ("agree", "密码应用方案合规，软硬件产品安全可靠。", ""),
    "miit": ("agree", "信息安全措施可行。", ""),
    "police": ("agree", "等级保护定级合理。", ""),
    "finance": ("agree_with_changes", "资金来源基本明确。", "年度运行维护经费纳入部门预算统筹保障。"),
    "bigdata": ("agree", "依托省级政务云部署，接入共享交换平台。", ""),
}


def test_seven_agencies_sign_ndrc_evaluates_approves_and_unit_a_verifies_the_approval(
    login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    clerk = get_user_model().objects.get(username="unit-a")
    unit = Unit.objects.get(pk=clerk.memberships.get().unit_id)
    project = project_services.submit(complete(unit, clerk, name=NAME), by=clerk)

    # NDRC accepts the application into review from its decision page.
    ndrc = login("ndrc", DEMO_PASSWORD)
    ndrc.get_by_role("link", name="审查项目").click()
    ndrc.get_by_role("link", name=NAME).click()
    ndrc.get_by_role("button", name="受理并分送会签").click()
    assert ndrc.get_by_test_id("project-state").inner_text() == "审查中"

    # Each reviewer opens the task from the to-do list, drafts and signs.
    for username, (conclusion, text, conditions) in OPINIONS.items():
        page = login(username, DEMO_PASSWORD)
        page.get_by_role("link", name="审核任务").click()
        page.get_by_test_id("task-list").get_by_role("link", name=NAME).click()
        page.locator(f"input[name=conclusion][value={conclusion}]").check()
        page.get_by_label("审核意见", exact=True).fill(text)
        if conditions:
            page.get_by_label("修改意见或批复条件", exact=True).fill(conditions)
        page.get_by_role("button", name="保存草稿").click()
        page.get_by_test_id("sign").click()
        page.get_by_test_id("confirm-sign").click()
        assert page.get_by_test_id("task-status").inner_text() == "已签署"
        assert "川" in page.get_by_test_id("opinion-document").inner_text()

    # All seven in: the project is in evaluation; NDRC records the 评估论证 (R-REV-4) and approves.
    ndrc.goto(f"/review/projects/{project.pk}/")
    assert ndrc.get_by_test_id("project-state").inner_text() == "评估论证"
    assert "R-REV-4" in ndrc.get_by_test_id("blocking").inner_text()
    form = ndrc.get_by_test_id("evaluation-form")
    form.get_by_label("组织相关部门评估论证", exact=True).check()
    form.get_by_label("评估论证情况", exact=True).fill("省财政厅、省大数据中心参加评估论证，同意建设。")
    form.get_by_role("button", name="记录评估论证").click()
    assert "组织相关部门评估论证" in ndrc.get_by_test_id("evaluation-current").inner_text()
    assert ndrc.get_by_test_id("ready").is_visible()
    ndrc.get_by_test_id("draft-approval").click()
    ndrc.get_by_test_id("save-draft").click()
    ndrc.get_by_test_id("decision-confirm-link").click()
    ndrc.get_by_test_id("confirm-issue").click()
    assert ndrc.get_by_test_id("project-state").inner_text() == "已批复"
    assert Project.objects.get(pk=project.pk).state == State.APPROVED

    # unit-a downloads the 批复 from its review page and verifies it.
    unit_a = login("unit-a", DEMO_PASSWORD)
    unit_a.get_by_role("link", name="审查项目").click()
    unit_a.get_by_role("link", name=NAME).click()
    with unit_a.expect_download() as download_info:
        unit_a.get_by_test_id("decision-document").get_by_role("link").click()
    pdf_path = tmp_path / "批复.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    unit_a.get_by_role("link", name="公文核验").click()
    unit_a.set_input_files("input[name=file]", str(pdf_path))
    unit_a.get_by_role("button", name="核验文件").click()
    assert "真实有效" in unit_a.get_by_test_id("verify-result").inner_text()
    assert "的批复" in unit_a.get_by_test_id("verify-record").inner_text()
