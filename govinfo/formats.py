"""Dates in the form officials write them: 2026年1月5日, no leading zeros (GB/T 9704 成文日期 style)."""

import datetime as dt

from django.utils import timezone


def official_date(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
    return f"{day.year}年{day.month}月{day.day}日"


def official_datetime(moment: dt.datetime) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{official_date(local)} {local:%H:%M}"
