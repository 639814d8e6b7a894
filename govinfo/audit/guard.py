"""What the database needs to refuse changes to the trail, and the one door tests use to empty it.

On SQLite the trail's DELETE trigger asks ``govinfo_audit_erasable()``, a function every connection of
this application registers (``connection_created``). It answers no — unless ``erasing()`` is active,
which only the test suite's database flush uses. A connection that is not the application's (the
``sqlite3`` shell, another program) has no such function, so its DELETE fails too.

PostgreSQL needs no function: row triggers refuse UPDATE and DELETE for everyone, TRUNCATE and
``ALTER TABLE … DISABLE TRIGGER`` are refused to the application's role by privileges (it owns
nothing; ``manage.py grant_app_role``), and only the owner role that runs migrations could flush.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.signals import connection_created
from django.dispatch import receiver

SQLITE_FUNCTION = "govinfo_audit_erasable"
_erasing = 0


@contextmanager
def erasing() -> Iterator[None]:
    """Let DELETE through the trail's triggers for the duration (the test runner's flush only)."""
    global _erasing
    _erasing += 1
    try:
        yield
    finally:
        _erasing -= 1


def _erasable() -> int:
    return 1 if _erasing else 0


@receiver(connection_created)
def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, _erasable)
