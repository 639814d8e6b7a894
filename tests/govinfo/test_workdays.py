"""Working days: Chinese public holidays off, 调休 weekends on, an admin table for later years."""

import datetime as dt

import pytest

from govinfo.workdays.days import Source, add_working_days, is_workday, working_days_between, year_source
from govinfo.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
D = dt.date


def test_spring_festival_2026_is_off_and_its_make_up_saturday_is_on():
    assert not is_workday(D(2026, 2, 17))  # 春节
    assert is_workday(D(2026, 2, 14))  # Saturday, 调休 workday
    assert not is_workday(D(2026, 10, 1))  # 国庆节


def test_ten_working_days_skip_the_national_day_week():
    # Filed Tuesday 29 Sept 2026: 1–7 Oct are off (国庆 + 中秋), Saturday 10 Oct is a 调休 workday,
    # so the tenth working day is Monday 19 Oct, not the plain-weekday answer of 13 Oct.
    due = add_working_days(D(2026, 9, 29), 10)
    assert due == D(2026, 10, 19)
    assert working_days_between(D(2026, 9, 29), due) == 10


def test_counting_back_and_zero():
    assert add_working_days(D(2026, 2, 24), -1) == D(2026, 2, 14)  # back over 春节 to the 调休 Saturday
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)  # the next working day


def test_a_year_nobody_entered_falls_back_to_monday_to_friday():
    assert year_source(2031) == Source.FALLBACK
    assert is_workday(D(2031, 1, 6)) and not is_workday(D(2031, 1, 4))  # Monday / Saturday


def test_the_admin_table_overrides_later_years():
    CalendarDay.objects.create(date=D(2031, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    CalendarDay.objects.create(date=D(2031, 1, 4), kind=CalendarDay.Kind.WORKDAY, name="调休")
    CalendarYear.objects.create(year=2031, complete=True, source="国办发明电〔2030〕1号")
    assert year_source(2031) == Source.TABLE
    assert not is_workday(D(2031, 1, 1))  # a Wednesday, made a holiday
    assert is_workday(D(2031, 1, 4))  # a Saturday, made a workday
    assert add_working_days(D(2030, 12, 31), 1) == D(2031, 1, 2)


def test_the_admin_warns_when_next_year_is_not_entered(admin_client, settings):
    from django.utils import timezone

    next_year = timezone.localdate().year + 1
    response = admin_client.get("/admin/workdays/calendarday/", follow=True)
    text = response.content.decode()
    assert f"{next_year}年的节假日安排尚未录入" in text
    CalendarYear.objects.create(year=next_year, complete=True)
    text = admin_client.get("/admin/workdays/calendarday/").content.decode()
    assert f"{next_year}年的节假日安排尚未录入" not in text
