"""Writing the audit trail. Services call ``record`` inside their transaction."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from . import cases, chain
from .actions import is_registered
from .context import client_ip
from .models import AuditEvent


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    # Decimals, dates and lazy strings become plain JSON so that the stored row never depends on code.
    return json.loads(json.dumps(details, cls=DjangoJSONEncoder, ensure_ascii=False, default=str))


def _type_of(obj) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def record(
    action: str,
    *,
    actor=None,
    target=None,
    from_state: str = "",
    to_state: str = "",
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
    case=None,
) -> AuditEvent:
    """Append one event to the chain. Its case is ``case`` if given, else the case of ``target``."""
    if not is_registered(action):
        raise ValueError(f"unregistered audit action {action!r}: register it in govinfo.audit.actions")
    if case is None and target is not None:
        case = cases.case_of(target)
    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=_type_of(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        from_state=from_state or "",
        to_state=to_state or "",
        details=_jsonable(details or {}),
        ip_address=ip_address or client_ip.get(),
        case_type=_type_of(case) if case is not None else None,
        case_id=str(case.pk) if case is not None else "",
    )
    return chain.append(event)


def timeline(obj):
    """Events about one object, oldest first, with their actors, in one query."""
    return AuditEvent.objects.for_object(obj).select_related("actor").order_by("seq")


def case_trail(case):
    """Every event of a case (whatever its target: a round, an opinion, a document), oldest first."""
    return (
        AuditEvent.objects.filter(case_type=_type_of(case), case_id=str(case.pk))
        .select_related("actor")
        .order_by("seq")
    )
