"""The admin lists and shows issued documents and counters, and changes nothing (no add, change, delete)."""

import pytest
from django.urls import reverse

from govinfo.documents.models import DocumentCounter, IssuedDocument


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("model", ["issueddocument", "documentcounter"])
def test_the_admin_lists_and_shows(admin_client_, issued, model):
    obj = issued if model == "issueddocument" else DocumentCounter.objects.get()
    assert admin_client_.get(reverse(f"admin:documents_{model}_changelist")).status_code == 200
    page = admin_client_.get(reverse(f"admin:documents_{model}_change", args=[obj.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # a view, not a form


@pytest.mark.parametrize("model", ["issueddocument", "documentcounter"])
def test_the_admin_cannot_add_change_or_delete(admin_client_, issued, model):
    obj = issued if model == "issueddocument" else DocumentCounter.objects.get()
    assert admin_client_.get(reverse(f"admin:documents_{model}_add")).status_code == 403
    assert (
        admin_client_.post(reverse(f"admin:documents_{model}_change", args=[obj.pk]), {}).status_code == 403
    )
    assert admin_client_.post(reverse(f"admin:documents_{model}_delete", args=[obj.pk])).status_code == 403
    changelist = admin_client_.get(reverse(f"admin:documents_{model}_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_the_counter_and_the_document_are_unchanged(admin_client_, issued):
    admin_client_.post(reverse("admin:documents_issueddocument_change", args=[issued.pk]), {"title": "改"})
    issued.refresh_from_db()
    assert issued.title != "改" and IssuedDocument.objects.count() == 1
    assert DocumentCounter.objects.get().last_number == 1
