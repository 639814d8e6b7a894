"""The administrator's to-do: enter a year's official 放假安排 once a deadline falls into it (R-CAT-3)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo.home.todo import TodoItem
from govinfo.orgs.models import Role
from govinfo.orgs.roles import has_role

from . import deadlines
from .days import known_years

# Deadlines are counted a few weeks ahead (R-CAT-3: 10 working days); later rules reach into the year after.
HORIZON_YEARS = 3


def schedule_todos(user):
    if not has_role(user, Role.ADMIN):
        return []
    this_year = timezone.localdate().year
    known = known_years()
    missing = {year for year in range(this_year, this_year + HORIZON_YEARS) if year not in known}
    items = []
    for year, days in deadlines.open_deadlines_in(missing).items():
        items.append(
            TodoItem(
                title=_("录入%(year)d年节假日安排") % {"year": year},
                url=reverse("admin:workdays_calendarday_changelist"),
                category=_("工作日历"),
                due=days[0],
                provisional=True,
                detail=_(
                    "%(count)d项办理期限落在%(year)d年，目前按法定节假日推算、调休未计，显示为“暂定”。"
                    "国务院办公厅公布安排后，请录入放假和调休日期，并在“日历年度”中标记该年已完整录入。"
                )
                % {"count": len(days), "year": year},
            )
        )
    return items
