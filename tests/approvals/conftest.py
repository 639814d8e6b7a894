import pytest


@pytest.fixture
def signers(db, ndrc_signer):
    """NDRC's signer and the signer of each of the seven reviewing agencies of 第二十二条 (signers also
    review, as in the demo)."""
    from govinfo.orgs.agencies import ARTICLE_22_AGENCIES
    from govinfo.orgs.models import Role
    from tests.factories import member, optional_agency

    people = {"ndrc": ndrc_signer}
    for code in ARTICLE_22_AGENCIES:
        people[code] = member(Role.SIGNER, agency_code=code, username=f"{code}-head")
    optional_agency()
    people["stats"] = member(Role.SIGNER, agency_code="stats", username="stats-head")
    return people


@pytest.fixture
def reviewing(unit, applicant, signers):
    """A one-step project of ``unit`` accepted into review by NDRC (round 1 open)."""
    from .review_factories import in_review

    return in_review(unit, applicant, signers["ndrc"])
