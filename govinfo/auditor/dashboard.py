"""The auditor's dashboard: each chart is a small table (headers and rows) and a chart spec.

Every table is read in a fixed number of queries whatever the number of projects: grouped counts and
sums in the database; where the grouping is not SQL's to do (fund channels are a list per project;
review durations are working days) one query reads the few columns needed and Python adds them up.
The same table feeds the chart (a ``<script type="application/json">`` block read by
``static/js/dashboard.js``, no inline script) and its CSV download.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import ReviewTask
from govinfo import overdue
from govinfo.exports.cells import wanyuan
from govinfo.workdays.days import WorkdayCalendar
from projects.models import FundChannel, Project, State


@dataclass
class Dataset:
    identifier: str
    title: str
    headers: list[str]
    rows: list[list]
    kind: str = "bar"  # bar | hbar | line | pie
    category_column: int = 0
    value_columns: list[int] = field(default_factory=lambda: [1])
    note: str = ""

    @property
    def dom_id(self) -> str:
        return f"chart-data-{self.identifier}"

    def spec(self) -> dict:
        """What the chart script draws: categories and one series per value column (JSON-safe)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "categories": [str(row[self.category_column]) for row in self.rows],
            "series": [
                {"name": self.headers[col], "data": [_number(row[col]) for row in self.rows]}
                for col in self.value_columns
            ],
        }


def _number(value) -> float | int:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return float(value)
    return value


def _projects(year: int | None):
    projects = Project.objects.all()
    return projects.filter(year=year) if year else projects


def by_stage(year: int | None) -> Dataset:
    counted = {
        row["state"]: row
        for row in _projects(year).values("state").annotate(n=Count("pk"), total=Sum("total_investment"))
    }
    rows = [
        [str(label), counted[value]["n"], wanyuan(counted[value]["total"]) or Decimal("0.00")]
        for value, label in State.choices
        if value in counted
    ]
    return Dataset(
        "stages",
        _("项目阶段分布"),
        [_("状态"), _("项目数"), _("总投资（万元）")],
        rows,
        kind="bar",
        value_columns=[1],
    )


def by_unit(year: int | None) -> Dataset:
    grouped = (
        _projects(year)
        .values("lead_unit__name")
        .annotate(n=Count("pk"), total=Sum("total_investment"))
        .order_by("-total", "lead_unit__name")
    )
    rows = [[row["lead_unit__name"], row["n"], wanyuan(row["total"]) or Decimal("0.00")] for row in grouped]
    return Dataset(
        "units",
        _("各单位投资"),
        [_("项目单位"), _("项目数"), _("总投资（万元）")],
        rows,
        kind="hbar",
        value_columns=[2],
    )


def by_year(year: int | None) -> Dataset:
    grouped = (
        Project.objects.values("year").annotate(n=Count("pk"), total=Sum("total_investment")).order_by("year")
    )
    rows = [[row["year"], row["n"], wanyuan(row["total"]) or Decimal("0.00")] for row in grouped]
    return Dataset(
        "years",
        _("各年度投资"),
        [_("年度"), _("项目数"), _("总投资（万元）")],
        rows,
        kind="bar" if len(rows) < 4 else "line",
        value_columns=[2],
    )


def by_fund_channel(year: int | None) -> Dataset:
    labels = dict(FundChannel.choices)
    counts: dict[str, int] = defaultdict(int)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for channels, total in _projects(year).values_list("fund_channels", "total_investment").iterator():
        for channel in channels or []:
            counts[channel] += 1
            totals[channel] += total or 0
    rows = [
        [str(labels.get(channel, channel)), counts[channel], wanyuan(totals[channel])]
        for channel in [value for value, _label in FundChannel.choices if value in counts]
        + sorted(set(counts) - set(labels))
    ]
    return Dataset(
        "channels",
        _("各经费渠道投资"),
        [_("经费渠道"), _("项目数"), _("涉及总投资（万元）")],
        rows,
        kind="pie",
        value_columns=[2],
        note=_("一个项目使用多个经费渠道时，其总投资计入每个渠道。"),
    )


class WorkdayCounter:
    """Working days between two dates, for many pairs, with one calendar read for the whole span."""

    def __init__(self, start: dt.date, end: dt.date):
        calendar = WorkdayCalendar(start, end)
        self.start = start
        self.prefix = [0]
        day = start
        while day <= end:
            self.prefix.append(self.prefix[-1] + calendar.is_workday(day))
            day += dt.timedelta(days=1)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (as ``working_days_between``)."""
        if end <= start:
            return 0
        return self.prefix[(end - self.start).days + 1] - self.prefix[(start - self.start).days + 1]


def review_durations(year: int | None) -> Dataset:
    tasks = ReviewTask.objects.filter(status=ReviewTask.Status.SIGNED, closed_at__isnull=False)
    if year:
        tasks = tasks.filter(round__project__year=year)
    pairs = [
        (name, timezone.localdate(opened), timezone.localdate(signed))
        for name, opened, signed in tasks.values_list("agency__name", "created_at", "closed_at").iterator()
    ]
    by_agency: dict[str, list[int]] = defaultdict(list)
    if pairs:
        counter = WorkdayCounter(min(p[1] for p in pairs), max(p[2] for p in pairs))
        for name, opened, signed in pairs:
            by_agency[name].append(counter.between(opened, signed))
    rows = [
        [
            name,
            len(days),
            round(statistics.fmean(days), 1),
            statistics.median(days),
            max(days),
        ]
        for name, days in sorted(by_agency.items(), key=lambda item: -statistics.fmean(item[1]))
    ]
    return Dataset(
        "durations",
        _("各机构审查用时（工作日）"),
        [_("审核机构"), _("已签署任务数"), _("平均用时"), _("中位用时"), _("最长用时")],
        rows,
        kind="hbar",
        value_columns=[2, 3],
        note=_("自审核任务开启至审核意见签署，按工作日计（法定节假日和调休按工作日历）。"),
    )


def overdue_items(year: int | None) -> Dataset:
    today = timezone.localdate()
    rows = [[str(source.label), source.count(today), source.rule] for source in overdue.sources()]
    return Dataset(
        "overdue",
        _("逾期事项"),
        [_("事项"), _("逾期数"), _("依据")],
        rows,
        kind="hbar",
        value_columns=[1],
    )


DATASETS: dict[str, Callable[[int | None], Dataset]] = {
    "stages": by_stage,
    "overdue": overdue_items,
    "units": by_unit,
    "years": by_year,
    "channels": by_fund_channel,
    "durations": review_durations,
}
TITLE: Any = gettext_lazy("统计分析")


def all_datasets(year: int | None) -> list[Dataset]:
    return [build(year) for build in DATASETS.values()]
