"""Sending a notice and signing for it. See ``models`` for what a notice is.

``notify`` creates the notice once per key, writes ``notices.notice.sent`` and, once the caller's
transaction has committed, e-mails the addressee's active members (those with an address) — one message
each, so no one sees the others' addresses. A decision that rolls back sends nothing. E-mail goes through
Django's mail settings (``DJANGO_EMAIL_BACKEND``; the console backend by default); a mail server that
fails is logged and does not undo the notice: the to-do item still carries it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo.audit import trail
from govinfo.errors import Conflict, NotAllowed
from govinfo.orgs import roles
from govinfo.orgs.models import Agency, Membership, Role, Unit

from .models import Notice

logger = logging.getLogger(__name__)

UNIT_ROLES = (Role.APPLICANT,)
AGENCY_ROLES = (Role.REVIEWER, Role.SIGNER)


def recipients(notice: Notice):
    """The addressee's active members: a unit's clerks, an agency's reviewers and signers."""
    members = Membership.objects.active()
    if notice.unit_id:
        members = members.filter(unit_id=notice.unit_id, role__in=UNIT_ROLES)
    else:
        members = members.filter(agency_id=notice.agency_id, role__in=AGENCY_ROLES)
    return get_user_model().objects.filter(pk__in=members.values("user"), is_active=True).order_by("pk")


def is_addressee(user, notice: Notice) -> bool:
    if notice.unit_id:
        return any(unit.pk == notice.unit_id for unit in roles.units_of(user))
    return any(agency.pk == notice.agency_id for agency in roles.agencies_of(user, *AGENCY_ROLES))


def notify(
    *,
    key: str,
    category: str,
    title: str,
    text: str,
    url: str,
    unit: Unit | None = None,
    agency: Agency | None = None,
    target=None,
    keep_days: int | None = None,
    by=None,
) -> Notice:
    """The notice ``key`` to ``unit`` or ``agency`` (created once; a second call returns the first)."""
    days = settings.NOTICE_KEEP_DAYS if keep_days is None else keep_days
    now = timezone.now()
    notice, created = Notice.objects.get_or_create(
        key=key,
        defaults={
            "unit": unit,
            "agency": agency,
            "category": category[:64],
            "title": title[:255],
            "text": text,
            "url": url,
            "target_type": ContentType.objects.get_for_model(target) if target is not None else None,
            "target_id": str(target.pk) if target is not None else "",
            "created_at": now,
            "expires_at": now + dt.timedelta(days=days) if days else None,
        },
    )
    if not created:
        return notice
    trail.record(
        "notices.notice.sent",
        actor=by,
        target=target if target is not None else notice,
        details={"title": notice.title, "to": str(notice.addressee)},
    )
    transaction.on_commit(lambda: send_email(notice.pk))
    return notice


def send_email(pk: int) -> int:
    """E-mail the notice to its recipients; returns how many messages went out."""
    notice = Notice.objects.select_related("unit", "agency").get(pk=pk)
    link = settings.SITE_URL + notice.url
    subject = f"【{settings.GOVINFO_ORG_NAME}】{notice.title}"
    body = f"{notice.text}\n\n{_('查看：')}{link}\n\n{_('本邮件由系统自动发送，请勿直接回复。')}"
    messages = [EmailMessage(subject, body, to=[user.email]) for user in recipients(notice).exclude(email="")]
    if not messages:
        return 0
    try:
        sent = get_connection().send_messages(messages) or 0
    except Exception:  # the notice stands on the to-do list; a mail server that is down must not undo it
        logger.exception("notice %s: e-mail failed", notice.pk)
        return 0
    Notice.objects.filter(pk=pk).update(emailed=sent)
    return sent


def open_for(user):
    """Notices waiting for ``user``'s organisations: not signed for, not expired; newest first."""
    units = [unit.pk for unit in roles.units_of(user)]
    agencies = [agency.pk for agency in roles.agencies_of(user, *AGENCY_ROLES)]
    if not units and not agencies:
        return Notice.objects.none()
    from django.db.models import Q

    now = timezone.now()
    return (
        Notice.objects.filter(Q(unit_id__in=units) | Q(agency_id__in=agencies))
        .filter(acknowledged_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-created_at", "-id")
    )


@transaction.atomic
def acknowledge(notice: Notice, *, by) -> Notice:
    """签收: one member signs for the organisation; the notice leaves everyone's to-do list."""
    fresh = Notice.objects.select_for_update().get(pk=notice.pk)
    if roles.is_read_only(by) or not is_addressee(by, fresh):
        raise NotAllowed(_("只有收文单位或机构的工作人员可以签收本通知。"))
    if fresh.is_acknowledged:
        raise Conflict(_("本通知已由%(name)s签收。") % {"name": fresh.acknowledged_by.display_name})
    fresh.acknowledged_at = timezone.now()
    fresh.acknowledged_by = by
    fresh.save(update_fields=["acknowledged_at", "acknowledged_by"])
    trail.record(
        "notices.notice.acknowledged",
        actor=by,
        target=fresh.target if fresh.target_type_id else fresh,
        details={"title": fresh.title},
    )
    return fresh
