"""Every demo login reaches its own home page in a real browser."""

import pytest
from django.core.management import call_command

from govinfo.demo.users import DEMO_PASSWORD, DEMO_PEOPLE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.same_on_every_database]


def test_each_demo_role_logs_in_and_sees_its_home_page(login):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for username, full_name, _role, _where, _purpose in DEMO_PEOPLE:
        page = login(username, DEMO_PASSWORD)
        assert page.get_by_role("heading", name="待办事项").is_visible()
        assert full_name in page.get_by_test_id("current-user").inner_text()
        assert page.get_by_test_id("todo-empty").is_visible() or page.get_by_test_id("todo-list").is_visible()
        admin_link = page.get_by_role("link", name="系统管理")
        assert admin_link.count() == (1 if username == "admin" else 0)
        page.get_by_role("button", name="退出").click()
        page.wait_for_url("**/accounts/login/**")
        page.context.close()


def test_a_wrong_password_is_refused_in_chinese(new_page):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("unit-a")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码不正确" in page.get_by_role("alert").inner_text()
