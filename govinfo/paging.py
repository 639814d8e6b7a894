"""Pages that cost what they show: fetch one row more than the page to learn whether a next page exists.

Django's ``Paginator`` counts every row of the list (``COUNT(*)``) to print "page 3 of 4 213" — at 100 000
visible cases that count costs more than the page. A list of cases, tasks or resources needs only
previous / next, so ``page_of`` reads ``size + 1`` rows at the offset and counts nothing. The object it
returns answers the same template questions as Django's ``Page`` (``object_list``, ``number``,
``has_next``, ``has_previous``, ``has_other_pages``, ``next_page_number``, ``previous_page_number``,
``start_index``), without ``paginator.count`` / ``num_pages``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Deep pages still cost their offset; nobody reads page 500 of a list, and a bound keeps a crafted
# ?page=10000000 from walking the whole table.
MAX_PAGE = 500


@dataclass
class UncountedPage:
    object_list: Sequence
    number: int
    has_next: bool
    size: int

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.object_list else 0


def page_number(value) -> int:
    """The requested page: a positive integer up to ``MAX_PAGE``; anything else is page 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_of(queryset, page, size: int) -> UncountedPage:
    """Page ``page`` (a request value; bad ones mean page 1) of ``queryset``, ``size`` rows, uncounted.

    A page past the end shows the last rows there are not — it is empty, and the template offers the way
    back (``has_previous``) — so no query counts how far the end is."""
    number = page_number(page)
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return UncountedPage(object_list=rows[:size], number=number, has_next=len(rows) > size, size=size)
