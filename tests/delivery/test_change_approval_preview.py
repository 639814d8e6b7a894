"""The 调整批复 is seen before it exists (R-BLD-2, 第二十八条), the way the 批复 is (approvals.decision_views):
NDRC saves its text, previews the PDF marked 样稿 (no number taken, nothing stored), and its signer
confirms on a page that shows what will be numbered, posting the version it showed."""

import pytest
from django.urls import reverse

from delivery import changes
from delivery.models import ChangeRequest
from govinfo.audit.models import AuditEvent
from govinfo.documents.models import DocumentCounter, IssuedDocument
from govinfo.errors import Conflict

from .construction_factories import change
from .construction_fixtures import *  # noqa: F401,F403  (the fixtures of these tests)

pytestmark = pytest.mark.django_db

OUTSIDERS = {"other unit", "expert"}


@pytest.fixture
def applied(building, applicant):
    return change(building, applicant, new_wan=1800, adjusted_wan=300)


def _url(name, change_row):
    return reverse(f"delivery:{name}", args=[change_row.pk])


def _counters():
    return list(DocumentCounter.objects.values_list("agency_id", "year", "last_number"))


def test_r_bld_2_ndrc_previews_the_调整批复_as_a_样稿_that_takes_no_number(
    client, applied, ndrc_reviewer, monkeypatch
):
    from govinfo.documents import rendering

    client.force_login(ndrc_reviewer)
    response = client.post(_url("change_draft", applied), {"note": "请于三个月内完成对接。", "version": "0"})
    assert response.status_code == 302 and response["Location"] == _url("change_confirm", applied)
    counters, documents = _counters(), IssuedDocument.objects.count()
    seen = {}
    real = rendering.html_to_pdf
    monkeypatch.setattr(rendering, "html_to_pdf", lambda html: seen.setdefault("html", html) and real(html))
    response = client.get(_url("change_preview", applied))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    html = seen["html"]
    assert '<p class="doc-number">样稿</p>' in html and "川发改审〔" not in html
    assert "请于三个月内完成对接。" in html and "调整的批复" in html
    assert _counters() == counters and IssuedDocument.objects.count() == documents


def test_r_bld_2_the_confirmation_shows_what_will_be_numbered_and_posts_the_version(
    client, applied, signers, ndrc_reviewer
):
    changes.save_approval_draft(applied, by=ndrc_reviewer, note="同意。", version=0)
    before = _counters()
    client.force_login(signers["ndrc"])
    body = client.get(_url("change_confirm", applied)).content.decode()
    assert "调整的批复" in body and "签发时按顺序取号" in body and "川发改审〔" in body
    assert 'name="version" value="1"' in body and 'data-testid="confirm-issue"' in body
    assert _counters() == before
    response = client.post(_url("change_approve", applied), {"version": "1", "status": "pending"})
    assert response.status_code == 302
    approved = ChangeRequest.objects.get(pk=applied.pk)
    assert approved.status == ChangeRequest.Status.APPROVED and approved.document is not None
    assert approved.decision_note == "同意。"


def test_r_bld_2_approving_without_the_confirmation_is_refused_and_issues_nothing(client, applied, signers):
    client.force_login(signers["ndrc"])
    response = client.post(_url("change_approve", applied), {"status": "pending", "approve-note": "同意"})
    assert response.status_code == 400 and "预览样稿" in response.content.decode()
    assert ChangeRequest.objects.get(pk=applied.pk).status == ChangeRequest.Status.PENDING
    assert not IssuedDocument.objects.filter(kind=IssuedDocument.Kind.CHANGE_APPROVAL).exists()


def test_r_bld_2_a_text_changed_after_the_confirmation_is_a_conflict(client, applied, signers, ndrc_reviewer):
    changes.save_approval_draft(applied, by=ndrc_reviewer, note="第一稿。", version=0)
    changes.save_approval_draft(applied, by=ndrc_reviewer, note="第二稿。", version=1)
    with pytest.raises(Conflict):
        changes.save_approval_draft(applied, by=ndrc_reviewer, note="旧页面。", version=1)
    client.force_login(signers["ndrc"])
    response = client.post(
        _url("change_approve", applied), {"version": "1", "status": "pending"}, follow=True
    )
    assert "已被他人修改" in response.content.decode()
    fresh = ChangeRequest.objects.get(pk=applied.pk)
    assert fresh.status == ChangeRequest.Status.PENDING and fresh.document is None
    assert AuditEvent.objects.filter(action="delivery.change.drafted").count() == 2


def test_r_bld_2_only_ndrc_opens_the_draft_and_only_its_signer_confirms(client, applied, roles_of):
    changes.save_approval_draft(applied, by=roles_of["ndrc reviewer"], note="同意。", version=0)
    for role, user in roles_of.items():
        client.force_login(user)
        preview = client.get(_url("change_preview", applied)).status_code
        confirm = client.get(_url("change_confirm", applied))
        if role in OUTSIDERS:
            assert (preview, confirm.status_code) == (404, 404), role
        elif role in ("ndrc signer", "ndrc reviewer", "auditor", "admin"):
            assert (preview, confirm.status_code) == (200, 200), role
            shows_button = 'data-testid="confirm-issue"' in confirm.content.decode()
            assert shows_button == (role == "ndrc signer"), role
        else:
            assert (preview, confirm.status_code) == (403, 403), role
