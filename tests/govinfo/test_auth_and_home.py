"""Login, idle logout, the home page as a to-do list, and role-aware navigation."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from govinfo.home import todo
from govinfo.orgs.models import Role

from ..factories import PASSWORD, UserFactory, member

pytestmark = pytest.mark.django_db


def test_a_visitor_is_sent_to_the_chinese_login_page(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    page = response.content.decode()
    assert "用户登录" in page and 'lang="zh-hans"' in page


def test_a_wrong_password_is_explained_in_chinese(client, applicant):
    response = client.post("/accounts/login/", {"username": applicant.username, "password": "nope"})
    assert "用户名或密码不正确" in response.content.decode()


def test_the_session_ends_after_thirty_idle_minutes(client, applicant):
    client.post("/accounts/login/", {"username": applicant.username, "password": PASSWORD})
    assert client.get("/").status_code == 200
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    # Thirty minutes pass without a request.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_each_request_pushes_the_idle_deadline_back(client, applicant):
    client.post("/accounts/login/", {"username": applicant.username, "password": PASSWORD})
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    client.get("/")
    assert Session.objects.get().expire_date - timezone.now() > dt.timedelta(minutes=29)


def test_the_home_page_is_an_empty_to_do_list_that_says_what_will_appear(client, applicant):
    client.force_login(applicant)
    page = client.get("/").content.decode()
    assert "当前没有需要您办理的事项" in page
    assert "被退回修改的项目申报" in page  # the applicant's hint


def test_a_user_without_any_role_is_told_to_ask_the_administrator(client):
    client.force_login(UserFactory())
    assert "尚未分配单位或机构角色" in client.get("/").content.decode()


def test_registered_to_do_items_are_listed_overdue_first(client, applicant, monkeypatch):
    today = timezone.localdate()
    items = [
        todo.TodoItem("答复共享申请：人口基础信息", "/x/2/", "共享申请", due=today + dt.timedelta(days=3)),
        todo.TodoItem("补正申报材料：智慧教育平台", "/x/1/", "项目申报", due=today - dt.timedelta(days=1)),
    ]
    monkeypatch.setattr(todo, "_PROVIDERS", [lambda user: items])
    client.force_login(applicant)
    page = client.get("/").content.decode()
    assert page.index("补正申报材料") < page.index("答复共享申请")
    assert "已逾期" in page and "其中逾期 1 项" in page


def test_only_administrators_see_the_admin_link(client, applicant, admin_user):
    client.force_login(applicant)
    assert "系统管理" not in client.get("/").content.decode()
    client.force_login(admin_user)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_reviewers_are_shown_their_agency_in_the_header(client):
    head = member(Role.SIGNER, agency_code="finance")
    client.force_login(head)
    page = client.get("/").content.decode()
    assert "签发人（机构负责人） · 省财政厅" in page


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, applicant):
    client.force_login(applicant)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page and "待办事项" in page


def test_the_language_switch_shows_the_page_in_english(client, applicant):
    client.force_login(applicant)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "To-do" in page and "Nothing needs your action right now" in page
