"""Rendering a 公文 while no write lock is held.

The problem. A document is numbered, rendered and stored inside the transaction of the step that issues
it (signing an opinion, approving a project): the number must be taken in the same transaction as the
row that carries it (``numbering``), and it is printed on the page, so the PDF cannot be made before the
number is known. On SQLite every transaction holds the one database write lock from its first statement
(``transaction_mode=IMMEDIATE``), so while WeasyPrint rendered a 250,000-character opinion (10 s) every
login waited, and at 650,000 characters one got "database is locked" after 20 s. On PostgreSQL the same
render holds the agency's number counter and the case row.

The choice: **rehearse, render, then take the step for real**. The outermost step runs with rehearsal on
(``render_outside_the_lock`` wraps ``workflow.perform``). When ``issue_document`` reaches the point where
it would render, it knows the number, the verification token and every word of the document; instead of
rendering it raises ``RenderFirst`` carrying the render. The transaction rolls back — nothing was
written, every lock is released — the document is rendered with no transaction open, and the step is
taken again. This time ``issue_document`` takes the same number (nobody else took it meanwhile) and
finds a finished render for exactly this content (the content fingerprint covers the number, the date,
the parties and every paragraph); it uses that render's token and bytes and stores them. The write
transaction lasts milliseconds.

Nothing here can print a wrong number: a render is used only for identical canonical content. If
someone took the number in between (or anything else of the content changed), the fingerprint differs,
the step is rehearsed again; after ``MAX_REHEARSALS`` it renders inside the transaction as before.
Rehearsal happens only for the outermost transaction: a step taken inside a caller's own transaction
(a test's, or a service's ``atomic``) renders inline, since its locks are held anyway.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

MAX_REHEARSALS = 3


class RenderFirst(BaseException):
    """Raised inside a rehearsed transaction where a document would be rendered.

    A ``BaseException``: no ``except Exception`` on the way out may swallow it; the transaction rolls back.
    """

    def __init__(self, fingerprint: str, render: Callable[[], Any]):
        super().__init__(fingerprint)
        self.fingerprint = fingerprint
        self.render = render


@dataclass
class _Rehearsal:
    rehearsing: bool = True
    ready: dict[str, Any] = field(default_factory=dict)


_current: ContextVar[_Rehearsal | None] = ContextVar("govinfo_documents_rehearsal", default=None)


def prepared(fingerprint: str):
    """The render made outside the lock for exactly this content, if any.

    Kept, not popped: a step issuing two documents is rehearsed once per document, and the first one's
    render is needed again in each later attempt. Only one of them can commit (its number is unique).
    """
    rehearsal = _current.get()
    return rehearsal.ready.get(fingerprint) if rehearsal else None


def rehearsing() -> bool:
    rehearsal = _current.get()
    return bool(rehearsal and rehearsal.rehearsing)


def render_outside_the_lock(func):
    """Run ``func`` (an outermost transactional step) so that documents it issues render outside it."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _current.get() is not None or transaction.get_connection().in_atomic_block:
            return func(*args, **kwargs)
        rehearsal = _Rehearsal()
        token = _current.set(rehearsal)
        try:
            for _ in range(MAX_REHEARSALS):
                try:
                    return func(*args, **kwargs)
                except RenderFirst as pending:
                    rehearsal.ready[pending.fingerprint] = pending.render()
            rehearsal.rehearsing = False  # the content kept changing under us: render inside, as before
            return func(*args, **kwargs)
        finally:
            _current.reset(token)

    return wrapper
