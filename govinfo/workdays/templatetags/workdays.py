"""``{% provisional_mark due start %}``: “（暂定）” after a deadline counted through a year whose 调休 arrangement
is not entered yet (govinfo.workdays.days). Asks the database once per rendered page, however many rows."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from govinfo.workdays.days import is_provisional, known_years

register = template.Library()

_KNOWN = "govinfo_workdays_known_years"


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value if isinstance(value, dt.date) else None


@register.simple_tag(takes_context=True)
def provisional_mark(context, due, start=None):
    """Nothing for a firm deadline; otherwise a “（暂定）” tag explaining why. ``start``: when the count began
    (default: today)."""
    due = _as_date(due)
    if due is None:
        return ""
    start = _as_date(start) or timezone.localdate()
    known = context.render_context.get(_KNOWN)
    if known is None:
        known = context.render_context[_KNOWN] = known_years()
    if not is_provisional(start, due, known):
        return ""
    return format_html(
        '<span class="provisional" data-testid="provisional" title="{}">{}</span>',
        _("该年度国务院办公厅放假安排尚未录入：已扣除法定节假日，调休未计，期限可能调整。"),
        _("（暂定）"),
    )
