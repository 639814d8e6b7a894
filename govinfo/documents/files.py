"""Files stored inside a transaction: no orphan file ever carries a live number.

The problem. A 公文 is rendered and stored while its 发文字号 is locked, inside the caller's
transaction (the opinion it signs, the round it closes). The database rolls back when anything after
the store fails — even after ``issue_document`` has returned, e.g. when the caller's own audit write
raises — but file storage is not transactional: the PDF would stay, printed with a number that the
next issue then uses for real. Two genuine-looking documents with one number is exactly what a
发文字号 must prevent.

The choice: **store before commit, delete what did not commit**. Storing only after commit was
rejected: a crash between the commit and the write leaves a live number with no file at all, and
the file cannot be produced again byte for byte (its SHA-256 is on record), so the official record
itself would be broken. A file without a row is harmless once it is deleted, and it can be recognised
at any time — no row names it.

How:

- ``track(fieldfile)``: called right after a file is stored. The file is *pending* on this database
  connection, and a ``transaction.on_commit`` callback confirms it when the transaction commits.
- ``atomic_with_files(using=None)``: ``transaction.atomic`` (context manager or decorator) that also
  cleans up. When its block exits with an exception, the files stored inside it are deleted — their
  rows went with the savepoint or the transaction. When the outermost block has ended, every file
  still unconfirmed is deleted unless a committed row names it: that last check asks the database,
  so the file of a committed document is never deleted, even if an earlier ``on_commit`` callback
  raised and the confirmation never ran. Services that issue documents use it instead of
  ``transaction.atomic``; ``issue_document`` uses it for its own block.
- ``PendingFilesMiddleware``: the safety net for callers that still use plain ``transaction.atomic``
  (Django has no on-rollback hook): at the end of every request, outside any transaction, the same
  clean-up runs.
- ``sweep_orphans`` (``manage.py sweep_document_files``): the last line, for a process killed between
  storing a file and committing its row — files under ``documents/`` that no row names and that are
  older than any transaction could be.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

logger = logging.getLogger(__name__)

_PENDING_ATTRIBUTE = "_govinfo_pending_files"


@dataclass(eq=False)
class PendingFile:
    """A file stored inside a transaction that has not committed yet."""

    storage: Storage
    name: str
    using: str
    committed: Callable[[], bool]  # does a committed row name this file? (asked outside any transaction)


def _pending(using: str) -> list[PendingFile]:
    # Kept on the connection object: it is per thread (and per async context) exactly as the transaction is.
    connection = connections[using]
    pending = connection.__dict__.get(_PENDING_ATTRIBUTE)
    if pending is None:
        pending = connection.__dict__[_PENDING_ATTRIBUTE] = []
    return pending


def pending_files(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Names of the files stored on this connection whose transaction has not committed (for tests)."""
    return [entry.name for entry in _pending(using)]


def track(fieldfile: FieldFile, using: str = DEFAULT_DB_ALIAS) -> None:
    """Register a file just stored for ``fieldfile.instance``; it is confirmed when the row commits."""
    model = type(fieldfile.instance)
    field_name = fieldfile.field.name
    name = fieldfile.name

    def committed() -> bool:
        return model._default_manager.using(using).filter(**{field_name: name}).exists()

    entry = PendingFile(fieldfile.storage, name, using, committed)
    _pending(using).append(entry)
    transaction.on_commit(lambda: _forget(entry), using=using)


def _forget(entry: PendingFile) -> None:
    pending = _pending(entry.using)
    if entry in pending:
        pending.remove(entry)


def _delete(entry: PendingFile) -> None:
    _forget(entry)
    try:
        entry.storage.delete(entry.name)
    except Exception:  # the row is gone either way; the sweep removes the file later
        logger.exception("could not delete the orphan file %s", entry.name)
    else:
        logger.info("deleted %s: its transaction did not commit", entry.name)


def discard_uncommitted(using: str | None = None) -> None:
    """Delete the pending files whose rows did not commit. Does nothing inside a transaction."""
    aliases = (
        [using] if using else [connection.alias for connection in connections.all(initialized_only=True)]
    )
    for alias in aliases:
        if connections[alias].in_atomic_block:
            continue
        for entry in list(_pending(alias)):
            if entry.committed():
                _forget(entry)  # committed although the confirmation did not run (a hook before it raised)
            else:
                _delete(entry)


@contextlib.contextmanager
def _atomic_with_files(using: str | None, savepoint: bool, durable: bool):
    alias = using or DEFAULT_DB_ALIAS
    before = set(_pending(alias))
    try:
        with transaction.atomic(using=alias, savepoint=savepoint, durable=durable):
            yield
    except BaseException:
        if connections[alias].in_atomic_block:
            # This block's savepoint (or the whole transaction, later) is rolled back: its rows are gone.
            for entry in [entry for entry in _pending(alias) if entry not in before]:
                _delete(entry)
        raise
    finally:
        # The outermost block has ended (committed, or rolled back, or failed while committing).
        discard_uncommitted(alias)


def atomic_with_files(using=None, savepoint: bool = True, durable: bool = False):
    """``transaction.atomic`` that deletes the tracked files of rows that did not commit.

    Use as ``with atomic_with_files():`` or as a decorator, with or without parentheses.
    """
    if callable(using):
        return _atomic_with_files(DEFAULT_DB_ALIAS, savepoint, durable)(using)
    return _atomic_with_files(using, savepoint, durable)


class PendingFilesMiddleware:
    """At the end of every request, delete the files stored by transactions that rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            discard_uncommitted()


def sweep_orphans(
    storage: Storage, folder: str, referenced: Callable[[list[str]], set[str]], older_than: dt.timedelta
) -> list[str]:
    """Delete files under ``folder`` that no row names (``referenced`` says which do) and are old enough.

    A file younger than ``older_than`` may belong to a transaction still running; it is left alone.
    """
    if not storage.exists(folder):
        return []
    cutoff = timezone.now() - older_than
    names = list(_walk(storage, folder))
    deleted = []
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        known = referenced(chunk)
        for name in chunk:
            if name not in known and storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                deleted.append(name)
    return deleted


def _walk(storage: Storage, folder: str):
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}"
    for directory in sorted(directories):
        yield from _walk(storage, f"{folder}/{directory}")
