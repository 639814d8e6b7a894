"""The catalogue's exports: resources (every state, for those who may see them) and share requests."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govinfo.exports import registry
from govinfo.exports.registry import CHOICE, DATE, NUMBER, Column

from . import permissions
from .classification import Category
from .models import (
    OpenAttribute,
    Resource,
    ResourceFormat,
    Secrecy,
    ShareMethod,
    ShareRequest,
    ShareType,
    UpdateCycle,
)


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


@registry.register
class ResourceExporter(registry.Exporter):
    identifier = "catalogue-resources"
    verbose_name = _("信息资源目录")
    description = _("目录资源的分类、提供单位、共享与开放属性、状态、发布日期和信息项数。")
    filters = ("year", "unit", "state", "date_from", "date_to")
    date_field = "published_on"
    date_label = _("发布日期")
    ordering = ("code",)
    state_choices = tuple(Resource.State.choices)

    def base_queryset(self, user):
        if permissions.sees_all(user):
            return Resource.objects.all()
        return Resource.objects.filter(
            Q(state__in=[Resource.State.PUBLISHED, Resource.State.RETIRED])
            | Q(pk__in=permissions.maintained_resources(user).values("pk"))
        )

    def filter_year(self, qs, year):
        return qs.filter(published_on__year=year)

    def filter_unit(self, qs, unit):
        return qs.filter(provider=unit)

    def base_columns(self) -> list[Column]:
        return [
            Column("code", _("资源代码"), width=22),
            Column("name", _("资源名称"), width=36),
            Column("provider__name", _("资源提供方"), width=26),
            Column("category", _("信息资源分类"), kind=CHOICE, choices=Category.choices, width=12),
            Column("format", _("资源格式"), kind=CHOICE, choices=ResourceFormat.choices, width=12),
            Column("share_type", _("共享类型"), kind=CHOICE, choices=ShareType.choices, width=12),
            Column("share_condition", _("共享条件"), width=30),
            Column("share_method", _("共享方式"), kind=CHOICE, choices=ShareMethod.choices, width=16),
            Column("open_attribute", _("开放属性"), kind=CHOICE, choices=OpenAttribute.choices, width=12),
            Column("update_cycle", _("更新周期"), kind=CHOICE, choices=UpdateCycle.choices, width=10),
            Column("secrecy", _("涉密属性"), kind=CHOICE, choices=Secrecy.choices, width=10),
            Column("state", _("状态"), kind=CHOICE, choices=Resource.State.choices, width=10),
            Column("published_on", _("发布日期"), kind=DATE, width=14),
            Column("item_count", _("信息项数"), kind=NUMBER, expression=Count("items"), width=8),
        ]

    def link(self, row: dict) -> str | None:
        return reverse("catalogue:resource", args=[row["pk"]])


@registry.register
class ShareRequestExporter(registry.Exporter):
    identifier = "share-requests"
    verbose_name = _("共享申请")
    description = _("共享申请的资源、提供与申请单位、用途、状态、答复期限与答复（R-CAT-3）。")
    filters = ("year", "unit", "state", "date_from", "date_to")
    date_field = "created_at"
    date_label = _("申请日期")
    ordering = ("-created_at", "-pk")
    state_choices = tuple(ShareRequest.State.choices)

    def base_queryset(self, user):
        return permissions.visible_requests(user)

    def filter_year(self, qs, year):
        start, end = _year_bounds(year)
        return qs.filter(created_at__gte=start, created_at__lt=end)

    def filter_unit(self, qs, unit):
        return qs.filter(Q(requester=unit) | Q(resource__provider=unit))

    def base_columns(self) -> list[Column]:
        today = timezone.localdate()
        yes = str(_("是"))

        def overdue(value, row):
            late = row["state"] == ShareRequest.State.PENDING and value is not None and value < today
            return yes if late else ""

        return [
            Column("resource__code", _("资源代码"), width=22),
            Column("resource__name", _("资源名称"), width=32),
            Column("resource__provider__name", _("资源提供方"), width=24),
            Column("requester__name", _("申请单位"), width=24),
            Column("requested_by__full_name", _("申请人"), width=10),
            Column("purpose", _("用途"), width=40),
            Column("state", _("状态"), kind=CHOICE, choices=ShareRequest.State.choices, width=14),
            Column("created_at", _("申请日期"), kind=DATE, width=14),
            Column("due_date", _("答复期限"), kind=DATE, width=14),
            Column("due_date", _("已逾期"), render=overdue, width=8),
            Column("answered_at", _("答复日期"), kind=DATE, width=14),
            Column("answer", _("答复意见"), width=40),
        ]

    def link(self, row: dict) -> str | None:
        return reverse("catalogue:request", args=[row["pk"]])
