"""Role-aware navigation. Apps add their entries in AppConfig.ready() with ``register``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from govinfo.orgs import roles as org_roles


@dataclass(frozen=True)
class NavEntry:
    label: object
    url_name: str
    visible: Callable[[object], bool]
    order: int = 100
    match_prefix: str = ""


_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if all(existing.url_name != entry.url_name for existing in _ENTRIES):
        _ENTRIES.append(entry)


def for_user(user, path: str = "") -> list[dict]:
    items = []
    for entry in sorted(_ENTRIES, key=lambda e: e.order):
        if not entry.visible(user):
            continue
        url = reverse(entry.url_name)
        prefix = entry.match_prefix or url
        active = path == url if prefix == "/" else path.startswith(prefix)
        items.append({"label": entry.label, "url": url, "active": active})
    return items


def anyone(user) -> bool:
    return user.is_authenticated


def with_role(*wanted: str) -> Callable[[object], bool]:
    return lambda user: org_roles.has_role(user, *wanted)
