"""发文字号: one gapless sequence per issuing agency and year (R-REV-6).

The counter row is locked with ``select_for_update`` and incremented inside the caller's transaction,
the same one that creates the document. If that transaction rolls back, so does the increment: a
number is used exactly when a document carrying it exists. Concurrent issues wait for the lock
(PostgreSQL row lock; SQLite serialises writers with ``transaction_mode=IMMEDIATE``).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from govinfo.orgs.models import Agency

from .models import DocumentCounter


def format_doc_number(prefix: str, year: int, number: int) -> str:
    """``川发改审〔2026〕12号``: 六角括号, the full year, no 第, no leading zero (GB/T 9704-2012 7.2.4)."""
    if number < 1:
        raise ValueError("发文字号序号从 1 开始")
    return f"{prefix}〔{int(year)}〕{int(number)}号"


def next_number(agency: Agency, year: int) -> int:
    """Take the next number of ``agency`` in ``year``. Must run inside ``transaction.atomic()``."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that creates the document")
    counter = _locked_counter(agency, year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _locked_counter(agency: Agency, year: int) -> DocumentCounter:
    counter = DocumentCounter.objects.select_for_update().filter(agency=agency, year=year).first()
    if counter is not None:
        return counter
    # First document of the year: two issuers may race to create the row. The loser's insert fails on
    # the unique constraint inside its own savepoint; it then waits for the winner's lock like everyone.
    try:
        with transaction.atomic():
            DocumentCounter.objects.create(agency=agency, year=year, last_number=0)
    except IntegrityError:
        pass
    return DocumentCounter.objects.select_for_update().get(agency=agency, year=year)
