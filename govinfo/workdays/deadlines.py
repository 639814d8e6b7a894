"""Open deadlines per year, from every app that counts working days, so the administrator is asked to enter a
year's 放假安排 as soon as a deadline falls into it.

An app registers a source in its AppConfig.ready(): a function taking a set of years and returning the open
deadlines (dates) that fall in them. The platform never imports the apps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

Source = Callable[[set[int]], Iterable[dt.date]]
_SOURCES: list[Source] = []


def register(source: Source) -> Source:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def open_deadlines_in(years: set[int]) -> dict[int, list[dt.date]]:
    """Year → sorted open deadlines falling in it, for the given years (one query per source)."""
    found: dict[int, list[dt.date]] = {}
    if not years:
        return found
    for source in _SOURCES:
        for day in source(years):
            if day is not None and day.year in years:
                found.setdefault(day.year, []).append(day)
    return {year: sorted(days) for year, days in sorted(found.items())}
