"""What is overdue, counted for the auditor's dashboard: each app registers its kinds of deadline.

The platform does not know the apps, so each registers a source in its ``AppConfig.ready()``::

    overdue.register(overdue.Source("review-tasks", _("逾期审核任务"), count=…, rule="R-REV-1"))

``count(today)`` answers in one query, so the dashboard's query count does not grow with the cases.
Delivery registers its monitoring reports (R-BLD-4), acceptances (R-ACC-1, R-APP-4) and
self-evaluations (R-EVA-1) the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Source:
    identifier: str
    label: Any
    count: Callable[[dt.date], int]
    rule: str = ""
    # Where an auditor lists them: an exporter's identifier and the filters that show them.
    exporter: str = ""
    query: str = ""


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    _SOURCES[source.identifier] = source


def sources() -> list[Source]:
    return list(_SOURCES.values())
