"""Who acts as what: the one place that reads memberships. Views and permissions ask here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Agency, Membership, Role, Unit

if TYPE_CHECKING:
    from govinfo.accounts.models import User

_CACHE_ATTR = "_govinfo_memberships"


def memberships(user: User) -> list[Membership]:
    """The user's active memberships, read once per request object and kept on it."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("unit", "agency")
            .order_by("role", "id")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user: User) -> None:
    """Drop the cached memberships after they change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles(user: User) -> set[str]:
    found = {m.role for m in memberships(user)}
    if getattr(user, "is_superuser", False):
        found.add(Role.ADMIN)
    return found


def has_role(user: User, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def units_of(user: User) -> list[Unit]:
    """Units the user files for (as 经办人)."""
    return [m.unit for m in memberships(user) if m.role == Role.APPLICANT and m.unit and m.unit.is_active]


def agencies_of(user: User, *wanted: str) -> list[Agency]:
    """Agencies the user acts for, in any of the given roles (reviewer and signer when none given)."""
    accepted = set(wanted) or {Role.REVIEWER, Role.SIGNER}
    seen: dict[int, Agency] = {}
    for m in memberships(user):
        if m.role in accepted and m.agency and m.agency.is_active:
            seen.setdefault(m.agency.pk, m.agency)
    return list(seen.values())


def is_signer_for(user: User, agency: Agency) -> bool:
    return any(m.role == Role.SIGNER and m.agency_id == agency.pk for m in memberships(user))


def is_auditor(user: User) -> bool:
    return has_role(user, Role.AUDITOR)


def is_read_only(user: User) -> bool:
    """Auditors and administrators read every case and act on none (DOMAIN §1)."""
    return has_role(user, Role.AUDITOR, Role.ADMIN)


def role_labels(user: User) -> list[str]:
    """Human-readable role badges for the header, e.g. 审核人员 · 财政厅."""
    labels = []
    signs_for = {m.agency_id for m in memberships(user) if m.role == Role.SIGNER}
    for m in memberships(user):
        if m.role == Role.REVIEWER and m.agency_id in signs_for:
            continue  # the signer badge says enough: an agency head also reviews
        where = m.organisation
        labels.append(
            f"{m.get_role_display()} · {where.display_name}" if where else str(m.get_role_display())
        )
    if getattr(user, "is_superuser", False) and not any(m.role == Role.ADMIN for m in memberships(user)):
        labels.append(str(Role.ADMIN.label))
    return labels
