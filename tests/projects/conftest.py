import pytest

from govinfo.orgs.models import Role
from tests.factories import member

from .factories import complete, draft


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def project(unit, applicant):
    return draft(unit, applicant)


@pytest.fixture
def ready_project(unit, applicant):
    return complete(unit, applicant)


@pytest.fixture
def ndrc_reviewer(db):
    return member(Role.REVIEWER, agency_code="ndrc", username="ndrc-clerk")


@pytest.fixture
def finance_reviewer(db):
    return member(Role.REVIEWER, agency_code="finance", username="finance-clerk")
