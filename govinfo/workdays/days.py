"""Working days in mainland China: public holidays off, 调休 weekends on.

Where a day's status comes from, first match wins:
1. the admin-editable CalendarDay table (overrides and years published after the library),
2. the chinese-calendar library for the years it knows (the 国务院办公厅's published arrangements),
3. for any other year, the statutory holidays of 《全国年节及纪念日放假办法》 as in force since 2025 — 元旦,
   春节 (除夕 to 初三), 清明, 劳动节 (1–2 May), 端午, 中秋, 国庆节 (1–3 Oct), lunar dates and 清明 computed —
   plus the 补假 its 第六条 gives when one falls on a weekend, and Monday to Friday otherwise. Only the year's 调休
   swaps are unknown until the arrangement is published, so a deadline counted through such a year is
   *provisional* (``due_date(...).provisional``; pages show “（暂定）”, the administrator gets a to-do).

``add_working_days`` is the one function every deadline in the product uses; ``due_date`` is the same count
that also says whether it is provisional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

import chinese_calendar

from .models import CalendarDay, CalendarYear

STATUTORY_RULE = "《全国年节及纪念日放假办法》（2024年11月10日修订，2025年1月1日起施行）"


class Source(StrEnum):
    TABLE = "table"
    LIBRARY = "library"
    FALLBACK = "fallback"  # statutory holidays computed, 调休 unknown


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


def known_years() -> frozenset[int]:
    """Years whose official arrangement the product has (library or entered in full): one query."""
    entered = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return LIBRARY_YEARS | frozenset(entered)


def unknown_years(start: dt.date, end: dt.date, known: Iterable[int] | None = None) -> list[int]:
    """The years from ``start`` to ``end`` (either order) whose 调休 arrangement nobody has entered."""
    known = known_years() if known is None else known
    low, high = sorted((start.year, end.year))
    return [year for year in range(low, high + 1) if year not in known]


def is_provisional(start: dt.date, end: dt.date, known: Iterable[int] | None = None) -> bool:
    """Whether a count of working days from ``start`` to ``end`` ran through a year without its arrangement.

    Pass ``known`` (from ``known_years()``) when asking for many dates, to ask the database once.
    """
    if start.year in LIBRARY_YEARS and end.year in LIBRARY_YEARS:
        return False
    return bool(unknown_years(start, end, known))


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The days off that the law itself fixes for ``year``, before any 调休: date → holiday name.

    第二条: 元旦 1 Jan; 春节 农历除夕、正月初一至初三; 清明节 the 清明 solar term; 劳动节 1–2 May; 端午节 农历五月初五;
    中秋节 农历八月十五; 国庆节 1–3 Oct. 第六条: a holiday falling on a Saturday or Sunday is made up (补假) on the
    next working day after it; so is a day on which two holidays coincide (as 中秋 and 国庆 did in 2009 and 2020).
    """
    from lunar_python import Lunar

    def solar(lunar) -> dt.date:
        day = lunar.getSolar()
        return dt.date(day.getYear(), day.getMonth(), day.getDay())

    spring = Lunar.fromYmd(year, 1, 1)
    qingming = spring.getJieQiTable()["清明"]
    entries = [(dt.date(year, 1, 1), "元旦")]
    entries += [(solar(spring.next(offset)), "春节") for offset in (-1, 0, 1, 2)]
    entries.append((dt.date(qingming.getYear(), qingming.getMonth(), qingming.getDay()), "清明节"))
    entries += [(dt.date(year, 5, 1), "劳动节"), (dt.date(year, 5, 2), "劳动节")]
    entries.append((solar(Lunar.fromYmd(year, 5, 5)), "端午节"))
    entries.append((solar(Lunar.fromYmd(year, 8, 15)), "中秋节"))
    entries += [(dt.date(year, 10, day), "国庆节") for day in (1, 2, 3)]

    off: dict[dt.date, str] = {}
    owed: list[tuple[dt.date, str]] = []
    for day, name in sorted(entries):
        if day in off or day.weekday() >= 5:
            owed.append((day, name))
        off.setdefault(day, name)
    for day, name in owed:
        makeup = day + dt.timedelta(days=1)
        while makeup in off or makeup.weekday() >= 5:
            makeup += dt.timedelta(days=1)
        off[makeup] = f"{name}补假"
    return dict(sorted(off.items()))


def _default_is_workday(day: dt.date) -> bool:
    if day.year in LIBRARY_YEARS:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5 and day not in statutory_holidays(day.year)


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


class DueDate(NamedTuple):
    """A deadline and whether it was counted through a year whose 调休 arrangement is not yet known."""

    date: dt.date
    provisional: bool


def due_date(start: dt.date, n: int) -> DueDate:
    """``add_working_days(start, n)``, saying whether the answer may still move with next year's 调休."""
    end = add_working_days(start, n)
    return DueDate(end, is_provisional(start, end))


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
