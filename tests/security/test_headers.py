"""Headers: a strict Content-Security-Policy and a Permissions-Policy on every page; nothing a logged-in
user sees (pages, issued PDFs, materials) kept in a browser or proxy cache. Main sent neither policy and
cached logged-in pages and downloads. The browser journeys (tests/e2e) fail on any CSP violation."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from projects import services as project_services
from tests.documents.samples import issue_sample
from tests.factories import agency
from tests.projects.factories import draft, pdf_upload

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_carries_a_strict_content_security_policy(client, applicant):
    for response in (client.get(reverse("login")), _logged_in(client, applicant).get(reverse("home"))):
        policy = directives(response)
        for directive in ("default-src", "script-src", "style-src", "img-src", "font-src", "connect-src"):
            assert policy[directive] == ["'self'"], (directive, policy)
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]
        assert "unsafe" not in response["Content-Security-Policy"]


def test_every_page_carries_a_permissions_policy(client, applicant):
    for response in (client.get(reverse("login")), _logged_in(client, applicant).get(reverse("home"))):
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy


def _logged_in(client, user):
    client.force_login(user)
    return client


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_logged_in_pages_are_not_stored(client, applicant, admin_user):
    assert _no_store(_logged_in(client, applicant).get(reverse("home")))
    assert _no_store(client.get(reverse("catalogue:list")))
    assert _no_store(_logged_in(client, admin_user).get("/admin/"))


def test_an_issued_pdf_download_is_not_stored(client, ndrc_signer):
    document = issue_sample(agency("ndrc"), ndrc_signer)
    response = _logged_in(client, ndrc_signer).get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200 and _no_store(response)


def test_a_material_download_is_not_stored(client, unit, applicant):
    project = draft(unit, applicant)
    material = project_services.upload_material(
        project, by=applicant, kind="feasibility", upload=pdf_upload()
    )
    response = _logged_in(client, applicant).get(
        reverse("projects:material_download", args=[project.pk, material.pk])
    )
    assert response.status_code == 200 and _no_store(response)


def test_static_files_stay_cacheable(client, applicant):
    response = _logged_in(client, applicant).get("/static/css/govinfo.css")
    assert response.status_code == 200 and not _no_store(response)


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_page_template_carries_inline_script_or_style():
    """The CSP allows none; the PDF templates (rendered by WeasyPrint, never by a browser) are exempt."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "pdf" in path.relative_to(ROOT / "templates").parts:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert offenders == []
