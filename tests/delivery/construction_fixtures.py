"""Fixtures of the filing, construction, change and supervision tests, imported by their modules (not a
conftest: the acceptance tests beside them keep their own)."""

import pytest

from govinfo.orgs.models import Role
from tests.factories import member


@pytest.fixture
def signers(db, ndrc_signer):
    """The signer of each default reviewing agency (signers also review, as in the demo)."""
    people = {"ndrc": ndrc_signer}
    for code in ["finance", "cyberspace", "bigdata", "crypto", "secrecy", "police", "econit"]:
        people[code] = member(Role.SIGNER, agency_code=code, username=f"{code}-head")
    return people


@pytest.fixture
def bigdata(signers):
    return signers["bigdata"]


@pytest.fixture
def ndrc_reviewer(db):
    return member(Role.REVIEWER, agency_code="ndrc", username="ndrc-clerk")


@pytest.fixture
def building(unit, applicant, signers):
    """A one-step project of ``unit``, 1500万元, approved, filed (12 months) and in construction."""
    from .construction_factories import in_construction

    return in_construction(unit, applicant, signers)


@pytest.fixture
def roles_of(applicant, other_applicant, signers, ndrc_reviewer, auditor, expert, admin_user):
    """Everyone by role, for the tests of who may not."""
    return {
        "unit": applicant,
        "other unit": other_applicant,
        "ndrc signer": signers["ndrc"],
        "ndrc reviewer": ndrc_reviewer,
        "finance": signers["finance"],
        "bigdata": signers["bigdata"],
        "cyberspace": signers["cyberspace"],
        "auditor": auditor,
        "expert": expert,
        "admin": admin_user,
    }
