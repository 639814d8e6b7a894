"""unit-a applies for acceptance of its demo project in trial operation (uploading the two missing
materials); ndrc finds it on the to-do list and fails it with rectification items; unit-a uploads its
rectification report and applies again; ndrc passes it; unit-a opens the 验收意见 PDF from its project page
and verifies it (真实有效)."""

import subprocess

import pytest
from django.core.management import call_command

from delivery.models import Acceptance
from govinfo.demo.users import DEMO_PASSWORD
from govinfo.documents import rendering
from projects.demo import tiny_pdf
from projects.models import Project, State

# Captured at import, before the autouse stub: the demo loads with the stub (fast), the journey's own two
# 验收意见 render for real so the unit reads a real PDF.
REAL_HTML_TO_PDF = rendering.html_to_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "四川省教育统计分析平台"


def upload(page, kind: str, name: str):
    page.get_by_label("材料类型", exact=True).select_option(kind)
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": "application/pdf", "buffer": tiny_pdf(kind)}]
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()


def open_acceptance(page):
    page.get_by_role("link", name="我的项目").click()
    page.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="试运行与验收").click()


def test_an_acceptance_fails_is_rectified_passes_and_the_unit_opens_its_opinion(
    login, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    monkeypatch.setattr(rendering, "html_to_pdf", REAL_HTML_TO_PDF)
    project = Project.objects.get(name=NAME)
    assert project.state == State.TRIAL_OPERATION

    # unit-a: two materials missing (R-ACC-2), uploaded; then it applies.
    unit_a = login("unit-a", DEMO_PASSWORD)
    open_acceptance(unit_a)
    missing = unit_a.get_by_test_id("apply-failures").inner_text()
    assert "R-ACC-2" in missing and "密码应用安全性评估报告" in missing
    upload(unit_a, "security", "安全风险评估报告.pdf")
    upload(unit_a, "crypto", "密码应用安全性评估报告.pdf")
    unit_a.get_by_label("申请说明", exact=True).fill("试运行4个月，运行正常。")
    unit_a.get_by_role("button", name="申请验收").click()
    assert unit_a.get_by_test_id("project-state").inner_text() == "验收中"

    # ndrc: from the to-do list, fails it with two rectification items.
    ndrc = login("ndrc", DEMO_PASSWORD)
    ndrc.get_by_role("link", name=f"验收审核：{NAME}").click()
    ndrc.get_by_label("整改要求", exact=True).fill(
        "补充第三方测评报告中的并发性能测试。\n完善数据安全风险评估。"
    )
    ndrc.get_by_test_id("fail").click()
    assert ndrc.get_by_test_id("project-state").inner_text() == "验收不合格"
    assert "补充第三方测评报告中的并发性能测试。" in ndrc.get_by_test_id("acceptances").inner_text()

    # unit-a: rectifies and applies again.
    unit_a.reload()
    assert "完善数据安全风险评估。" in unit_a.get_by_test_id("reapply").inner_text()
    upload(unit_a, "rectification", "整改报告.pdf")
    unit_a.get_by_label("整改情况", exact=True).fill("已补充并发性能测试，完善数据安全风险评估。")
    unit_a.get_by_role("button", name="重新申请验收").click()
    assert unit_a.get_by_test_id("project-state").inner_text() == "验收中"

    # ndrc: passes it; the 验收意见 is numbered.
    ndrc.reload()
    ndrc.get_by_test_id("pass").click()
    assert ndrc.get_by_test_id("project-state").inner_text() == "运行中"
    passed = Acceptance.objects.get(project=project, outcome="passed")
    assert passed.number == 2 and passed.document.doc_number.startswith("川发改审〔")

    # unit-a opens the 验收意见 from its project page.
    unit_a.get_by_role("link", name="返回项目页面").first.click()
    with unit_a.expect_download() as download_info:
        unit_a.get_by_role("link", name=f"验收意见 {passed.document.doc_number}").click()
    pdf_path = tmp_path / "验收意见.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "同意通过竣工验收" in text.replace("\n", "").replace(" ", "")
    unit_a.get_by_role("link", name="公文核验").click()
    unit_a.set_input_files("input[name=file]", str(pdf_path))
    unit_a.get_by_role("button", name="核验文件").click()
    assert "真实有效" in unit_a.get_by_test_id("verify-result").inner_text()
