"""A project in construction: the unit reports a change the system files as 报备 (effective at once) and one
that needs NDRC's approval; NDRC finds the application on its to-do list and approves it, issuing the
numbered 调整批复; the unit sees the three amounts move and opens the 调整批复 from its project page."""

import pytest

from govinfo.orgs.models import Role
from projects.models import Project
from tests.delivery.construction_factories import in_construction
from tests.factories import PASSWORD, UnitFactory, member

# The unit downloads the real 调整批复: the real renderer, not the test stub.
pytestmark = [pytest.mark.e2e, pytest.mark.documents, pytest.mark.django_db(transaction=True)]

NAME = "四川省教育督导信息化平台"


def report(page, *, content, reason, new_total, adjusted, goals="yes"):
    page.get_by_label("调整内容", exact=True).fill(content)
    page.locator(f"input[name=reason][value={reason}]").check()
    page.get_by_label("调整理由", exact=True).fill("按集约化要求优化。")
    page.locator(f"input[name=goals_unchanged][value={goals}]").check()
    page.get_by_label("调整后总投资（万元）", exact=True).fill(new_total)
    page.get_by_label("资金调整数额（万元）", exact=True).fill(adjusted)
    page.get_by_test_id("report-change").click()


def test_a_change_filed_as_报备_and_one_approved_by_ndrc_with_its_调整批复(login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = UnitFactory(name="四川省教育厅", short_name="省教育厅", head="张明远")
    clerk = member(Role.APPLICANT, unit=unit, username="unit-clerk")
    signers = {"ndrc": member(Role.SIGNER, agency_code="ndrc", username="ndrc-head")}
    for code in ["finance", "cyberspace", "bigdata", "crypto", "secrecy", "police", "econit"]:
        signers[code] = member(Role.SIGNER, agency_code=code, username=f"{code}-head")
    project = in_construction(unit, clerk, signers, name=NAME)  # 1500万元 approved

    # The unit opens its project, then 项目调整: a technical optimisation within 15 % is a 报备.
    page = login("unit-clerk", PASSWORD)
    page.get_by_role("link", name="我的项目").click()
    page.get_by_role("link", name=NAME).click()
    assert page.get_by_test_id("project-state").inner_text() == "建设中"
    page.get_by_test_id("actions").get_by_role("link", name="项目调整").click()
    assert page.get_by_test_id("amount-approved").inner_text() == "1,500.00 万元"
    report(
        page,
        content="数据交换改为调用省级共享平台接口，节省费用用于移动端开发。",
        reason="optimisation",
        new_total="1500",
        adjusted="120",
    )
    assert page.get_by_test_id("change-kind").first.inner_text() == "报备"
    assert page.get_by_test_id("change-status").first.inner_text() == "已报备"
    assert "已报备，调整即时生效" in page.content()
    assert "未超过批复总投资的15%" in page.get_by_test_id("findings").inner_text()
    assert page.get_by_test_id("amount-reported").inner_text() == "120.00 万元 / 225.00 万元"

    # A change that raises the total above the 批复 is an application; it is not in force yet.
    page.get_by_role("link", name="返回调整记录").click()
    report(
        page,
        content="新增市（州）督导数据对接模块。",
        reason="deployment",
        new_total="1650",
        adjusted="150",
    )
    assert page.get_by_test_id("change-kind").first.inner_text() == "调整申请"
    assert page.get_by_test_id("change-status").first.inner_text() == "待审批"
    assert "超出批复总投资" in page.get_by_test_id("findings").inner_text()
    assert page.get_by_test_id("amount-current").inner_text() == "1,500.00 万元"
    assert page.get_by_test_id("amount-pending").inner_text() == "1,650.00 万元"

    # NDRC: the application and the 报备 are on its to-do list; it approves the application.
    ndrc = login("ndrc-head", PASSWORD)
    todo = ndrc.get_by_test_id("todo-list")
    assert f"待阅知调整报备：{NAME}" in todo.inner_text()
    todo.get_by_role("link", name=f"待审批调整申请：{NAME}").click()
    ndrc.get_by_label("有关要求（调整批复正文第四部分）").fill(
        "同意增加市（州）对接模块，所需资金在部门预算中统筹。"
    )
    ndrc.get_by_test_id("save-change-draft").click()
    # The confirmation: what will be numbered; the 样稿 previews without taking a number.
    assert "签发时按顺序取号" in ndrc.get_by_test_id("confirm-number").inner_text()
    preview = ndrc.request.get(ndrc.get_by_test_id("change-preview").get_attribute("href"))
    assert preview.headers["content-type"] == "application/pdf" and preview.body().startswith(b"%PDF-")
    ndrc.get_by_test_id("confirm-issue").click()
    assert ndrc.get_by_test_id("change-status").inner_text() == "已批准"
    number = ndrc.get_by_test_id("change-document").inner_text()
    assert number.startswith("川发改审〔") and "调整的批复" in number
    assert ndrc.get_by_test_id("amount-adjusted").inner_text() == "1,650.00 万元"

    # The unit sees the new approved total and opens the 调整批复 from the project page's timeline.
    page.goto(f"/projects/{Project.objects.get(name=NAME).pk}/")
    story = page.get_by_test_id("story-changes")
    assert "1,650.00 万元" in story.inner_text()
    entry = page.get_by_test_id("timeline").locator("li", has_text="签发调整批复")
    with page.expect_download() as download_info:
        entry.get_by_role("link", name="查看原件").click()
    pdf = tmp_path / "调整批复.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert project.code in page.get_by_test_id("project-code").inner_text()
