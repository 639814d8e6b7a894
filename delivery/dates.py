"""The dates of the years after construction, on the working-day calendar (``govinfo.workdays``).

- A deadline that falls on a day off moves to the next working day (民法典 第二百零三条: 期间的最后一日是
  法定休假日的，以法定休假日结束的次日为期间的最后一日): ``deadline``.
- A minimum duration (3 months of trial, 12 months of operation) counts calendar months from the
  recorded date (``add_months``); it is a "not before", not a deadline, so it does not move.
- "Due soon" is counted back in working days from the deadline (``reminder_window_opens``).
- A list of cases asks the other way round, in SQL: which start dates have reached a date (``latest_start``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from govinfo.workdays.days import WorkdayCalendar, add_working_days

ONE_DAY = dt.timedelta(days=1)
# The longest run of days off is 8–9 days (春节, 国庆): a deadline never moves further than this.
LONGEST_MOVE = dt.timedelta(days=20)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the next working day."""
    return add_working_days(day, 0)


def deadlines(days: Iterable[dt.date]) -> dict[dt.date, dt.date]:
    """``deadline`` of each of ``days``, asking the calendar's table once however many there are."""
    days = set(days)
    if not days:
        return {}
    calendar = WorkdayCalendar(min(days), max(days) + LONGEST_MOVE)
    moved = {}
    for day in days:
        due = day
        while not calendar.is_workday(due):
            due += ONE_DAY
        moved[day] = due
    return moved


def latest_start(last_day: dt.date, months: int) -> dt.date:
    """The latest start date whose ``add_months(start, months)`` falls on or before ``last_day``: a list
    filters its cases with ``start <= latest_start(...)`` in SQL. Short months clamp (31 Jan, 29–31 Jan + 1
    month all give 28 Feb), so up to three starts after ``add_months(last_day, -months)`` still qualify."""
    start = add_months(last_day, -months)
    while add_months(start + ONE_DAY, months) <= last_day:
        start += ONE_DAY
    return start


def year_end_deadline(year: int) -> dt.date:
    """ "每年年底前" (R-BLD-4): 31 December, moved to the next working day when it is a day off."""
    return deadline(dt.date(year, 12, 31))


def reminder_window_opens(due: dt.date, working_days: int) -> dt.date:
    """The day a "due soon" reminder starts: ``working_days`` working days before ``due``."""
    return add_working_days(due, -working_days)
