import pytest

from tests.factories import agency

from .samples import issue_sample


@pytest.fixture
def ndrc(db):
    return agency("ndrc")


@pytest.fixture
def issued(ndrc, ndrc_signer):
    """One issued two-page 批复 of 省发展改革委."""
    return issue_sample(ndrc, ndrc_signer)
