"""Downloading the stored original: the issuing agency, auditors and administrators; nobody else."""

import pytest
from django.urls import reverse

from govinfo.orgs.models import Role
from tests.factories import PASSWORD, member


def _download(client, user, document):
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("approvals:document_download", args=[document.pk]))


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _stored(document) -> bytes:
    with document.pdf.open("rb") as stored:
        return stored.read()


def test_the_signer_of_the_issuing_agency_gets_the_stored_file(client, issued, ndrc_signer):
    response = _download(client, ndrc_signer, issued)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert _body(response) == _stored(issued)  # served from storage, byte for byte


def test_a_reviewer_of_the_issuing_agency_may_download(client, issued):
    reviewer = member(Role.REVIEWER, agency_code="ndrc")
    assert _download(client, reviewer, issued).status_code == 200


def test_an_auditor_may_download(client, issued, auditor):
    assert _download(client, auditor, issued).status_code == 200


def test_an_admin_may_download(client, issued, admin_user):
    assert _download(client, admin_user, issued).status_code == 200


@pytest.mark.parametrize(
    "who",
    ["applicant", "other_applicant", "finance_reviewer", "finance_signer", "expert"],
)
def test_other_roles_are_refused_with_not_found(client, issued, request, who):
    if who == "finance_reviewer":
        user = member(Role.REVIEWER, agency_code="finance")
    elif who == "finance_signer":
        user = member(Role.SIGNER, agency_code="finance")
    else:
        user = request.getfixturevalue(who)
    assert _download(client, user, issued).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, issued):
    response = _download(client, None, issued)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_missing_document_is_not_found(client, ndrc_signer, db):
    client.login(username=ndrc_signer.username, password=PASSWORD)
    assert client.get(reverse("approvals:document_download", args=[999999])).status_code == 404


def test_the_permission_decision_gives_its_reason(issued, applicant):
    from approvals.permissions import DOCUMENT_REFUSED, can_view_document, documents_visible_to

    assert can_view_document(applicant, issued) == (False, DOCUMENT_REFUSED)
    assert not documents_visible_to(applicant).exists()
