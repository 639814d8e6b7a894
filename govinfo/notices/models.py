"""Notices: what an organisation must learn of (a decision issued, a reminder), on its to-do list and by e-mail.

A notice is addressed to an organisation — a unit (its clerks) or an agency (its reviewers and signers) —
not to a person: whoever of them is at work sees it, and one of them signs for it (签收) on behalf of all,
as a 收文 is signed for. It leaves the to-do list once signed for, or when it expires (``expires_at``):
the matter itself stays where it lives (the project page), the notice only points at it.

``key`` says what the notice is about ("approvals.decision.<round>"): the same key is never sent twice, so
a service or a daily reminder command may call ``notify`` again without repeating itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.models import Agency, Unit


class Notice(models.Model):
    key = models.CharField(_("通知标识"), max_length=200, unique=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="notices", verbose_name=_("单位")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("机构"),
    )
    category = models.CharField(_("类别"), max_length=64)
    title = models.CharField(_("标题"), max_length=255)
    text = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("办理地址"), max_length=255)
    # What the notice is about (a project …), for the audit trail of its 签收.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("待办保留至"), null=True, blank=True)
    emailed = models.PositiveSmallIntegerField(_("已发邮件数"), default=0)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签收人"),
    )

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, agency__isnull=True)
                | models.Q(unit__isnull=True, agency__isnull=False),
                name="notice_one_addressee",
            )
        ]
        indexes = [models.Index(fields=["unit", "acknowledged_at"], name="notice_unit_open_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def addressee(self):
        return self.unit or self.agency

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
