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
WAN = Decimal(10000)
CENT = Decimal("0.01")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """The CSV form of a text cell: an apostrophe before anything a spreadsheet would evaluate."""
    return "'" + text if looks_like_formula(text) else text


def wanyuan(yuan) -> Decimal | None:
    """Yuan → 万元 with two decimals (Decimal, rounded half up), None stays None."""
    if yuan is None or yuan == "":
        return None
    return (Decimal(yuan) / WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def date_text(value) -> str:
    """2026年1月5日 (govinfo.formats.official_date); a moment is taken on Beijing time; empty for None."""
    if value is None or value == "":
        return ""
    return official_date(value)


def moment_text(value: dt.datetime | None) -> str:
    """2026年1月5日 14:03:27 — the audit trail's times to the second, on Beijing time."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{official_date(local)} {local:%H:%M:%S}"
