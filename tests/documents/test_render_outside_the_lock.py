"""A long render holds no write lock (documents/prerender.py).

On main a 250,000-character opinion took 10.1 s to sign while a login waited 9.2 s behind SQLite's write
lock (at 650,000 characters the login got "database is locked"). Here the render is a stub that takes
``RENDER_SECONDS``; a login during it must not wait for it, and the document must still carry its number.
"""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from approvals import services
from approvals.models import IssuedDocument, Opinion
from govinfo.documents import rendering
from govinfo.documents.issue import Heading, issue_document
from govinfo.orgs.models import Agency, Role
from tests.approvals.review_factories import draft, in_review
from tests.conftest import _stub_html_to_pdf
from tests.factories import PASSWORD, UnitFactory, member

pytestmark = pytest.mark.django_db(transaction=True)
RENDER_SECONDS = 3.0


@pytest.fixture
def case():
    unit = UnitFactory(name="四川省锁等待测试厅")
    clerk = member(Role.APPLICANT, unit=unit, username="clerk-waiting")
    signers = {
        code: member(Role.SIGNER, agency_code=code) for code in ["ndrc", "finance", "cyberspace", "bigdata"]
    }
    project = in_review(unit, clerk, signers["ndrc"])
    opinion = draft(project, "finance", signers["finance"], text="经审核，同意。" * 700)
    return clerk, signers["finance"], opinion


@pytest.fixture
def slow_renderer(monkeypatch):
    started = threading.Event()
    htmls: list[str] = []

    def render(html: str) -> bytes:
        htmls.append(html)
        started.set()
        time.sleep(RENDER_SECONDS)
        return _stub_html_to_pdf(html)

    monkeypatch.setattr(rendering, "html_to_pdf", render)
    return started, htmls


def _in_thread(action):
    outcome = {}

    def run():
        try:
            outcome["result"] = action()
        except BaseException as exc:  # reported to the test
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_login_during_a_long_signature_render_neither_waits_for_it_nor_fails(case, slow_renderer):
    clerk, signer, opinion = case
    started, htmls = slow_renderer
    thread, outcome = _in_thread(lambda: services.sign_opinion(Opinion.objects.get(pk=opinion.pk), by=signer))
    assert started.wait(30), outcome

    began = time.monotonic()
    response = Client().post("/accounts/login/", {"username": clerk.username, "password": PASSWORD})
    waited = time.monotonic() - began
    thread.join(60)

    assert response.status_code == 302, response.status_code
    assert waited < RENDER_SECONDS / 2, f"the login waited {waited:.1f} s for the render"
    assert "error" not in outcome, outcome.get("error")
    signed = Opinion.objects.select_related("document").get(pk=opinion.pk)
    assert signed.is_signed and len(htmls) == 1  # rendered once, outside the transaction
    document = signed.document
    # The page printed before the transaction carries the number and the link the row records.
    assert document.doc_number in htmls[0] and document.verification_token in htmls[0]
    assert document.content["doc_number"] == document.doc_number


def test_a_number_taken_while_rendering_is_rendered_again_with_the_right_number(case, monkeypatch):
    clerk, signer, opinion = case
    finance = Agency.objects.get(code="finance")
    htmls: list[str] = []

    def render(html: str) -> bytes:
        htmls.append(html)
        if len(htmls) == 1:  # someone else issues a finance document while the first render runs
            thread, outcome = _in_thread(
                lambda: issue_document(
                    kind=IssuedDocument.Kind.OPINION,
                    agency=finance,
                    title="关于另一项目的审核意见",
                    addressee="四川省发展和改革委员会",
                    body=[Heading(1, "一、意见"), "同意。"],
                    signer_agency_name=finance.name,
                    date=timezone.localdate(),
                    issued_by=signer,
                )
            )
            thread.join(30)
            assert "error" not in outcome, outcome.get("error")
        return _stub_html_to_pdf(html)

    monkeypatch.setattr(rendering, "html_to_pdf", render)
    services.sign_opinion(Opinion.objects.get(pk=opinion.pk), by=signer)

    document = Opinion.objects.get(pk=opinion.pk).document
    assert document.number == 2
    assert document.doc_number in htmls[-1] and document.doc_number not in htmls[0]
    assert sorted(IssuedDocument.objects.filter(agency=finance).values_list("number", flat=True)) == [1, 2]
