"""Dates and lists as the reader's language writes them.

``official_date`` is the form officials write in a 公文 (2026年1月5日, no leading zeros, GB/T 9704 成文日期
style): issued documents are always Chinese, so it never translates. Sentences on pages, flash
messages and refusals use ``display_date`` / ``display_datetime`` instead, which follow the language of
the request (2026年1月5日 or 5 Jan 2026, as the ``govdate`` template filter writes them).
"""

import datetime as dt
from collections.abc import Iterable

from django.template.defaultfilters import date as format_date
from django.utils import timezone, translation
from django.utils.translation import pgettext

DISPLAY_FORMATS = {
    ("zh", False): "Y年n月j日",
    ("zh", True): "Y年n月j日 H:i",
    ("en", False): "j M Y",
    ("en", True): "j M Y H:i",
}


def official_date(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
    return f"{day.year}年{day.month}月{day.day}日"


def official_datetime(moment: dt.datetime) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{official_date(local)} {local:%H:%M}"


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


def english() -> bool:
    """Is the active language English (the interface's only other language)?"""
    return _language() == "en"


def display_date(day: dt.date | dt.datetime, with_time: bool = False) -> str:
    """2026年1月5日 in Chinese, 5 Jan 2026 in English; a moment is shown on Beijing time."""
    if isinstance(day, dt.datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    return format_date(day, DISPLAY_FORMATS[(_language(), with_time)])


def display_datetime(moment: dt.datetime) -> str:
    return display_date(moment, with_time=True)


def series(items: Iterable[object]) -> str:
    """学校、医院 in Chinese; "schools, hospitals" in English."""
    # Translators: the separator between the items of an enumeration (、 in Chinese).
    return pgettext("list separator", "、").join(str(item) for item in items)


def clauses(items: Iterable[object]) -> str:
    """Longer items, each a phrase of its own: separated by ； in Chinese and "; " in English."""
    # Translators: the separator between phrases of an enumeration (； in Chinese).
    return pgettext("phrase separator", "；").join(str(item) for item in items)
