"""Verifying an issued document: the public link printed on it, and matching a file by its SHA-256."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.urls import reverse

from .models import IssuedDocument


def verification_path(token: str) -> str:
    return reverse("documents:verify_document", args=[token])


def verification_url_for(token: str) -> str:
    """The absolute link printed (and QR-coded) on the document with this verification token."""
    return settings.SITE_URL + verification_path(token)


def verification_url(document: IssuedDocument) -> str:
    return verification_url_for(document.verification_token)


def file_sha256(fileobj) -> str:
    """SHA-256 of an uploaded or stored file, read in chunks."""
    digest = hashlib.sha256()
    if hasattr(fileobj, "chunks"):
        for chunk in fileobj.chunks():
            digest.update(chunk)
    else:
        for chunk in iter(lambda: fileobj.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_by_file(fileobj) -> IssuedDocument | None:
    """The issued document whose stored PDF is byte-identical to ``fileobj``, if any."""
    return IssuedDocument.objects.select_related("agency").filter(sha256=file_sha256(fileobj)).first()
