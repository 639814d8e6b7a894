"""Downloading the stored original: the issuing agency, auditors, administrators, and whoever an app's
registered rule lets in; nobody else (404)."""

import pytest
from django.db.models import Q
from django.urls import reverse

from govinfo.documents import access
from govinfo.orgs import roles
from govinfo.orgs.models import Role
from tests.factories import PASSWORD, UnitFactory, member

from .samples import issue_sample

# The download serves the real renderer's bytes, compared byte for byte.
pytestmark = pytest.mark.documents


def _download(client, user, document):
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("documents:download", args=[document.pk]))


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
    assert client.get(reverse("documents:download", args=[999999])).status_code == 404


def test_the_permission_decision_gives_its_reason(issued, applicant):
    assert access.can_view_document(applicant, issued) == (False, str(access.DOCUMENT_REFUSED))
    assert not access.documents_visible_to(applicant).exists()


def test_the_list_filter_agrees_with_the_check(issued, ndrc_signer, auditor, applicant):
    for user in (ndrc_signer, auditor):
        assert list(access.documents_visible_to(user)) == [issued]
        assert access.can_view_document(user, issued)[0]


def test_the_old_download_address_redirects_to_the_new_one(client, issued, ndrc_signer):
    client.login(username=ndrc_signer.username, password=PASSWORD)
    response = client.get(f"/approvals/documents/{issued.pk}/download/")
    assert response.status_code == 301
    assert response["Location"] == reverse("documents:download", args=[issued.pk])


def test_the_old_download_address_sends_anonymous_visitors_to_log_in(client, issued):
    response = client.get(f"/approvals/documents/{issued.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# -- apps register who else may open their documents ----------------------------------------------


@pytest.fixture
def rules(monkeypatch):
    """A clean registry for the test: only what the test registers (approvals' rule is left out)."""
    registered: list = []
    monkeypatch.setattr(access, "_RULES", registered)
    return registered


@pytest.fixture
def unit_document(ndrc, ndrc_signer):
    """A document about a unit, as an app would issue one about its own object."""
    target = UnitFactory(name="四川省文化和旅游厅")
    return issue_sample(ndrc, ndrc_signer, target=target), target


def test_a_document_no_rule_claims_is_refused_to_outsiders(client, rules, unit_document, applicant):
    document, _ = unit_document
    assert _download(client, applicant, document).status_code == 404


def _units(user) -> list[str]:
    return [str(unit.pk) for unit in roles.units_of(user)]


def _unit_members(user, document) -> bool:
    """An app's rule: the members of the unit a document is about may open it."""
    return document.target_id in _units(user)


def _unit_documents(user) -> Q:
    return Q(target_id__in=_units(user))


def test_a_registered_rule_lets_its_people_in(
    client, rules, unit_document, applicant, other_applicant, ndrc, ndrc_signer
):
    document, _ = unit_document
    of_applicant = issue_sample(ndrc, ndrc_signer, target=roles.units_of(applicant)[0])
    access.register_access(_unit_members, visible=_unit_documents)
    assert _download(client, applicant, of_applicant).status_code == 200
    assert _download(client, applicant, document).status_code == 404  # a rule answers for its own cases
    client.logout()
    assert _download(client, other_applicant, of_applicant).status_code == 404


def test_a_registered_rule_widens_lists_as_it_widens_the_check(
    rules, unit_document, applicant, ndrc, ndrc_signer
):
    document, _ = unit_document
    of_applicant = issue_sample(ndrc, ndrc_signer, target=roles.units_of(applicant)[0])
    access.register_access(_unit_members, visible=_unit_documents)
    assert list(access.documents_visible_to(applicant)) == [of_applicant]
    assert [access.can_view_document(applicant, d)[0] for d in (of_applicant, document)] == [True, False]


def test_registering_a_rule_twice_keeps_one(rules):
    access.register_access(_unit_members, visible=_unit_documents)
    access.register_access(_unit_members, visible=_unit_documents)
    assert len(rules) == 1


# -- a stored file that storage lost: a clear page, an audit event, never a 500 ---------------------------


def test_a_document_whose_stored_file_is_missing_gets_a_clear_page_and_an_audit_event(
    client, issued, ndrc_signer, caplog
):
    from govinfo.audit.models import AuditEvent
    from govinfo.stored_files import MISSING_ACTION

    issued.pdf.storage.delete(issued.pdf.name)
    client.raise_request_exception = False
    response = _download(client, ndrc_signer, issued)
    assert response.status_code == 410
    page = response.content.decode()
    assert "文件缺失" in page and "请联系系统管理员" in page and issued.doc_number in page
    event = AuditEvent.objects.get(action=MISSING_ACTION)
    assert event.actor == ndrc_signer and event.details["file"] == issued.pdf.name
    assert not AuditEvent.objects.filter(action="documents.document.downloaded").exists()
    assert any("missing" in record.getMessage() for record in caplog.records)
