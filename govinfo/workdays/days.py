"""Working days in mainland China: public holidays off, 调休 weekends on.

Where a day's status comes from, first match wins:
1. the admin-editable CalendarDay table (overrides and years published after the library),
2. the chinese-calendar library for the years it knows,
3. Monday to Friday, for a year nobody has entered yet (the admin says so).

``add_working_days`` is the one function every deadline in the product uses.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import chinese_calendar

from .models import CalendarDay, CalendarYear


class Source(StrEnum):
    TABLE = "table"
    LIBRARY = "library"
    FALLBACK = "fallback"


def _library_years() -> set[int]:
    from chinese_calendar import constants

    return {day.year for day in constants.holidays}


LIBRARY_YEARS = frozenset(_library_years())


def year_source(year: int) -> Source:
    if CalendarYear.objects.filter(year=year, complete=True).exists():
        return Source.TABLE
    if year in LIBRARY_YEARS:
        return Source.LIBRARY
    return Source.FALLBACK


def _default_is_workday(day: dt.date) -> bool:
    if day.year in LIBRARY_YEARS:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


class WorkdayCalendar:
    """Answers many questions about a span of dates with one query for the table's overrides."""

    def __init__(self, start: dt.date, end: dt.date):
        self.overrides = {
            row.date: row.kind == CalendarDay.Kind.WORKDAY
            for row in CalendarDay.objects.filter(date__range=(start, end)).only("date", "kind")
        }

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _default_is_workday(day)


def is_workday(day: dt.date) -> bool:
    return WorkdayCalendar(day, day).is_workday(day)


# The longest run of non-working days in the Chinese calendar is 8–9 days (春节, 国庆); a span this
# wide per working day asked for always holds enough working days to answer.
_SPAN_PER_DAY = 3
_SPAN_SLACK = 20


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date n working days after ``start`` (``start`` itself not counted); n < 0 counts back.

    n == 0 gives ``start`` when it is a working day, otherwise the next working day.
    """
    step = 1 if n >= 0 else -1
    span = dt.timedelta(days=abs(n) * _SPAN_PER_DAY + _SPAN_SLACK)
    low, high = (start, start + span) if step > 0 else (start - span, start)
    calendar = WorkdayCalendar(low, high)
    day = start
    if n == 0:
        while not calendar.is_workday(day):
            day += dt.timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if calendar.is_workday(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    calendar = WorkdayCalendar(start, end)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_workday(day)
    return count
