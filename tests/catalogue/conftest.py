import pytest

from .factories import bigdata_member, make_resource


@pytest.fixture
def bigdata(db):
    return bigdata_member("bigdata-1")


@pytest.fixture
def draft(unit, applicant):
    return make_resource(unit, applicant)


@pytest.fixture
def published(unit, applicant, bigdata):
    return make_resource(unit, applicant, state="published", publisher=bigdata)


@pytest.fixture
def third_applicant(db):
    from govinfo.orgs.models import Role
    from tests.factories import UnitFactory, member

    return member(Role.APPLICANT, unit=UnitFactory(name="四川省民政厅"), username="clerk-c")


@pytest.fixture
def ndrc_reviewer(reviewer_factory):
    return reviewer_factory("ndrc")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
