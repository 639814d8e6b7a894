"""What the catalogue puts on people's to-do lists (home page) and who sees its menu entries."""

from __future__ import annotations

from django.urls import reverse

from govinfo.home.todo import TodoItem

from . import permissions
from .models import Feedback, Resource, ShareRequest


def is_applicant(user) -> bool:
    return permissions.is_applicant(user)


def is_bigdata(user) -> bool:
    return permissions.is_bigdata(user)


def provider_todos(user):
    """Share requests and feedback waiting for the provider's answer; overdue ones show as such (R-CAT-3)."""
    if not user.is_authenticated:
        return []
    mine = permissions.maintained_resources(user).values("pk")
    items = []
    requests = (
        ShareRequest.objects.pending()
        .filter(resource__in=mine)
        .select_related("resource", "requester")
        .order_by("due_date")
    )
    for req in requests:
        items.append(
            TodoItem(
                title=f"答复共享申请：{req.resource.name}",
                url=reverse("catalogue:request", args=[req.pk]),
                category="共享申请",
                due=req.due_date,
                detail=f"申请单位：{req.requester.name}" + ("（已逾期，R-CAT-3）" if req.is_overdue else ""),
            )
        )
    feedback = (
        Feedback.objects.open()
        .filter(resource__in=mine)
        .select_related("resource", "reporter")
        .order_by("due_date")
    )
    for fb in feedback:
        items.append(
            TodoItem(
                title=f"答复{fb.get_kind_display()}：{fb.resource.name}",
                url=reverse("catalogue:feedback", args=[fb.pk]),
                category="数据异议",
                due=fb.due_date,
                detail=f"提出单位：{fb.reporter.name}",
            )
        )
    returned = (
        permissions.maintained_resources(user).filter(state=Resource.State.DRAFT).exclude(return_reason="")
    )
    for resource in returned:
        items.append(
            TodoItem(
                title=f"修改被退回的目录资源：{resource.name}",
                url=reverse("catalogue:resource", args=[resource.pk]),
                category="信息资源目录",
                detail=f"退回意见：{resource.return_reason}",
            )
        )
    return items


def bigdata_todos(user):
    """For the Big-data centre: resources waiting for publication, and open objections to watch."""
    if not permissions.is_bigdata(user):
        return []
    items = [
        TodoItem(
            title=f"审核发布目录资源：{resource.name}",
            url=reverse("catalogue:resource", args=[resource.pk]),
            category="目录发布",
            detail=f"提供单位：{resource.provider.name}",
        )
        for resource in Resource.objects.filter(state=Resource.State.SUBMITTED).select_related("provider")
    ]
    open_objections = (
        Feedback.objects.open()
        .filter(kind__in=[Feedback.Kind.ERROR, Feedback.Kind.OBJECTION])
        # Objections to the centre's own resources are already on the list to answer (provider_todos).
        .exclude(resource__in=permissions.maintained_resources(user).values("pk"))
        .select_related("resource__provider", "reporter")
        .order_by("due_date")
    )
    items += [
        TodoItem(
            title=f"关注未答复的{fb.get_kind_display()}：{fb.resource.name}",
            url=reverse("catalogue:feedback", args=[fb.pk]),
            category="数据异议",
            due=fb.due_date,
            detail=f"{fb.reporter.name} → {fb.resource.provider.name}",
        )
        for fb in open_objections
    ]
    return items
