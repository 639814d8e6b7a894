"""The to-do list on the home page. Each app contributes what its users must act on.

An app registers a provider in its AppConfig.ready(): a function taking the user and returning
TodoItems. The platform never imports the apps, so the arrows of ARCHITECTURE.md hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    category: str
    due: dt.date | None = None
    detail: str = ""
    # The due date was counted through a year whose 调休 arrangement is not entered yet (govinfo.workdays).
    provisional: bool = False
    # "And N more" (see ``more``): listed after the items of its kind.
    is_more: bool = False

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


# A list on the to-do page shows this many items of one kind; the rest are one "and N more" item.
SHOWN = 20
# "And N more" counts up to here (an index walk of at most this many rows), then says "more than".
COUNT_CAP = 100


def more(queryset, *, shown: int = SHOWN, what, url: str, category) -> list[TodoItem]:
    """One item "另有 N 项……" linking to the full list, when ``queryset`` has more than the ``shown`` rows
    the caller listed.

    The count is capped (``COUNT_CAP``): the to-do page costs what it shows, not what the province has.
    It is asked even of a short list — one small query — so that a page makes the same queries whatever
    its lists hold (tests/test_query_counts.py)."""
    total = queryset.order_by()[: COUNT_CAP + 1].count()
    if total <= shown:
        return []
    rest = total - shown
    if total > COUNT_CAP:
        title = _("另有 %(n)s 项以上%(what)s，查看全部") % {"n": COUNT_CAP - shown, "what": what}
    else:
        title = _("另有 %(n)s 项%(what)s，查看全部") % {"n": rest, "what": what}
    return [TodoItem(title=title, url=url, category=category, is_more=True)]


Provider = Callable[[object], Iterable[TodoItem]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def items_for(user) -> list[TodoItem]:
    items = [item for provider in _PROVIDERS for item in provider(user)]
    # Overdue first, then by due date; undated items last.
    return sorted(
        items, key=lambda item: (item.is_more, item.due is None, item.due or dt.date.max, item.title)
    )
