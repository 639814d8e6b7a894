"""一数一源: one authoritative source per data item (DOMAIN.md §5, R-CAT-1).

The same item — same normalised name and data type — published by two different providers is a
conflict; the catalogue shows it with both (all) sources so the Big-data centre can settle which
one is authoritative.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from .models import DataItem, DataType, Resource


@dataclass(frozen=True)
class Source:
    item_id: int
    item_name: str
    resource_id: int
    resource_name: str
    resource_code: str
    provider_name: str


@dataclass(frozen=True)
class ItemConflict:
    normalized_name: str
    data_type: str
    sources: tuple[Source, ...]
    # Sources not listed (the conflicts page lists the first few of a widely duplicated item).
    more: int = 0

    @property
    def label(self) -> str:
        return _("%(item)s（%(type)s）") % {
            "item": self.sources[0].item_name,
            "type": DataType(self.data_type).label,
        }

    @property
    def providers(self) -> list[str]:
        return sorted({source.provider_name for source in self.sources})


def conflict_keys():
    """(normalised name, data type) published by more than one provider; a queryset of dicts, pageable."""
    return (
        DataItem.objects.published()
        .values("normalized_name", "data_type")
        .annotate(providers=Count("resource__provider", distinct=True))
        .filter(providers__gt=1)
        .order_by("normalized_name", "data_type")
    )


def conflicts_for_keys(keys, *, per_key: int | None = None) -> list[ItemConflict]:
    """The sources of each key, in one query for the whole page of keys; with ``per_key``, the first
    that many of each (the rest counted in ``more``), so an item fifty units publish costs one line."""
    keys = [(key["normalized_name"], key["data_type"]) for key in keys]
    if not keys:
        return []
    match = Q()
    for name, data_type in keys:
        match |= Q(normalized_name=name, data_type=data_type)
    items = DataItem.objects.published().filter(match).select_related("resource__provider")
    order = [F("resource__provider__name").asc(), F("resource__code").asc()]
    if per_key is not None:
        same_key = [F("normalized_name"), F("data_type")]
        items = items.annotate(
            rank=Window(RowNumber(), partition_by=same_key, order_by=order),
            total=Window(Count("pk"), partition_by=same_key),
        ).filter(rank__lte=per_key)
    grouped: dict[tuple[str, str], list[Source]] = {key: [] for key in keys}
    totals: dict[tuple[str, str], int] = {}
    for item in items.order_by(*order):
        grouped[(item.normalized_name, item.data_type)].append(_source(item))
        totals[(item.normalized_name, item.data_type)] = getattr(item, "total", 0)
    return [
        ItemConflict(
            name,
            data_type,
            tuple(grouped[(name, data_type)]),
            more=max(0, totals.get((name, data_type), 0) - len(grouped[(name, data_type)])),
        )
        for name, data_type in keys
    ]


def conflicts_for_resource(resource: Resource) -> list[ItemConflict]:
    """The resource's items that another provider already publishes (whatever this resource's state)."""
    own = list(resource.items.values_list("normalized_name", "data_type"))
    if not own:
        return []
    match = Q()
    for name, data_type in own:
        match |= Q(normalized_name=name, data_type=data_type)
    others = (
        DataItem.objects.published()
        .filter(match)
        .exclude(resource__provider_id=resource.provider_id)
        .select_related("resource__provider")
        .order_by("resource__code")
    )
    grouped: dict[tuple[str, str], list[Source]] = {}
    for item in others:
        grouped.setdefault((item.normalized_name, item.data_type), []).append(_source(item))
    if not grouped:
        return []
    mine = {
        (item.normalized_name, item.data_type): item
        for item in resource.items.select_related("resource__provider")
    }
    return [
        ItemConflict(key[0], key[1], (_source(mine[key]), *sources))
        for key, sources in sorted(grouped.items())
    ]


def _source(item: DataItem) -> Source:
    return Source(
        item_id=item.pk,
        item_name=item.name,
        resource_id=item.resource_id,
        resource_name=item.resource.name,
        resource_code=item.resource.code,
        provider_name=item.resource.provider.name,
    )
