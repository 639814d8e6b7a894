"""What the catalogue puts on people's to-do lists (home page) and who sees its menu entries."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo.home import todo
from govinfo.home.todo import TodoItem
from govinfo.workdays.days import is_provisional, known_years

from . import permissions
from .models import Feedback, Resource, ShareRequest


def is_applicant(user) -> bool:
    return permissions.is_applicant(user)


def is_bigdata(user) -> bool:
    return permissions.is_bigdata(user)


def _provisional(row, known) -> bool:
    """R-CAT-3: the answer deadline was counted through a year whose 调休 arrangement is not entered yet."""
    return row.due_date is not None and is_provisional(
        timezone.localdate(row.created_at), row.due_date, known
    )


def open_deadlines(years):
    """For govinfo.workdays.deadlines: pending share requests' and open feedback's answer deadlines."""
    requests = (
        ShareRequest.objects.pending().filter(due_date__year__in=years).values_list("due_date", flat=True)
    )
    feedback = Feedback.objects.open().filter(due_date__year__in=years).values_list("due_date", flat=True)
    return [*requests, *feedback]


def provider_todos(user):
    """Share requests and feedback waiting for the provider's answer; overdue ones show as such (R-CAT-3)."""
    if not user.is_authenticated:
        return []
    mine = permissions.maintained_resources(user).values("pk")
    if not mine.exists():
        return []  # most people maintain no resource: one small query instead of four
    known = known_years()
    items = []
    requests = (
        ShareRequest.objects.pending()
        .filter(resource__in=mine)
        .select_related("resource", "requester")
        .order_by("due_date")
    )
    listed_requests = list(requests[: todo.SHOWN])
    for req in listed_requests:
        items.append(
            TodoItem(
                title=_("答复共享申请：%(resource)s") % {"resource": req.resource.name},
                url=reverse("catalogue:request", args=[req.pk]),
                category=_("共享申请"),
                due=req.due_date,
                provisional=_provisional(req, known),
                detail=(
                    _("申请单位：%(unit)s（已逾期，R-CAT-3）") if req.is_overdue else _("申请单位：%(unit)s")
                )
                % {"unit": req.requester.name},
            )
        )
    items += todo.more(
        requests,
        what=_("待答复的共享申请"),
        url=reverse("catalogue:mine"),
        category=_("共享申请"),
    )
    feedback = (
        Feedback.objects.open()
        .filter(resource__in=mine)
        .select_related("resource", "reporter")
        .order_by("due_date")
    )
    listed_feedback = list(feedback[: todo.SHOWN])
    for fb in listed_feedback:
        items.append(
            TodoItem(
                title=_("答复%(kind)s：%(resource)s")
                % {"kind": fb.get_kind_display(), "resource": fb.resource.name},
                url=reverse("catalogue:feedback", args=[fb.pk]),
                category=_("数据异议"),
                due=fb.due_date,
                provisional=_provisional(fb, known),
                detail=_("提出单位：%(unit)s") % {"unit": fb.reporter.name},
            )
        )
    returned = (
        permissions.maintained_resources(user).filter(state=Resource.State.DRAFT).exclude(return_reason="")
    )
    items += todo.more(
        feedback,
        what=_("待答复的数据异议"),
        url=reverse("catalogue:mine"),
        category=_("数据异议"),
    )
    listed_returned = list(returned.order_by("updated_at", "id")[: todo.SHOWN])
    for resource in listed_returned:
        items.append(
            TodoItem(
                title=_("修改被退回的目录资源：%(resource)s") % {"resource": resource.name},
                url=reverse("catalogue:resource", args=[resource.pk]),
                category=_("信息资源目录"),
                detail=_("退回意见：%(reason)s") % {"reason": resource.return_reason},
            )
        )
    items += todo.more(
        returned,
        what=_("被退回的目录资源"),
        url=reverse("catalogue:mine"),
        category=_("信息资源目录"),
    )
    return items


def bigdata_todos(user):
    """For the Big-data centre: resources waiting for publication, and open objections to watch."""
    if not permissions.is_bigdata(user):
        return []
    waiting = Resource.objects.filter(state=Resource.State.SUBMITTED)
    listed_waiting = list(waiting.select_related("provider").order_by("updated_at", "id")[: todo.SHOWN])
    items = [
        TodoItem(
            title=_("审核发布目录资源：%(resource)s") % {"resource": resource.name},
            url=reverse("catalogue:resource", args=[resource.pk]),
            category=_("目录发布"),
            detail=_("提供单位：%(unit)s") % {"unit": resource.provider.name},
        )
        for resource in listed_waiting
    ]
    items += todo.more(
        waiting,
        what=_("待发布的目录资源"),
        url=reverse("catalogue:queue"),
        category=_("目录发布"),
    )
    known = known_years()
    open_objections = (
        Feedback.objects.open()
        .filter(kind__in=[Feedback.Kind.ERROR, Feedback.Kind.OBJECTION])
        # Objections to the centre's own resources are already on the list to answer (provider_todos).
        .exclude(resource__in=permissions.maintained_resources(user).values("pk"))
        .select_related("resource__provider", "reporter")
        .order_by("due_date")
    )
    listed_objections = list(open_objections[: todo.SHOWN])
    items += [
        TodoItem(
            title=_("关注未答复的%(kind)s：%(resource)s")
            % {"kind": fb.get_kind_display(), "resource": fb.resource.name},
            url=reverse("catalogue:feedback", args=[fb.pk]),
            category=_("数据异议"),
            due=fb.due_date,
            provisional=_provisional(fb, known),
            detail=f"{fb.reporter.name} → {fb.resource.provider.name}",
        )
        for fb in listed_objections
    ]
    items += todo.more(
        open_objections,
        what=_("未答复的数据异议"),
        url=reverse("catalogue:queue"),
        category=_("数据异议"),
    )
    return items
