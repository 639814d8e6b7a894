"""Who may open the stored original of an issued document. Deny by default.

The platform decides what it knows: administrators and auditors read every document; the members
(reviewers, signers) of the issuing agency read their agency's documents. Everything else the engine
cannot know — a 批复 belongs to a project under review, a 验收意见 to an acceptance — so the app that
issues a kind of document says who else may open it, by registering a rule in its
``AppConfig.ready()`` (as the to-do list and the submit checks are extended)::

    from govinfo.documents import access
    access.register_access(follows_review, visible=review_documents)

``allows(user, document) -> bool`` answers for one document; ``visible(user) -> Q`` is the same decision
as a filter over ``IssuedDocument`` for lists (both are required, so a list never shows a document the
check refuses, nor hides one it allows). A document no rule allows is refused; the download answers 404
so that outsiders learn nothing of it.

The public verification page shows a handful of record fields to anyone holding the token and is not
governed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govinfo.orgs import roles
from govinfo.orgs.models import Role

from .models import IssuedDocument

DOCUMENT_REFUSED = _("您不是发文机关、审计或管理人员，也未参与该公文所涉事项，无权查看该公文原件。")


@dataclass(frozen=True)
class AccessRule:
    allows: Callable[[object, IssuedDocument], bool]
    visible: Callable[[object], Q]


_RULES: list[AccessRule] = []


def register_access(
    allows: Callable[[object, IssuedDocument], bool], *, visible: Callable[[object], Q]
) -> None:
    """Let whoever ``allows(user, document)`` says open a document; ``visible(user)`` is the list filter."""
    if all(rule.allows is not allows for rule in _RULES):
        _RULES.append(AccessRule(allows, visible))


def _issuing_agency_ids(user) -> set[int]:
    return {agency.pk for agency in roles.agencies_of(user, Role.REVIEWER, Role.SIGNER)}


def can_view_document(user, document: IssuedDocument) -> tuple[bool, str]:
    """May ``user`` open the stored PDF of ``document``? Returns (answer, reason)."""
    if not getattr(user, "is_authenticated", False):
        return False, gettext("请先登录。")
    if roles.has_role(user, Role.ADMIN, Role.AUDITOR):
        return True, ""
    if document.agency_id in _issuing_agency_ids(user):
        return True, ""
    if any(rule.allows(user, document) for rule in _RULES):
        return True, ""
    return False, str(DOCUMENT_REFUSED)


def documents_visible_to(user) -> QuerySet[IssuedDocument]:
    """The issued documents ``user`` may open, for lists (the same decision as ``can_view_document``)."""
    documents = IssuedDocument.objects.select_related("agency", "issued_by")
    if not getattr(user, "is_authenticated", False):
        return documents.none()
    if roles.has_role(user, Role.ADMIN, Role.AUDITOR):
        return documents
    condition = Q(agency_id__in=_issuing_agency_ids(user))
    for rule in _RULES:
        condition |= rule.visible(user)
    return documents.filter(condition)


def get_document_for_user(user, pk: int) -> IssuedDocument:
    """The document if ``user`` may open it; 404 otherwise, so outsiders learn nothing of it."""
    document = IssuedDocument.objects.select_related("agency").filter(pk=pk).first()
    if document is None or not can_view_document(user, document)[0]:
        raise Http404(gettext("未找到该公文，或您无权查看。"))
    return document
