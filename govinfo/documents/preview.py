"""Showing a document before it exists: its 样稿 PDF and the number it would take.

Every page that asks someone to confirm an irreversible, numbered document (NDRC's 批复 and 不予批复函,
an agency's 审核意见书, NDRC's 调整批复) uses these two with ``issue.preview_document``: the 样稿 is
rendered from the same arguments the issue will use, marked 样稿, numbered nowhere, stored nowhere.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DocumentCounter
from .numbering import format_doc_number


def pdf_preview(pdf: bytes) -> HttpResponse:
    """A 样稿 PDF: shown inline, never cached or stored (it is not a document and has no number)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = "inline; filename*=UTF-8''" + quote(_("样稿") + ".pdf")
    response["Cache-Control"] = "no-store"
    return response


def next_number_preview(agency, date=None) -> str:
    """The number the next document of ``agency`` would take now — shown, never reserved."""
    year = (date or timezone.localdate()).year
    used = DocumentCounter.objects.filter(agency=agency, year=year).values_list("last_number", flat=True)
    return format_doc_number(agency.doc_prefix, year, (used.first() or 0) + 1)
