"""The append-only audit trail: every state change and every signed decision, for auditors and 等保.

The trail proves itself: each event carries a sequence number without gaps (``seq``), the hash of the
event before it (``prev_hash``) and the SHA-256 of its own canonical content including that link
(``hash``; see ``govinfo.audit.chain``). ``ChainHead`` is the one row that says how long the chain is and
where it ends; appends lock it, so two events never claim the same place. Deleting, editing, reordering
or back-dating a row breaks the chain at that row, and ``manage.py verify_audit`` names it.

Every event also names the case it belongs to (``case_type``, ``case_id``: generic fields, so the platform
never points a foreign key at an app; ``govinfo.audit.cases`` says which case an object belongs to).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .actions import describe


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("审计记录只能追加，不能删除。")

    def for_object(self, obj):
        return self.filter(
            target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            target_id=str(obj.pk),
        )


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=96, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("对象类型"),
    )
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=255, blank=True)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    # The case (project, catalogue resource, share request …) the event belongs to.
    case_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("案件类型"),
    )
    case_id = models.CharField(_("案件编号"), max_length=64, blank=True)
    # The hash chain (govinfo.audit.chain): place, link to the previous event, own hash.
    seq = models.PositiveBigIntegerField(_("链序号"), unique=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("本条哈希（SHA-256）"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"], name="audit_target_idx"),
            # The trail browser pages by seq (keyset) within each filter it offers.
            models.Index(fields=["case_type", "case_id", "seq"], name="audit_case_seq_idx"),
            models.Index(fields=["actor", "seq"], name="audit_actor_seq_idx"),
            models.Index(fields=["action", "seq"], name="audit_action_seq_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action_label} {self.target_repr}"

    @property
    def action_label(self) -> str:
        return describe(self.action)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能删除。")


class ChainHead(models.Model):
    """The end of the hash chain: the last event's ``seq`` and ``hash``, one row, locked by every append.

    The database lets it only advance with the chain (triggers in migration 0004): it cannot be moved
    back, pointed at a hash that is not the last event's, or removed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(_("链序号"), default=0)
    hash = models.CharField(_("链头哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}…"
