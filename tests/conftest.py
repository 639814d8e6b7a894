import hashlib

import pytest
from django.conf import settings
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import translation

from govinfo.audit import guard
from govinfo.documents import rendering
from govinfo.orgs.models import Role
from projects.demo import tiny_pdf

from .factories import UnitFactory, member


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_trail():
    """Transactional tests end with a flush; on SQLite that is a DELETE, which the audit trail's trigger
    refuses to everyone but this one door (govinfo.audit.guard). PostgreSQL flushes with TRUNCATE."""
    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with guard.erasing():
            return original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Chinese: a request to the language switch must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _stub_html_to_pdf(html: str) -> bytes:
    # The HTML carries the document's number, fingerprint and random verification token: hashing it
    # gives every issued document its own bytes (IssuedDocument.sha256 is unique), the same for the same HTML.
    return tiny_pdf(f"govinfo test document {hashlib.sha256(html.encode()).hexdigest()}")


@pytest.fixture(autouse=True)
def _stub_pdf_renderer(request, monkeypatch):
    """Tests that are not about documents get a tiny valid PDF instead of WeasyPrint's (seconds saved).

    Tests that read a PDF back are marked ``@pytest.mark.documents`` and render for real.
    """
    if request.node.get_closest_marker("documents") is None:
        monkeypatch.setattr(rendering, "html_to_pdf", _stub_html_to_pdf)


@pytest.fixture
def unit(db):
    return UnitFactory(name="四川省教育厅", short_name="省教育厅")


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="四川省卫生健康委员会", short_name="省卫生健康委")


@pytest.fixture
def applicant(unit):
    return member(Role.APPLICANT, unit=unit, username="clerk-a")


@pytest.fixture
def other_applicant(other_unit):
    return member(Role.APPLICANT, unit=other_unit, username="clerk-b")


@pytest.fixture
def ndrc_signer(db):
    return member(Role.SIGNER, agency_code="ndrc", username="ndrc-head")


@pytest.fixture
def reviewer_factory(db):
    def make(agency_code: str, role: str = Role.REVIEWER):
        return member(role, agency_code=agency_code)

    return make


@pytest.fixture
def auditor(db):
    return member(Role.AUDITOR, agency_code="audit", username="auditor-1")


@pytest.fixture
def expert(db):
    return member(Role.EXPERT, username="expert-1")


@pytest.fixture
def admin_user(db):
    user = member(Role.ADMIN, username="admin-1")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def pytest_collection_modifyitems(config, items):
    """``.ci/run`` runs the suite twice, on SQLite and on PostgreSQL: the second run skips the tests of
    what no database changes (the English crawl reads the translation catalogue, the quiet-rendering test
    WeasyPrint's logging, the login journey the browser), which the first has run: two minutes of a
    twenty-minute budget."""
    from django.conf import settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="the same on every database: run on SQLite")
    for item in items:
        if "same_on_every_database" in item.keywords:
            item.add_marker(skip)
