"""Which case an audit event belongs to, without the audit trail importing the apps.

A *case* is what an auditor follows from start to end: a project (with its rounds, tasks, opinions,
materials and documents), a catalogue resource, a share request. Each app says, in its
``AppConfig.ready()``, which of its models are cases and how its other models find theirs::

    cases.register("projects.Project")                                  # a case of its own
    cases.register("approvals.Opinion", lambda opinion: opinion.task.round.project)

``record`` stores the case of the event's target as generic fields (``case_type``, ``case_id``), so
the trail of a case is one indexed lookup and the platform never points a foreign key at an app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_RESOLVERS: dict[str, Callable[[Any], Any] | None] = {}
_DEPTH = 5  # a document's target's case … never deeper than a handful of hops


def register(model_label: str, resolver: Callable[[Any], Any] | None = None) -> None:
    """``model_label`` (``"app_label.ModelName"``) is a case (no resolver) or belongs to ``resolver(obj)``."""
    _RESOLVERS[model_label] = resolver


def is_case_model(model_label: str) -> bool:
    return model_label in _RESOLVERS and _RESOLVERS[model_label] is None


def case_of(obj) -> Any | None:
    """The case ``obj`` belongs to (itself when it is one), or None (a user, an agency, a calendar day)."""
    for _hop in range(_DEPTH):
        if obj is None:
            return None
        label = obj._meta.label
        if label not in _RESOLVERS:
            return None
        resolver = _RESOLVERS[label]
        if resolver is None:
            return obj
        obj = resolver(obj)
    return None


def registered() -> dict[str, Callable[[Any], Any] | None]:
    return dict(_RESOLVERS)
