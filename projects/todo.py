"""The applicant's to-do items: applications returned for revision, and drafts not yet submitted."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from govinfo.home.todo import TodoItem
from govinfo.orgs import roles

from .models import Project, State

MAX_ITEMS = 20


def applicant_todo(user):
    units = roles.units_of(user)
    if not units:
        return []
    rows = (
        Project.objects.filter(lead_unit__in=units, state__in=[State.RETURNED, State.DRAFT])
        .only("pk", "name", "state", "last_return_reason")
        .order_by("state", "-updated_at")[:MAX_ITEMS]
    )
    items = []
    for project in rows:
        url = reverse("projects:detail", args=[project.pk])
        if project.state == State.RETURNED:
            items.append(
                TodoItem(
                    title=_("退回修改：%(name)s") % {"name": project.name},
                    url=url,
                    category=_("项目申报"),
                    detail=project.last_return_reason[:80],
                )
            )
        else:
            items.append(
                TodoItem(
                    title=_("待提交申报：%(name)s") % {"name": project.name}, url=url, category=_("项目申报")
                )
            )
    return items
