"""Writing the audit trail. Services call ``record`` inside their transaction."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from .actions import is_registered
from .context import client_ip
from .models import AuditEvent


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    # Decimals, dates and lazy strings become plain JSON so that the stored row never depends on code.
    return json.loads(json.dumps(details, cls=DjangoJSONEncoder, ensure_ascii=False, default=str))


def record(
    action: str,
    *,
    actor=None,
    target=None,
    from_state: str = "",
    to_state: str = "",
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    if not is_registered(action):
        raise ValueError(f"unregistered audit action {action!r}: register it in govinfo.audit.actions")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False) if target else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        from_state=from_state or "",
        to_state=to_state or "",
        details=_jsonable(details or {}),
        ip_address=ip_address or client_ip.get(),
    )


def timeline(obj):
    """Events about one object, oldest first, with their actors, in one query."""
    return AuditEvent.objects.for_object(obj).select_related("actor").order_by("created_at", "id")
