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
