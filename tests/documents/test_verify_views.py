"""The public verification page: a record anyone with the link may see, and a byte-for-byte check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .samples import BODY_PHRASE, PROJECT_CODE, PROJECT_NAME, TITLE

# Genuine files are the real renderer's output, not the test stub's.
pytestmark = pytest.mark.documents


def _stored_bytes(document) -> bytes:
    with document.pdf.open("rb") as stored:
        return stored.read()


def _upload(data: bytes, name: str = "批复.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _verify_url(document) -> str:
    return reverse("documents:verify_document", args=[document.verification_token])


def test_anyone_sees_the_public_record_without_logging_in(client, issued):
    response = client.get(_verify_url(issued))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "川发改审〔2026〕1号",
        TITLE,
        "四川省发展和改革委员会",
        "2026年11月24日",
        PROJECT_CODE,
        PROJECT_NAME,
        issued.content_fingerprint,
    ):
        assert shown in page


def test_the_public_record_shows_nothing_of_the_body_or_the_parties(client, issued):
    page = client.get(_verify_url(issued)).content.decode()
    assert BODY_PHRASE not in page
    assert "省审计厅" not in page  # 抄送
    assert "download" not in page


def test_the_printed_verification_url_is_the_page_the_qr_code_opens(client, issued, settings):
    assert issued.content and settings.SITE_URL
    from govinfo.documents.verification import verification_url

    assert verification_url(issued) == settings.SITE_URL + _verify_url(issued)


def test_an_unknown_token_is_not_found(client, issued):
    assert client.get(reverse("documents:verify_document", args=["no-such-token"])).status_code == 404


def test_the_issued_file_is_genuine(client, issued):
    response = client.post(_verify_url(issued), {"file": _upload(_stored_bytes(issued))})
    assert response.status_code == 200
    assert "真实有效" in response.content.decode()
    assert "与签发文件不一致" not in response.content.decode()


def test_a_modified_file_is_not_genuine(client, issued):
    data = bytearray(_stored_bytes(issued))
    data[-20] ^= 0x01  # one bit flipped
    response = client.post(_verify_url(issued), {"file": _upload(bytes(data))})
    assert "与签发文件不一致" in response.content.decode()
    assert "真实有效" not in response.content.decode()


def test_another_issued_document_is_not_this_one(client, issued, ndrc, ndrc_signer):
    from .samples import issue_sample

    other = issue_sample(ndrc, ndrc_signer)
    response = client.post(_verify_url(issued), {"file": _upload(_stored_bytes(other))})
    assert "与签发文件不一致" in response.content.decode()


def test_a_file_that_is_not_a_pdf_gets_an_error_next_to_the_field(client, issued):
    response = client.post(_verify_url(issued), {"file": _upload(b"hello", name="notes.txt")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "这不是 PDF 文件" in page and "field-error" in page
    assert "真实有效" not in page and "与签发文件不一致" not in page


def test_the_upload_form_finds_the_document_by_its_hash(client, issued):
    assert client.get(reverse("documents:verify")).status_code == 200
    response = client.post(reverse("documents:verify"), {"file": _upload(_stored_bytes(issued))})
    page = response.content.decode()
    assert "真实有效" in page
    assert "川发改审〔2026〕1号" in page and TITLE in page


def test_the_upload_form_says_an_unknown_file_is_not_genuine(client, issued):
    data = _stored_bytes(issued) + b"\n% appended\n"
    page = client.post(reverse("documents:verify"), {"file": _upload(data)}).content.decode()
    assert "与签发文件不一致" in page
    assert "川发改审〔2026〕1号" not in page
