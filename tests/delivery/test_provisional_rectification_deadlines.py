"""R-BLD-3 rectification deadlines counted in working days into a year whose 放假安排 is not entered yet:
shown as “（暂定）” like the share requests' (R-CAT-3), and the administrator asked to enter the year."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery import supervision
from delivery.models import SupervisionBasis
from govinfo.home.todo import items_for
from govinfo.workdays.models import CalendarYear

from .construction_fixtures import *  # noqa: F401,F403  (the fixtures of these tests)

pytestmark = pytest.mark.django_db

FRIDAY_18_DEC_2026 = dt.datetime(2026, 12, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
FRIDAY_20_NOV_2026 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _order(project, by, monkeypatch, when, **deadline):
    monkeypatch.setattr(timezone, "now", lambda: when)
    return supervision.order_rectification(
        project, by=by, basis=SupervisionBasis.QUALITY, issues="测试环境未做等保测评。", **deadline
    )


def _pages(client, project, user) -> str:
    client.force_login(user)
    pages = [
        reverse("delivery:supervision", args=[project.pk]),
        reverse("projects:detail", args=[project.pk]),
    ]
    return "".join(client.get(url).content.decode() for url in pages)


def test_r_bld_3_a_deadline_counted_into_an_unknown_year_is_provisional(
    client, monkeypatch, building, applicant, ndrc_reviewer, admin_user
):
    order = _order(building, ndrc_reviewer, monkeypatch, FRIDAY_18_DEC_2026, working_days=10)
    assert order.due_date == dt.date(2027, 1, 4)  # 元旦 2027 skipped
    pages = _pages(client, building, applicant)
    assert "2027年1月4日" in pages and pages.count('data-testid="provisional"') == 2  # page and story
    item = next(item for item in items_for(applicant) if item.due == order.due_date)
    assert item.provisional
    (schedule,) = [item for item in items_for(admin_user) if item.title == "录入2027年节假日安排"]
    assert schedule.due == dt.date(2027, 1, 4)

    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕X号")
    assert 'data-testid="provisional"' not in _pages(client, building, applicant)
    assert not any(item.provisional for item in items_for(applicant))


def test_r_bld_3_a_deadline_inside_a_known_year_or_a_date_ndrc_chose_is_firm(
    client, monkeypatch, building, applicant, ndrc_reviewer, admin_user
):
    counted = _order(building, ndrc_reviewer, monkeypatch, FRIDAY_20_NOV_2026, working_days=10)
    assert counted.due_date == dt.date(2026, 12, 4)
    chosen = _order(building, ndrc_reviewer, monkeypatch, FRIDAY_18_DEC_2026, due_date=dt.date(2027, 2, 1))
    assert chosen.due_working_days is None
    assert 'data-testid="provisional"' not in _pages(client, building, applicant)
    assert not any(item.provisional for item in items_for(applicant))
    assert not [item for item in items_for(admin_user) if item.title == "录入2027年节假日安排"]
