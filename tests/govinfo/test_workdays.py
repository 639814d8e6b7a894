"""Working days: Chinese public holidays off, 调休 weekends on, an admin table for later years."""

import datetime as dt

import chinese_calendar
import pytest

from govinfo.workdays.days import (
    LIBRARY_YEARS,
    DueDate,
    Source,
    add_working_days,
    due_date,
    is_workday,
    statutory_holidays,
    working_days_between,
    year_source,
)
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


def test_a_year_nobody_entered_keeps_its_statutory_holidays_and_otherwise_monday_to_friday():
    assert year_source(2031) == Source.FALLBACK
    assert is_workday(D(2031, 1, 6)) and not is_workday(D(2031, 1, 4))  # Monday / Saturday
    assert not is_workday(D(2031, 1, 1))  # 元旦, a Wednesday
    assert not is_workday(D(2031, 1, 23))  # 春节 (正月初一), a Thursday


def test_r_cat_3_a_share_request_of_2026_12_18_skips_new_years_day_2027_and_is_provisional():
    # Friday 18 Dec 2026 + 10 working days: 21–25 and 28–31 Dec are nine; 1 Jan 2027 (元旦, a Friday) is off
    # by law although 2027's arrangement is not published yet; the tenth is Monday 4 Jan, not 1 Jan.
    assert year_source(2027) == Source.FALLBACK
    assert due_date(D(2026, 12, 18), 10) == DueDate(D(2027, 1, 4), provisional=True)
    assert add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 4)  # the old API still answers a date


def test_r_cat_3_the_spring_festival_week_of_2028_is_skipped():
    holidays = statutory_holidays(2028)
    # 2028's lunar new year is 26 January: 除夕 25 Jan to 初三 28 Jan are off (第二条, as amended in 2024).
    assert [day for day, name in holidays.items() if name == "春节"] == [
        D(2028, 1, 25),
        D(2028, 1, 26),
        D(2028, 1, 27),
        D(2028, 1, 28),
    ]
    # Friday 21 Jan: Monday 24 is the first working day, then 25–30 Jan are off, Monday 31 and Tuesday 1 Feb.
    assert due_date(D(2028, 1, 21), 3) == DueDate(D(2028, 2, 1), provisional=True)
    assert working_days_between(D(2028, 1, 24), D(2028, 1, 31)) == 1


def test_r_cat_3_a_known_year_is_not_provisional():
    assert due_date(D(2026, 9, 29), 10) == DueDate(D(2026, 10, 19), provisional=False)
    # Once the administrator has entered 2027's arrangement in full, the count through it is firm.
    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕X号")
    assert due_date(D(2026, 12, 18), 10) == DueDate(D(2027, 1, 4), provisional=False)
    # Counting back into an unknown year is provisional too.
    assert due_date(D(2028, 1, 4), -1).provisional


def test_r_cat_3_lunar_holidays_and_qingming_are_computed_for_any_year():
    holidays = statutory_holidays(2027)
    named = {name: day for day, name in holidays.items()}
    assert named["清明节"] == D(2027, 4, 5)
    assert named["端午节"] == D(2027, 6, 9)
    assert named["中秋节"] == D(2027, 9, 15)
    assert [day for day, name in holidays.items() if name == "劳动节"] == [D(2027, 5, 1), D(2027, 5, 2)]
    assert [day for day, name in holidays.items() if name == "国庆节"] == [D(2027, 10, d) for d in (1, 2, 3)]
    # 第六条: a holiday on a weekend is made up on the next working day (元旦 2028 is a Saturday).
    assert statutory_holidays(2028)[D(2028, 1, 3)] == "元旦补假"
    # 中秋 and 国庆 fall together on 3 Oct 2028: the day is made up as in 2009 and 2020.
    assert statutory_holidays(2028)[D(2028, 10, 3)] == "中秋节"
    assert {D(2028, 10, 4), D(2028, 10, 5)} <= set(statutory_holidays(2028))


@pytest.mark.parametrize("year", sorted(year for year in LIBRARY_YEARS if year >= 2025))
def test_the_computed_statutory_holidays_are_off_in_every_published_arrangement_under_the_2024_rule(year):
    # The computation checked against the 国务院办公厅's own arrangements (as the library records them) for
    # every year the amended rule (除夕 and a second 劳动节 day, from 2025) has governed.
    assert [day for day in statutory_holidays(year) if chinese_calendar.is_workday(day)] == []


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
