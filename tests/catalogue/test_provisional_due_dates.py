"""R-CAT-3 deadlines that run into a year whose 放假安排 is not entered yet: computed without the statutory
holidays' 调休, shown as “（暂定）”, and put on the administrator's to-do list until the year is entered."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue import services
from govinfo.home.todo import items_for
from govinfo.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db

FRIDAY_18_DEC_2026 = dt.datetime(2026, 12, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SCHEDULE_TITLE = "录入2027年节假日安排"


@pytest.fixture
def on_18_december(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: FRIDAY_18_DEC_2026)


@pytest.fixture
def late_request(on_18_december, published, other_unit, other_applicant):
    return services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验学籍")


def _schedule_items(user):
    return [item for item in items_for(user) if item.title == SCHEDULE_TITLE]


def test_r_cat_3_a_request_of_18_december_2026_is_due_after_new_years_day_2027(late_request):
    assert late_request.due_date == dt.date(2027, 1, 4)  # not 1 Jan 2027 (元旦)


def test_r_cat_3_the_due_date_is_marked_provisional_on_the_pages_and_to_do_lists(
    client, late_request, applicant, other_applicant
):
    client.force_login(other_applicant)
    page = client.get(reverse("catalogue:request", args=[late_request.pk])).content.decode()
    assert "2027年1月4日" in page and "（暂定）" in page
    client.force_login(applicant)  # the provider, who must answer by then
    assert "（暂定）" in client.get(reverse("catalogue:mine")).content.decode()
    answer_item = next(item for item in items_for(applicant) if late_request.resource.name in item.title)
    assert answer_item.due == dt.date(2027, 1, 4) and answer_item.provisional
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="provisional"' in home


def test_r_cat_3_the_administrator_is_asked_to_enter_the_year_and_the_mark_goes_once_entered(
    client, late_request, admin_user, applicant, other_applicant, auditor, ndrc_signer
):
    (item,) = _schedule_items(admin_user)
    assert item.due == dt.date(2027, 1, 4) and "1项办理期限落在2027年" in item.detail
    assert item.url == reverse("admin:workdays_calendarday_changelist")
    for user in (applicant, other_applicant, auditor, ndrc_signer):
        assert _schedule_items(user) == []

    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕X号")
    assert _schedule_items(admin_user) == []
    client.force_login(other_applicant)
    page = client.get(reverse("catalogue:request", args=[late_request.pk])).content.decode()
    assert "2027年1月4日" in page and "（暂定）" not in page


def test_r_cat_3_a_due_date_inside_a_known_year_is_not_marked(
    client, monkeypatch, published, applicant, other_unit, other_applicant
):
    monkeypatch.setattr(timezone, "now", lambda: FRIDAY_18_DEC_2026 - dt.timedelta(days=28))  # 20 Nov 2026
    request = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验学籍")
    assert request.due_date == dt.date(2026, 12, 4)
    client.force_login(other_applicant)
    page = client.get(reverse("catalogue:request", args=[request.pk])).content.decode()
    assert "2026年12月4日" in page and "（暂定）" not in page
    assert not any(item.provisional for item in items_for(applicant))
