"""Public verification of issued documents, and the permission-checked download of the original."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from govinfo import stored_files
from govinfo.audit import trail

from .access import get_document_for_user
from .forms import VerifyUploadForm
from .models import IssuedDocument
from .verification import file_sha256, find_by_file, verification_url

DOWNLOADED_ACTION = "documents.document.downloaded"


def _public_record(document: IssuedDocument) -> dict:
    # Only what the verification page may show to anyone holding the link: never the body or parties.
    return {
        "doc_number": document.doc_number,
        "title": document.title,
        "date": document.issue_date,
        "agency": document.issuing_agency_name,
        "project_code": document.project_code,
        "project_name": document.project_name,
        "content_fingerprint": document.content_fingerprint,
        "sha256": document.sha256,
        "url": verification_url(document),
    }


@require_http_methods(["GET", "POST"])
def verify_document(request, token: str):
    """The page the printed QR code opens; an uploaded PDF is compared with the issued file."""
    document = get_object_or_404(IssuedDocument.objects.select_related("agency"), verification_token=token)
    result = None
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = {"genuine": file_sha256(form.cleaned_data["file"]) == document.sha256}
        form = VerifyUploadForm()
    return render(
        request,
        "documents/verify_document.html",
        {"record": _public_record(document), "form": form, "result": result},
    )


@require_http_methods(["GET", "POST"])
def verify_upload(request):
    """Upload a PDF alone: it is matched against every issued file by its SHA-256."""
    result = None
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = find_by_file(form.cleaned_data["file"])
        result = {"genuine": document is not None, "record": _public_record(document) if document else None}
        form = VerifyUploadForm()
    return render(request, "documents/verify_upload.html", {"form": form, "result": result})


@login_required
def download(request, pk: int):
    """The stored PDF exactly as issued (never regenerated), to those ``access`` allows; 404 to others."""
    document = get_document_for_user(request.user, pk)
    # Who opened which original, and when: an issued document's every download is on the trail.
    return stored_files.serve(
        request,
        document.pdf,
        filename=f"{document.doc_number}.pdf",
        content_type="application/pdf",
        target=document,
        downloaded=lambda: trail.record(
            DOWNLOADED_ACTION,
            actor=request.user,
            target=document,
            details={"doc_number": document.doc_number, "sha256": document.sha256},
        ),
    )


@login_required
def legacy_download(request, pk: int):
    """The download's address while the engine lived in approvals; links already sent keep working."""
    return redirect("documents:download", pk=pk, permanent=True)
