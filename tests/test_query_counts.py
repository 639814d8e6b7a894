"""Every list page of every role makes the same number of queries at 50 and at 500 projects.

The home page is a to-do list of every kind of work the role has, and a kind reads its details (its
deadlines, reports filed, trial starts) only when it has rows, as ``prefetch_related`` does: at 50
projects a unit has no case in construction yet. Home pages are compared at 500 and at 1 000 projects,
when every kind has rows.

The data is bench/scale.py's (bench/scale_data.py: units, agencies, experts, grants as the services make
them, review rounds, tasks, opinions, documents, catalogue resources), built in bulk once, by the first
test, and rolled back with its transaction. Timings live in bench/scale.py, never here.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import scale, scale_data

# (role, page) of bench/scale.py's pages that list things; the project page is a page of one case.
PAGES = [(role, page) for role, page, *_rest in scale.PAGE_URLS]


def _counts(who: dict) -> dict[tuple[str, str], int]:
    counts = {}
    clients: dict[str, Client] = {}
    for role, page, url in scale.urls(who):
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(who[role])
        clients[role].get(url)  # warm: sessions, caches
        with CaptureQueriesContext(connection) as captured:
            response = clients[role].get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        assert response.status_code == 200, (role, page, response.status_code)
        counts[(role, page)] = len(captured)
    return counts


_MEASURED: dict[tuple[str, str], tuple[int, int]] = {}


@pytest.fixture
def query_counts(db):
    """Query counts of every page at each of ``SIZES`` projects: {size: {(role, page): count}}.

    Measured once, by the first test that asks (its transaction holds the data and rolls it back)."""
    if not _MEASURED:
        for size in SIZES:
            scale_data.grow(size, log=lambda line: None, audit=False)
            _MEASURED[size] = _counts(scale.users())
    return _MEASURED


SIZES = (50, 500, 1000)


@pytest.mark.parametrize(("role", "page"), PAGES, ids=[f"{role}-{page}" for role, page in PAGES])
def test_the_page_makes_as_many_queries_with_ten_times_the_projects(query_counts, role, page):
    small, large = (500, 1000) if page == "home" else (50, 500)
    counts = (query_counts[small][(role, page)], query_counts[large][(role, page)])
    assert counts[0] == counts[1], (
        f"{role} {page}: {counts[0]} queries at {small} projects, {counts[1]} at {large}"
    )
