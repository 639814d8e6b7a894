"""Issuing a 公文: the PDF says what it should, is stored once with its SHA-256, and never changes."""

import hashlib
import json

import pytest
from django.contrib.contenttypes.models import ContentType

from govinfo.audit.models import AuditEvent
from govinfo.audit.trail import timeline
from govinfo.documents.issue import (
    DocumentError,
    Heading,
    canonical_json,
    content_fingerprint,
)
from govinfo.documents.models import DocumentImmutableError, IssuedDocument
from govinfo.documents.rendering import TYPE_AREA_WIDTH_PT, masthead_for
from govinfo.documents.verification import verification_url
from govinfo.orgs.models import Role
from tests.factories import UnitFactory, agency, member

from .samples import BODY_PHRASE, PROJECT_NAME, TITLE, issue_sample, pdf_text

# These read the rendered PDF back: the real renderer, not the test stub.
pytestmark = pytest.mark.documents


def _flat(text: str) -> str:
    # pdftotext breaks lines where the page does; compare without the breaks.
    return "".join(text.split())


def test_r_rev_6_the_pdf_shows_number_title_chinese_body_and_fingerprint(issued):
    text = pdf_text(issued)
    flat = _flat(text)
    assert "四川省发展和改革委员会文件" in text.splitlines()[0]
    assert "川发改审〔2026〕1号" in flat
    assert _flat(TITLE) in flat
    assert "四川省教育厅：" in flat
    assert BODY_PHRASE in flat
    assert "一、建设目标与内容" in flat and "（一）应用系统建设。" in flat and "（1）共享方式。" in flat
    assert issued.content_fingerprint in flat
    assert verification_url(issued) in flat
    # The 附注 (GB/T 9704 7.3.6) carries the verification link and the fingerprint, in parentheses.
    assert f"（本文件可扫描二维码或访问{verification_url(issued)}核验真伪" in flat
    assert "抄送：省财政厅，省委网信办，省大数据中心，省审计厅。" in flat
    assert "2026年11月24日印发" in flat
    assert "— 1 —" in text and "— 2 —" in text


def test_the_date_is_printed_in_arabic_numerals_without_leading_zeros(ndrc, ndrc_signer):
    import datetime as dt

    document = issue_sample(ndrc, ndrc_signer, date=dt.date(2026, 3, 5))
    flat = _flat(pdf_text(document))
    assert "2026年3月5日" in flat
    assert "2026年03月05日" not in flat


def test_the_stored_file_is_the_rendered_pdf_and_its_sha256_is_recorded(issued):
    with issued.pdf.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    assert issued.pdf.name.startswith("documents/2026/") and issued.pdf.name.endswith(".pdf")
    assert "川" not in issued.pdf.name  # the storage path never carries user text


def test_the_printed_fingerprint_is_the_sha256_of_the_canonical_content(issued):
    assert issued.content_fingerprint == hashlib.sha256(canonical_json(issued.content)).hexdigest()
    assert issued.content["doc_number"] == issued.doc_number
    assert issued.content["date"] == "2026-11-24"
    # It identifies what the document says, not the file: different from the file hash.
    assert issued.content_fingerprint != issued.sha256


def test_the_fingerprint_changes_with_any_word_of_the_content(issued):
    altered = json.loads(json.dumps(issued.content))
    block = next(block for block in altered["body"] if "原则同意" in block[1])
    block[1] = block[1].replace("原则同意", "不同意")
    assert content_fingerprint(altered) != issued.content_fingerprint


def test_issuing_records_an_audit_event(issued, ndrc_signer):
    event = timeline(issued).get()
    assert event.action == "documents.document.issued"
    assert event.actor == ndrc_signer
    assert event.details["doc_number"] == "川发改审〔2026〕1号"
    assert event.details["sha256"] == issued.sha256


def test_a_document_points_at_what_it_decides(ndrc, ndrc_signer):
    decided = UnitFactory()  # any model: the review workflow points documents at opinions and projects
    document = issue_sample(ndrc, ndrc_signer, target=decided)
    assert document.target == decided
    assert list(IssuedDocument.objects.for_target(decided)) == [document]
    assert document.target_type == ContentType.objects.get_for_model(decided)


def test_all_four_heading_levels_use_their_fonts(ndrc, ndrc_signer):
    import subprocess

    document = issue_sample(ndrc, ndrc_signer)
    with document.pdf.open("rb") as stored:
        fonts = subprocess.run(["pdffonts", "-"], input=stored.read(), capture_output=True, check=True).stdout
    listing = fonts.decode()
    # Title/标志 Song, body and （一） Kai (仿宋/楷体 fallback), 一、 Hei — every one embedded, no tofu.
    assert "SungtiL" in listing and "KaitiM" in listing and "WenQuanYi" in listing
    assert all(line.split()[-5] == "yes" for line in listing.splitlines()[2:])


def test_the_masthead_of_a_long_agency_name_stays_on_one_line(ndrc_signer):
    cyberspace = agency("cyberspace")
    signer = member(Role.SIGNER, agency_code="cyberspace")
    document = issue_sample(
        cyberspace, signer, kind=IssuedDocument.Kind.OPINION, title="关于XX项目的信息安全审核意见书"
    )
    first_line = pdf_text(document).splitlines()[0].strip()
    assert first_line == "中共四川省委网络安全和信息化委员会办公室文件"
    assert document.doc_number == "川网信审〔2026〕1号"


@pytest.mark.parametrize(
    "text", ["四川省财政厅文件", "四川省发展和改革委员会文件", "中共四川省委网络安全和信息化委员会办公室文件"]
)
def test_the_masthead_is_condensed_to_fit_the_type_area(text):
    masthead = masthead_for(text)
    assert masthead.width * masthead.scale <= TYPE_AREA_WIDTH_PT
    assert 0.6 <= masthead.scale <= 1


def test_a_heading_level_outside_one_to_four_is_refused(ndrc, ndrc_signer):
    with pytest.raises(DocumentError, match="标题层级"):
        issue_sample(ndrc, ndrc_signer, body=[Heading(5, "（一）1）")])
    assert not IssuedDocument.objects.exists()


def test_an_empty_body_is_refused(ndrc, ndrc_signer):
    with pytest.raises(DocumentError, match="正文不能为空"):
        issue_sample(ndrc, ndrc_signer, body=["  "])


class TestAnIssuedDocumentCannotBeModified:
    def test_saving_a_changed_field_raises(self, issued):
        issued.title = "关于另一个项目的批复"
        with pytest.raises(DocumentImmutableError):
            issued.save()
        issued.refresh_from_db()
        assert issued.title == TITLE

    def test_the_pdf_and_its_hash_cannot_be_replaced(self, issued):
        original = (issued.pdf.name, issued.sha256)
        issued.pdf.name = "documents/2026/forged.pdf"
        issued.sha256 = "0" * 64
        with pytest.raises(DocumentImmutableError):
            issued.save()
        issued.refresh_from_db()
        assert (issued.pdf.name, issued.sha256) == original

    def test_queryset_update_raises(self, issued):
        with pytest.raises(DocumentImmutableError):
            IssuedDocument.objects.filter(pk=issued.pk).update(project_name="改过的名称")
        issued.refresh_from_db()
        assert issued.project_name == PROJECT_NAME

    def test_delete_raises(self, issued):
        with pytest.raises(DocumentImmutableError):
            issued.delete()
        with pytest.raises(DocumentImmutableError):
            IssuedDocument.objects.filter(pk=issued.pk).delete()
        assert IssuedDocument.objects.filter(pk=issued.pk).exists()

    def test_saving_unchanged_is_harmless(self, issued):
        issued.save()
        assert AuditEvent.objects.filter(action="documents.document.issued").count() == 1
