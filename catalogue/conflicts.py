"""一数一源: one authoritative source per data item (DOMAIN.md §5, R-CAT-1).

The same item — same normalised name and data type — published by two different providers is a
conflict; the catalogue shows it with both (all) sources so the Big-data centre can settle which
one is authoritative.

The keys in conflict are kept in ``ConflictKey`` (recounted, under a lock per key, whenever a published
item appears, changes or goes: ``recounting``), so the page reads a page of keys, not the catalogue.
"""

from __future__ import annotations

import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from .models import ConflictKey, DataItem, DataType, Resource


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


def _sources():
    """Items of published resources, by the provider kept on each (``DataItem.published_provider``)."""
    return DataItem.objects.filter(published_provider__isnull=False)


def conflict_keys():
    """(normalised name, data type) published by more than one provider; a queryset of dicts, pageable."""
    return ConflictKey.objects.values("normalized_name", "data_type", "providers", "sources")


# Advisory-lock namespace of the recount (the upper half of the 64-bit key): 0x1D, 一数一源.
_LOCK_SPACE = 0x1D << 32


def _match(keys) -> Q:
    match = Q()
    for name, data_type in keys:
        match |= Q(normalized_name=name, data_type=data_type)
    return match


@contextmanager
def recounting(keys):
    """Change published items of ``keys`` inside the block; their conflicts are recounted after it.

    Two resources publishing the same item at once would each count only their own source and miss the
    conflict: a transaction-scoped lock per key (PostgreSQL; SQLite writes one at a time) makes the
    second wait until the first has committed, and its count then sees both."""
    keys = sorted(set(keys))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            ids = sorted({_LOCK_SPACE | zlib.crc32(f"{name}\x00{kind}".encode()) for name, kind in keys})
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [ids])
        yield
        recount(keys)


def _counted(items):
    return (
        items.values("normalized_name", "data_type")
        .annotate(providers=Count("published_provider", distinct=True), sources=Count("pk"))
        .filter(providers__gt=1)
        .order_by()
    )


def recount(keys) -> None:
    """Write ``ConflictKey`` for ``keys`` from the published items: three queries for any number of keys."""
    match = _match(keys)
    rows = [ConflictKey(**row) for row in _counted(_sources().filter(match))]
    ConflictKey.objects.filter(match).delete()
    ConflictKey.objects.bulk_create(rows)


def item_deleted(sender, instance, **kwargs) -> None:
    """A published item deleted (in the admin, or with its resource): its key is recounted."""
    if instance.published_provider_id is not None:
        with recounting([(instance.normalized_name, instance.data_type)]):
            pass


def rebuild(item_model=DataItem, key_model=ConflictKey) -> int:
    """Every key in conflict counted afresh (a migration passes its historical models; the scale bench
    calls it after writing items with COPY). Returns the number of keys in conflict."""
    counted = _counted(item_model.objects.filter(published_provider__isnull=False))
    key_model.objects.all().delete()
    return len(
        key_model.objects.bulk_create([key_model(**row) for row in counted.iterator()], batch_size=2000)
    )


def conflicts_for_keys(keys, *, per_key: int | None = None) -> list[ItemConflict]:
    """The sources of each key, by provider; with ``per_key``, the first that many of each (the rest
    counted in ``more``), so an item fifty units publish costs one line.

    Two queries for the whole page of keys: the items are ranked on the item index alone (a widely
    published item has hundreds), and only the ranked few are read with their resource and provider."""
    keys = [(key["normalized_name"], key["data_type"]) for key in keys]
    if not keys:
        return []
    order = [F("published_provider__name").asc(), F("pk").asc()]
    ranked = _sources().filter(_match(keys))
    totals: dict[int, int] = {}
    if per_key is not None:
        same_key = [F("normalized_name"), F("data_type")]
        ranked = ranked.annotate(
            rank=Window(RowNumber(), partition_by=same_key, order_by=order),
            total=Window(Count("pk"), partition_by=same_key),
        ).filter(rank__lte=per_key)
        totals = dict(ranked.values_list("pk", "total"))
        ranked = DataItem.objects.filter(pk__in=list(totals))
    grouped: dict[tuple[str, str], list[Source]] = {key: [] for key in keys}
    more: dict[tuple[str, str], int] = {}
    for item in ranked.select_related("resource__provider").order_by(*order):
        key = (item.normalized_name, item.data_type)
        grouped[key].append(_source(item))
        more[key] = max(0, totals.get(item.pk, 0) - per_key) if per_key is not None else 0
    return [
        ItemConflict(name, data_type, tuple(grouped[(name, data_type)]), more=more.get((name, data_type), 0))
        for name, data_type in keys
    ]


def conflicts_for_resource(resource: Resource) -> list[ItemConflict]:
    """The resource's items that another provider already publishes (whatever this resource's state)."""
    own = list(resource.items.values_list("normalized_name", "data_type"))
    if not own:
        return []
    others = (
        _sources()
        .filter(_match(own))
        .exclude(published_provider_id=resource.provider_id)
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
