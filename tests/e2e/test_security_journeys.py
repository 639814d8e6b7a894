"""In a real browser: password guessing meets the lockout page, a user changes their password, and the
administration pages work under the Content-Security-Policy (the new_page fixture fails on any violation)."""

import re

import pytest

from govinfo.orgs.models import Role
from tests.catalogue.factories import make_resource
from tests.factories import PASSWORD, UnitFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _try(page, username, password):
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_five_wrong_passwords_in_the_browser_lock_the_account_and_say_until_when(new_page):
    clerk = member(Role.APPLICANT, unit=UnitFactory(name="四川省浏览器测试厅"), username="clerk-browser")
    page = new_page()
    page.goto("/accounts/login/")
    for _ in range(5):
        _try(page, clerk.username, "wrong-password")
    alert = page.get_by_test_id("lockout").inner_text()
    assert "该账号已暂时锁定" in alert and re.search(r"请于 \d\d:\d\d 后", alert)
    _try(page, clerk.username, PASSWORD)
    assert "该账号已暂时锁定" in page.get_by_test_id("lockout").inner_text()
    assert "/accounts/login/" in page.url


def test_a_user_changes_their_password_from_the_header(login, new_page):
    clerk = member(Role.APPLICANT, unit=UnitFactory(name="四川省改密测试厅"), username="clerk-new-password")
    page = login(clerk.username, PASSWORD)
    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("旧密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill("Tianfu-Sichuan-2026")
    page.get_by_label("新密码确认").fill("Tianfu-Sichuan-2026")
    page.get_by_role("button", name="修改密码").click()
    assert page.get_by_role("heading", name="密码已修改").is_visible()
    page.get_by_role("button", name="退出").click()
    assert login(clerk.username, "Tianfu-Sichuan-2026").get_by_test_id("current-user").is_visible()


def test_the_administration_pages_work_under_the_content_security_policy(login):
    admin = member(Role.ADMIN, username="admin-browser")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    unit = UnitFactory(name="四川省管理测试厅")
    resource = make_resource(unit, member(Role.APPLICANT, unit=unit))
    page = login(admin.username, PASSWORD)
    for path, text in [
        ("/admin/", "系统管理"),
        ("/admin/accounts/user/", "admin-browser"),
        (f"/admin/accounts/user/{admin.pk}/change/", "admin-browser"),
        (f"/admin/catalogue/resource/{resource.pk}/change/", resource.code),
        (f"/admin/catalogue/resource/{resource.pk}/permissions/", resource.name),
        (f"/admin/catalogue/resource/{resource.pk}/permissions/user-manage/{admin.pk}/", admin.username),
        ("/admin/axes/accessattempt/", ""),
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert text in page.content(), path
    # The change list's JavaScript (select all, the action bar) runs under the policy.
    page.goto("/admin/accounts/user/")
    page.locator("#action-toggle").check()
    assert page.locator("tr.selected").count() >= 1
