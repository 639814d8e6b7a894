"""Who may see and do what in approvals. Every view asks here; deny by default.

Issued documents: the PDF itself is shown only to the members (reviewers, signers) of the issuing
agency, auditors and administrators. The review workflow widens this (the applicant of the
project once the document is issued, the other reviewing agencies of the project) by adding to
``can_view_document`` — not by checking in its views. The public verification page shows a
handful of record fields to anyone holding the token and is not governed here.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from govinfo.orgs import roles
from govinfo.orgs.models import Role

from .models import IssuedDocument

DOCUMENT_REFUSED = "您不是发文机关、审计或管理人员，无权查看该公文原件。"


def can_view_document(user, document: IssuedDocument) -> tuple[bool, str]:
    """May ``user`` open the stored PDF of ``document``? Returns (answer, reason)."""
    if not getattr(user, "is_authenticated", False):
        return False, "请先登录。"
    if roles.has_role(user, Role.ADMIN, Role.AUDITOR):
        return True, ""
    if any(agency.pk == document.agency_id for agency in roles.agencies_of(user, Role.REVIEWER, Role.SIGNER)):
        return True, ""
    return False, DOCUMENT_REFUSED


def documents_visible_to(user) -> QuerySet[IssuedDocument]:
    """The issued documents ``user`` may open, for lists (same decision as ``can_view_document``)."""
    documents = IssuedDocument.objects.select_related("agency", "issued_by")
    if not getattr(user, "is_authenticated", False):
        return documents.none()
    if roles.has_role(user, Role.ADMIN, Role.AUDITOR):
        return documents
    agencies = [agency.pk for agency in roles.agencies_of(user, Role.REVIEWER, Role.SIGNER)]
    return documents.filter(agency_id__in=agencies)


def get_document_for_user(user, pk: int) -> IssuedDocument:
    """The document if ``user`` may open it; 404 otherwise, so outsiders learn nothing of it."""
    document = IssuedDocument.objects.select_related("agency").filter(pk=pk).first()
    if document is None or not can_view_document(user, document)[0]:
        raise Http404("未找到该公文，或您无权查看。")
    return document
