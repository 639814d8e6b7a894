"""unit-a drafts a resource with items, bigdata publishes it, unit-b requests it, unit-a approves it."""

import pytest
from django.core.management import call_command

from govinfo.demo.users import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_catalogue_share_journey(login):
    call_command("load_demo", stdout=open("/dev/null", "w"))

    # unit-a drafts a conditional resource with two items and submits it for publication.
    page = login("unit-a", DEMO_PASSWORD)
    page.get_by_role("link", name="我的目录").click()
    page.get_by_role("link", name="新建资源").click()
    page.get_by_label("信息资源分类（类）").select_option(label="基础信息资源")
    page.get_by_label("子类", exact=True).select_option(label="人口")
    page.get_by_label("资源名称").fill("学生资助对象信息")
    page.locator("#id_code").fill("111112009/0001")
    page.get_by_label("资源摘要").fill("家庭经济困难学生资助对象认定结果。")
    page.locator("#id_format").select_option(label="数据库类")
    page.get_by_label("共享类型").select_option(label="有条件共享")
    page.get_by_label("共享条件").fill("仅用于社会救助对象核对")
    page.get_by_label("共享范围").fill("省级民政、卫生健康部门")
    page.get_by_label("共享方式").select_option(label="共享平台·接口")
    page.get_by_label("开放属性").select_option(label="不予开放")
    page.get_by_label("更新周期").select_option(label="每月")
    items = page.get_by_test_id("item-formset")
    items.locator("input[name='items-0-name']").fill("受助学生姓名")
    items.locator("select[name='items-0-data_type']").select_option(label="字符型")
    items.locator("input[name='items-1-name']").fill("认定等级")
    items.locator("select[name='items-1-data_type']").select_option(label="字符型")
    page.get_by_role("button", name="保存草稿").click()
    assert page.get_by_test_id("resource-state").inner_text() == "草稿"
    assert "受助学生姓名" in page.get_by_test_id("item-list").inner_text()
    page.get_by_role("button", name="报送发布").click()
    assert page.get_by_test_id("resource-state").inner_text() == "待发布"

    # bigdata finds it in the publication queue and publishes it.
    page = login("bigdata", DEMO_PASSWORD)
    page.get_by_role("link", name="目录发布").click()
    page.get_by_test_id("publish-queue").get_by_role("link", name="学生资助对象信息").click()
    page.get_by_role("button", name="审核通过并发布").click()
    assert page.get_by_test_id("resource-state").inner_text() == "已发布"

    # unit-b searches the catalogue and requests it.
    page = login("unit-b", DEMO_PASSWORD)
    page.get_by_role("link", name="信息资源目录").click()
    page.get_by_label("名称或代码").fill("学生资助")
    page.get_by_role("button", name="检索").click()
    page.get_by_test_id("resource-list").get_by_role("link", name="学生资助对象信息").click()
    page.get_by_role("link", name="申请共享").click()
    page.get_by_label("用途及依据").fill("低保家庭学生救助核对")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_test_id("request-state").inner_text() == "待答复"
    request_url = page.url

    # unit-a sees it on the to-do list and approves.
    page = login("unit-a", DEMO_PASSWORD)
    page.get_by_role("link", name="答复共享申请：学生资助对象信息").click()
    page.get_by_role("radio", name="同意共享", exact=True).check()
    page.get_by_label("答复意见").fill("同意，按接口调用")
    page.get_by_role("button", name="提交答复").click()
    assert page.get_by_test_id("request-state").inner_text() == "已同意共享"

    # unit-b sees the request granted.
    page = login("unit-b", DEMO_PASSWORD)
    page.goto(request_url)
    assert page.get_by_test_id("request-state").inner_text() == "已同意共享"
    assert "已获授权使用该资源" in page.get_by_test_id("request-granted").inner_text()
    page.get_by_role("link", name="我的目录").click()
    outgoing = page.get_by_test_id("outgoing-requests")
    assert "学生资助对象信息" in outgoing.inner_text() and "已同意共享" in outgoing.inner_text()
