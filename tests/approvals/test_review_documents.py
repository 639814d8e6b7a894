"""The issued 批复 and 审核意见书 read as documents: number, title, Chinese body and fingerprint."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals import services
from approvals.models import Conclusion
from govinfo.documents.verification import find_by_file
from tests.documents.samples import pdf_text

from .review_factories import evaluate, ready_for_decision, sign, sign_all

# These read the rendered PDF back: the real renderer, not the test stub.
pytestmark = pytest.mark.documents


def _flat(text: str) -> str:
    return "".join(text.split())


def test_r_rev_6_the_issued_approval_pdf_shows_number_title_body_and_fingerprint(reviewing, signers):
    sign_all(reviewing, signers)
    sign(
        reviewing,
        "finance",
        signers["finance"],
        Conclusion.AGREE_WITH_CHANGES,
        "运维经费纳入年度部门预算统筹保障。",
    )
    evaluate(reviewing, signers["ndrc"])
    reviewing.refresh_from_db()
    document = services.approve(reviewing, by=signers["ndrc"])
    text = _flat(pdf_text(document))
    assert _flat(document.doc_number) in text
    assert "关于《四川省测试业务系统实施方案》的批复" in text
    assert "一、建设内容" in text and "二、总投资及资金来源" in text
    assert "项目总投资1,500.00万元" in text
    assert "运维经费纳入年度部门预算统筹保障。" in text
    assert (
        "抄送：省委网信办，省保密局，省密码管理局，省经济和信息化厅，省公安厅，省财政厅，省大数据中心。"
        in text
    )
    assert document.content_fingerprint in text


def test_r_rev_2_the_opinion_document_states_the_conclusion_and_the_signing_agency(reviewing, signers):
    opinion = sign(reviewing, "cyberspace", signers["cyberspace"], Conclusion.DISAGREE)
    text = _flat(pdf_text(opinion.document))
    assert _flat(opinion.document.doc_number) in text
    assert "关于《四川省测试业务系统实施方案》的信息安全审核意见" in text
    assert "一、审核结论不同意。" in text
    assert "中共四川省委网络安全和信息化委员会办公室" in text


def test_the_downloaded_approval_verifies_as_genuine(client, reviewing, signers, applicant):
    ready_for_decision(reviewing, signers)
    document = services.approve(reviewing, by=signers["ndrc"])
    client.force_login(applicant)
    response = client.get(reverse("documents:download", args=[document.pk]))
    data = b"".join(response.streaming_content)
    assert find_by_file(SimpleUploadedFile("批复.pdf", data)) == document
    verified = client.post(reverse("documents:verify"), {"file": SimpleUploadedFile("批复.pdf", data)})
    assert "真实有效" in verified.content.decode()


def test_a_long_title_breaks_between_terms_not_inside_them():
    from govinfo.documents.rendering import title_lines

    assert title_lines("关于《四川省医疗机构电子证照应用实施方案》的批复") == [
        "关于《四川省医疗机构电子证照应用",
        "实施方案》的批复",
    ]
    assert title_lines("关于《四川省测试业务系统实施方案》的批复") == [
        "关于《四川省测试业务系统实施方案》的批复"
    ]
