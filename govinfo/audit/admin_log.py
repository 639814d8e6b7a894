"""Changes made in the Django admin become audit events, with what each field was and became.

The admin writes its own ``LogEntry`` for an addition or a change; that is where we learn of it. What a
field held before is read when the admin saves the object (``pre_save``, only while an admin request
is being served — ``RequestContextMiddleware`` opens ``admin_request``), so the event says
"总投资 6000000.00 → 1.00", not only "changed total investment". Deletions are recorded one object at a
time as they happen (``pre_delete``), cascades included, because the admin logs a bulk deletion with
``bulk_create`` and no signal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from . import actions

ADDED = "govinfo.admin.added"
CHANGED = "govinfo.admin.changed"
DELETED = "govinfo.admin.deleted"
actions.register(ADDED, _("系统管理：新增"))
actions.register(CHANGED, _("系统管理：修改"))
actions.register(DELETED, _("系统管理：删除"))

# Nothing an auditor needs, and written on every request (sessions) or by this module itself.
_SKIPPED_APPS = {"admin", "sessions", "contenttypes", "audit"}
# Never copied into the trail, not even hashed.
_SECRET_FIELDS = {"password"}

_admin: ContextVar[dict | None] = ContextVar("govinfo_admin_request", default=None)


@contextmanager
def admin_request(user) -> Iterator[None]:
    token = _admin.set({"user": user, "before": {}})
    try:
        yield
    finally:
        _admin.reset(token)


def _watched(model) -> bool:
    return model._meta.app_label not in _SKIPPED_APPS and not model._meta.auto_created


def _fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in _SECRET_FIELDS]


def _values(instance) -> dict:
    return {name: getattr(instance, name) for name in _fields(type(instance))}


@receiver(pre_save)
def _remember_before(sender, instance, raw=False, **kwargs):
    context = _admin.get()
    if context is None or raw or instance.pk is None or not _watched(sender):
        return
    key = (sender._meta.label, str(instance.pk))
    if key not in context["before"]:
        context["before"][key] = (
            sender._default_manager.filter(pk=instance.pk).values(*_fields(sender)).first() or {}
        )


@receiver(post_save, sender=LogEntry)
def _logged(sender, instance: LogEntry, created, raw=False, **kwargs):
    if not created or raw or instance.action_flag not in (ADDITION, CHANGE):
        return
    from .trail import record

    model = instance.content_type.model_class() if instance.content_type_id else None
    target = model._default_manager.filter(pk=instance.object_id).first() if model else None
    details = {
        "model": model._meta.label if model else "",
        "object": instance.object_repr,
        "message": instance.get_change_message(),
    }
    if target is not None:
        after = _values(target)
        context = _admin.get() or {"before": {}}
        before = context["before"].get((model._meta.label, str(instance.object_id)), {})
        if instance.action_flag == CHANGE:
            details["changes"] = {
                name: [before.get(name), value] for name, value in after.items() if before.get(name) != value
            }
        else:
            details["values"] = after
    record(
        ADDED if instance.action_flag == ADDITION else CHANGED,
        actor=instance.user,
        target=target,
        details=details,
    )


@receiver(pre_delete)
def _deleting(sender, instance, **kwargs):
    context = _admin.get()
    if context is None or not _watched(sender):
        return
    from .trail import record

    record(
        DELETED,
        actor=context["user"],
        target=instance,
        details={"model": sender._meta.label, "object": str(instance)[:200], "values": _values(instance)},
    )
