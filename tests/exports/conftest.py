import pytest

from tests.catalogue.factories import bigdata_member


@pytest.fixture
def bigdata(db):
    return bigdata_member("bigdata-1")
