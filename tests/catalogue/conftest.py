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
