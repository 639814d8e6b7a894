"""Who acts in the years after construction: each answers a reason (with its rule) or None, as the
lifecycle table's ``who`` does. Auditors and administrators are refused before these are asked
(``govinfo.workflow``; ``refuse_read_only`` for the actions that change no state)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from govinfo import workflow
from govinfo.errors import NotAllowed
from govinfo.orgs import roles
from govinfo.orgs.models import Role
from govinfo.rules import cite
from projects.models import Project
from projects.permissions import is_applicant_of

NDRC, FINANCE, CYBERSPACE = "ndrc", "finance", "cyberspace"


def agency_codes(user, *wanted: str) -> set[str]:
    return {agency.code for agency in roles.agencies_of(user, *(wanted or (Role.REVIEWER, Role.SIGNER)))}


def is_unit_of(user, project: Project) -> bool:
    """A clerk (经办人) of the project's lead unit: the unit is the responsible party (第二十六条)."""
    return is_applicant_of(user, project.lead_unit)


def is_ndrc(user) -> bool:
    return NDRC in agency_codes(user)


def is_ndrc_signer(user) -> bool:
    return NDRC in agency_codes(user, Role.SIGNER)


def refuse_read_only(user) -> None:
    """Auditors and administrators read every case and act on none (DOMAIN §1)."""
    if roles.is_read_only(user):
        raise NotAllowed(str(workflow.READ_ONLY_REFUSAL))


# -- who: a reason, or None ---------------------------------------------------------------------


def who_unit(rule: str, article: str):
    def who(user, project: Project) -> str | None:
        if not is_unit_of(user, project):
            return cite(
                rule, article, _("只有项目单位（%(unit)s）可以办理。") % {"unit": project.lead_unit.name}
            )
        return None

    return who


def who_ndrc(rule: str, article: str):
    def who(user, obj) -> str | None:
        if not is_ndrc(user):
            return cite(rule, article, _("只有省发展改革委可以办理。"))
        return None

    return who


def who_ndrc_signer(rule: str, article: str):
    def who(user, obj) -> str | None:
        if not is_ndrc_signer(user):
            return cite(rule, article, _("只有省发展改革委签发人可以作出该决定。"))
        return None

    return who


def who_ndrc_or_finance(rule: str, article: str):
    def who(user, obj) -> str | None:
        if not agency_codes(user) & {NDRC, FINANCE}:
            return cite(rule, article, _("只有省发展改革委或省财政厅可以办理。"))
        return None

    return who


def who_security_agency(rule: str, article: str):
    def who(user, obj) -> str | None:
        if not agency_codes(user) & {NDRC, CYBERSPACE}:
            return cite(rule, article, _("只有省发展改革委或省委网信办可以认定和销号安全不合规问题。"))
        return None

    return who


def require(reason: str | None, user) -> None:
    """For an action that changes no state: read-only roles first, then the ``who`` answer."""
    refuse_read_only(user)
    if reason:
        raise NotAllowed(reason)
