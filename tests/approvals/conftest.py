import pytest


@pytest.fixture
def signers(db, ndrc_signer):
    """The signer of each default reviewing agency (signers also review, as in the demo)."""
    from govinfo.orgs.models import Role
    from tests.factories import member

    people = {"ndrc": ndrc_signer}
    for code in ["finance", "cyberspace", "bigdata", "crypto"]:
        people[code] = member(Role.SIGNER, agency_code=code, username=f"{code}-head")
    return people


@pytest.fixture
def reviewing(unit, applicant, signers):
    """A one-step project of ``unit`` accepted into review by NDRC (round 1 open)."""
    from .review_factories import in_review

    return in_review(unit, applicant, signers["ndrc"])
