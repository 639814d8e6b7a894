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
    """(normalised name, data type) published by more than one provider, with the counts and the first
    sources to list; a queryset of dicts, pageable."""
    return ConflictKey.objects.values("normalized_name", "data_type", "providers", "sources", "first_sources")


# The conflicts page lists this many sources of an item, by provider; the rest are counted.
SOURCES_SHOWN = 10
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


def _first_sources(items) -> dict[tuple[str, str], list[int]]:
    """The first ``SOURCES_SHOWN`` item ids of each key among ``items``, by provider, then by item."""
    same_key = [F("normalized_name"), F("data_type")]
    order = [F("published_provider__name").asc(), F("pk").asc()]
    ranked = items.annotate(rank=Window(RowNumber(), partition_by=same_key, order_by=order)).filter(
        rank__lte=SOURCES_SHOWN
    )
    first: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for name, data_type, rank, pk in ranked.values_list("normalized_name", "data_type", "rank", "pk"):
        first.setdefault((name, data_type), []).append((rank, pk))
    return {key: [pk for _rank, pk in sorted(ranked_ids)] for key, ranked_ids in first.items()}


def _key_rows(items, key_model, *, narrow: bool = True) -> list:
    """``key_model`` rows for the keys of ``items`` that are in conflict; ``narrow`` ranks the sources of
    those keys only (a resource's few keys), else of every item (the whole catalogue: SQLite refuses an OR
    of more than a thousand terms)."""
    counted = list(_counted(items))
    keys = [(row["normalized_name"], row["data_type"]) for row in counted]
    if not keys:
        return []
    first = _first_sources(items.filter(_match(keys)) if narrow else items)
    return [
        key_model(**row, first_sources=first.get(key, [])) for row, key in zip(counted, keys, strict=True)
    ]


def recount(keys) -> None:
    """Write ``ConflictKey`` for ``keys`` from the published items (four queries per hundred keys): the
    counts, and the first sources by provider, which the conflicts page then reads as they are."""
    for chunk in _chunks(keys):
        match = _match(chunk)
        rows = _key_rows(_sources().filter(match), ConflictKey)
        ConflictKey.objects.filter(match).delete()
        ConflictKey.objects.bulk_create(rows)


def _chunks(keys, size: int = 100):
    """``keys`` a hundred at a time: SQLite refuses an OR of more than a thousand terms, and a resource
    may hold more items than that."""
    keys = list(keys)
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def item_deleted(sender, instance, **kwargs) -> None:
    """A published item deleted (in the admin, or with its resource): its key is recounted."""
    if instance.published_provider_id is not None:
        with recounting([(instance.normalized_name, instance.data_type)]):
            pass


def rebuild(item_model=DataItem, key_model=ConflictKey) -> int:
    """Every key in conflict counted afresh (a migration passes its historical models; the scale bench
    calls it after writing items with COPY). Returns the number of keys in conflict."""
    rows = _key_rows(item_model.objects.filter(published_provider__isnull=False), key_model, narrow=False)
    key_model.objects.all().delete()
    return len(key_model.objects.bulk_create(rows, batch_size=2000))


def conflicts_for_keys(keys) -> list[ItemConflict]:
    """A page of keys (``conflict_keys()``) with their first sources, read by the ids the recount kept:
    one query for the page, however many sources an item has; the rest are counted in ``more``."""
    keys = list(keys)
    ids = [pk for key in keys for pk in key["first_sources"]]
    items = DataItem.objects.filter(pk__in=ids).select_related("resource__provider")
    found = {item.pk: _source(item) for item in items}
    conflicts = []
    for key in keys:
        sources = tuple(found[pk] for pk in key["first_sources"] if pk in found)
        more = max(0, key["sources"] - len(sources))
        conflicts.append(ItemConflict(key["normalized_name"], key["data_type"], sources, more=more))
    return conflicts


def conflicts_for_resource(resource: Resource) -> list[ItemConflict]:
    """The resource's items that another provider already publishes (whatever this resource's state)."""
    own = list(resource.items.values_list("normalized_name", "data_type"))
    if not own:
        return []
    grouped: dict[tuple[str, str], list[Source]] = {}
    for chunk in _chunks(own):
        others = (
            _sources()
            .filter(_match(chunk))
            .exclude(published_provider_id=resource.provider_id)
            .select_related("resource__provider")
            .order_by("resource__code")
        )
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
