"""The exporter registry and the ``Exporter`` base class (see the package docstring).

An exporter reads its rows with ``QuerySet.values()`` in chunks (``iterator``): a row is a small dict,
never a model instance with its relations, so memory stays flat and the rate stays close to a bare
writer's (``bench/exports.py`` measures both). Its base queryset comes from the access module of the
app that owns the data — an auditor gets every row, NDRC its cases, a unit its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DateTimeField, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govinfo.formats import display_date, english, series

from . import cells

TEXT, AMOUNT, DATE, MOMENT, NUMBER, CHOICE, CHOICES = (
    "text",
    "amount",
    "date",
    "moment",
    "number",
    "choice",
    "choices",
)
# The filters a page may offer, by name; each exporter says which it honours.
COMMON_FILTERS = ("year", "unit", "agency", "state", "amount_min", "amount_max", "date_from", "date_to")
ITERATOR_CHUNK = 2000


@dataclass(frozen=True)
class Column:
    """One column: where its value comes from (a ``values()`` key or an annotation), how it is shown."""

    key: str
    header: Any
    kind: str = TEXT
    expression: Any = None
    choices: Mapping | Callable[[], Mapping] | None = None
    render: Callable[[Any, dict], Any] | None = None
    width: int = 16


@dataclass
class Extension:
    """What a downstream app adds to another app's exporter: columns, and filters it knows how to apply."""

    columns: list[Column] = field(default_factory=list)
    filters: dict[str, Callable[[QuerySet, Any], QuerySet]] = field(default_factory=dict)


class Exporter:
    """One export. Subclasses set the class attributes and ``base_queryset``; see the package docstring."""

    identifier: str = ""
    verbose_name: Any = ""
    description: Any = ""
    filters: tuple[str, ...] = ()  # names from COMMON_FILTERS (or the exporter's own form fields)
    date_field: str = ""  # what date_from / date_to filter on
    date_label: Any = _("日期")
    amount_field: str = ""  # what amount_min / amount_max (in 万元) filter on, stored in yuan
    ordering: tuple[str, ...] = ("-pk",)
    state_choices: tuple = ()
    extra_values: tuple[str, ...] = ()  # read with the rows but not exported (what ``link`` needs)

    # -- what subclasses provide -----------------------------------------------------------------

    def allowed(self, user) -> bool:
        """May ``user`` run this export at all? (Which rows they get is ``base_queryset``'s answer.)"""
        return bool(getattr(user, "is_authenticated", False))

    def base_queryset(self, user) -> QuerySet:
        raise NotImplementedError

    def base_columns(self) -> list[Column]:
        raise NotImplementedError

    def link(self, row: dict) -> str | None:
        """The page of one row (the auditor's list links to it), or None."""
        return None

    # -- filters ---------------------------------------------------------------------------------

    def honoured_filters(self) -> tuple[str, ...]:
        extra = tuple(name for ext in _EXTENSIONS.get(self.identifier, []) for name in ext.filters)
        return tuple(dict.fromkeys((*self.filters, *extra)))

    def filter_year(self, qs, value):
        return qs.filter(year=value)

    def filter_state(self, qs, value):
        return qs.filter(state=value)

    def filter_amount_min(self, qs, value: Decimal):
        return qs.filter(**{f"{self.amount_field}__gte": value * cells.WAN})

    def filter_amount_max(self, qs, value: Decimal):
        return qs.filter(**{f"{self.amount_field}__lte": value * cells.WAN})

    def _date_bound(self, qs, value: dt.date, *, upper: bool):
        model_field = qs.model._meta.get_field(self.date_field.split("__")[0])
        if isinstance(model_field, DateTimeField):
            # Bounds as moments on Beijing time, so the index on the column is used (no __date cast).
            day = value + dt.timedelta(days=1) if upper else value
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
            lookup = "lt" if upper else "gte"
            return qs.filter(**{f"{self.date_field}__{lookup}": moment})
        return qs.filter(**{f"{self.date_field}__{'lte' if upper else 'gte'}": value})

    def filter_date_from(self, qs, value):
        return self._date_bound(qs, value, upper=False)

    def filter_date_to(self, qs, value):
        return self._date_bound(qs, value, upper=True)

    def apply_filters(self, qs: QuerySet, filters: Mapping[str, Any]) -> QuerySet:
        applying = {}
        for ext in _EXTENSIONS.get(self.identifier, []):
            applying.update(ext.filters)
        for name in self.honoured_filters():
            value = filters.get(name)
            if value in (None, "", [], ()):
                continue
            if name in applying:
                qs = applying[name](qs, value)
            else:
                qs = getattr(self, f"filter_{name}")(qs, value)
        return qs

    # -- rows ------------------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        added = [column for ext in _EXTENSIONS.get(self.identifier, []) for column in ext.columns]
        return [*self.base_columns(), *added]

    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns()]

    def queryset(self, user, filters: Mapping[str, Any] | None = None) -> QuerySet:
        """The rows ``user`` may export with ``filters`` applied, as ``values()`` dicts in export order."""
        columns = self.columns()
        annotations = {c.key: c.expression for c in columns if c.expression is not None}
        plain = [c.key for c in columns if c.expression is None and c.key != "pk"]
        qs = self.apply_filters(self.base_queryset(user), filters or {})
        keys = dict.fromkeys([*self.extra_values, *plain])
        return qs.order_by(*self.ordering).values("pk", *keys, **annotations)

    def estimate(self, user, filters: Mapping[str, Any] | None = None, *, limit: int) -> int:
        """How many rows, counted only up to ``limit`` (enough to decide: at once or in the background)."""
        qs = self.apply_filters(self.base_queryset(user), filters or {})
        return qs.order_by()[:limit].count()

    def formatters(self) -> list[tuple[str, Callable[[Any, dict], Any]]]:
        """(key, value → cell) per column, with choice labels translated once for the whole export."""
        compiled = []
        for column in self.columns():
            compiled.append((column.key, _formatter(column)))
        return compiled

    def iter_rows(self, user, filters: Mapping[str, Any] | None = None) -> Iterator[list]:
        """Each exported row as a list of cell values (str, Decimal, int or None), headers not included."""
        formatters = self.formatters()
        for row in self.queryset(user, filters).iterator(chunk_size=ITERATOR_CHUNK):
            yield [fmt(row[key], row) for key, fmt in formatters]


def _same(value, row):
    return value


def _labels(column: Column) -> dict:
    choices = column.choices() if callable(column.choices) else (column.choices or {})
    return {key: str(label) for key, label in dict(choices).items()}


def _formatter(column: Column) -> Callable[[Any, dict], Any]:
    if column.render is not None:
        return column.render
    kind = column.kind
    zone = timezone.get_current_timezone()  # once per export, not per cell
    if kind == AMOUNT:
        return lambda value, row: cells.wanyuan(value)
    if kind in (DATE, MOMENT) and english():
        # An English page or file writes dates the English way; Chinese ones as officials do (2026年1月5日).
        with_time = kind == MOMENT
        return lambda value, row: "" if value in (None, "") else display_date(value, with_time=with_time)
    if kind == DATE:
        return lambda value, row: cells.date_text(value, zone)
    if kind == MOMENT:
        return lambda value, row: cells.moment_text(value, zone)
    if kind == NUMBER:
        return _same
    if kind == CHOICE:
        labels = _labels(column)
        return lambda value, row: labels.get(value, "" if value is None else str(value))
    if kind == CHOICES:
        labels = _labels(column)
        separator = series(["", ""])  # the language's list separator, looked up once
        return lambda value, row: separator.join(labels.get(v, str(v)) for v in (value or []))
    return _text


def _text(value, row):
    if value.__class__ is str:
        return value
    return "" if value is None else str(value)


_REGISTRY: dict[str, Exporter] = {}
_EXTENSIONS: dict[str, list[Extension]] = {}


def register(exporter_class: type[Exporter]) -> type[Exporter]:
    """Register an exporter class (usable as a decorator); its identifier must be unique."""
    identifier = exporter_class.identifier
    if not identifier:
        raise ValueError(f"{exporter_class.__name__} has no identifier")
    existing = _REGISTRY.get(identifier)
    if existing is not None and type(existing) is not exporter_class:
        raise ValueError(f"exporter {identifier!r} registered twice")
    _REGISTRY[identifier] = exporter_class()
    return exporter_class


def extend(
    identifier: str,
    *,
    columns: list[Column] | None = None,
    filters: dict[str, Callable[[QuerySet, Any], QuerySet]] | None = None,
) -> None:
    """Add columns and filters to another app's exporter (e.g. approvals adds 批复日期 to projects)."""
    extension = Extension(list(columns or []), dict(filters or {}))
    found = _EXTENSIONS.setdefault(identifier, [])
    keys = {(tuple(c.key for c in e.columns), tuple(e.filters)) for e in found}
    if (tuple(c.key for c in extension.columns), tuple(extension.filters)) not in keys:
        found.append(extension)


def get(identifier: str) -> Exporter | None:
    return _REGISTRY.get(identifier)


def exporters() -> list[Exporter]:
    return list(_REGISTRY.values())


def for_user(user) -> list[Exporter]:
    return [exporter for exporter in _REGISTRY.values() if exporter.allowed(user)]
