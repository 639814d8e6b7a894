import subprocess

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


def pdf_text(document) -> str:
    """The text of an issued document's stored PDF, as poppler's pdftotext extracts it."""
    with document.pdf.open("rb") as stored:
        data = stored.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


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
