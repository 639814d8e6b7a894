"""What goes into a cell: safe text, amounts in 万元, dates as officials write them.

OWASP "CSV injection": a spreadsheet program treats a cell starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula (``=HYPERLINK(…)``, DDE ``=cmd|…``). Every text cell of every
export the product writes passes ``safe_text``:

- in XLSX the cell is written as a string cell with the quote prefix set (what Excel itself does when a
  person types ``'=1+1``): the text is kept exactly, and no program reads it as a formula;
- in CSV, which has no cell types, such a text gets a leading apostrophe (``'=HYPERLINK(…)``), the
  escape OWASP recommends.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from govinfo.formats import official_date

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
WAN = Decimal(10000)
CENT = Decimal("0.01")


def looks_like_formula(text: str) -> bool:
    return text[:1] in _FORMULA_FIRST


def csv_text(text: str) -> str:
    """The CSV form of a text cell: an apostrophe before anything a spreadsheet would evaluate."""
    return "'" + text if text[:1] in _FORMULA_FIRST else text


def wanyuan(yuan) -> Decimal | None:
    """Yuan → 万元 with two decimals (Decimal, rounded half up), None stays None."""
    if yuan is None or yuan == "":
        return None
    return (Decimal(yuan) / WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def date_text(value, zone=None) -> str:
    """2026年1月5日 (as govinfo.formats.official_date); a moment is taken on Beijing time (or ``zone``,
    looked up once per export by the caller); empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone or timezone.get_current_timezone())
        return f"{value.year}年{value.month}月{value.day}日"
    return official_date(value)


def moment_text(value: dt.datetime | None, zone=None) -> str:
    """2026年1月5日 14:03:27 — the audit trail's times to the second, on Beijing time."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(zone or timezone.get_current_timezone())
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M:%S}"
