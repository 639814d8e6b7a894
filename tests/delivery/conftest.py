import pytest

from govinfo.orgs.models import Role
from tests.factories import member

from .factories import approved, into_construction


@pytest.fixture
def signers(db, ndrc_signer):
    """NDRC's signer and the signer of each of the seven reviewing agencies of 第二十二条."""
    from govinfo.orgs.agencies import ARTICLE_22_AGENCIES

    people = {"ndrc": ndrc_signer}
    for code in ARTICLE_22_AGENCIES:
        people[code] = member(Role.SIGNER, agency_code=code, username=f"{code}-head")
    return people


@pytest.fixture
def people(signers, applicant, other_applicant, auditor, expert, admin_user):
    """One person per role, for the "who may not" tests."""
    return {
        "unit": applicant,
        "other_unit": other_applicant,
        "ndrc": signers["ndrc"],
        "ndrc_reviewer": member(Role.REVIEWER, agency_code="ndrc", username="ndrc-clerk"),
        "finance": signers["finance"],
        "cyberspace": signers["cyberspace"],
        "bigdata": signers["bigdata"],
        "auditor": auditor,
        "expert": expert,
        "admin": admin_user,
    }


@pytest.fixture
def building(unit, applicant, signers):
    """An approved project of ``unit`` in construction (see factories.into_construction)."""
    project = approved(unit, applicant, signers)
    return into_construction(project, filer=signers["bigdata"], builder=applicant)
