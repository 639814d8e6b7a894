"""The to-do list on the home page. Each app contributes what its users must act on.

An app registers a provider in its AppConfig.ready(): a function taking the user and returning
TodoItems. The platform never imports the apps, so the arrows of ARCHITECTURE.md hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    category: str
    due: dt.date | None = None
    detail: str = ""
    # The due date was counted through a year whose 调休 arrangement is not entered yet (govinfo.workdays).
    provisional: bool = False

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


Provider = Callable[[object], Iterable[TodoItem]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def items_for(user) -> list[TodoItem]:
    items = [item for provider in _PROVIDERS for item in provider(user)]
    # Overdue first, then by due date; undated items last.
    return sorted(items, key=lambda item: (item.due is None, item.due or dt.date.max, item.title))
