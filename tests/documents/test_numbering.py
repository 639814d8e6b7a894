"""发文字号 (R-REV-6): one sequence per issuing agency and year, no gap, no duplicate."""

import datetime as dt
import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection, transaction

from govinfo.documents import issue, rendering
from govinfo.documents.models import DocumentCounter, IssuedDocument
from govinfo.documents.numbering import format_doc_number, next_number
from govinfo.orgs.models import Role
from tests.factories import agency, member

from .samples import issue_sample


def test_r_rev_6_number_format_has_hexagonal_brackets_full_year_no_leading_zero():
    assert format_doc_number("川发改审", 2026, 12) == "川发改审〔2026〕12号"
    assert format_doc_number("川财审", 2027, 1) == "川财审〔2027〕1号"


def test_r_rev_6_number_starts_at_one():
    with pytest.raises(ValueError):
        format_doc_number("川发改审", 2026, 0)


@pytest.mark.django_db(transaction=True)
def test_r_rev_6_next_number_refuses_to_run_outside_a_transaction():
    # Outside a transaction the increment would commit on its own: a later failure would leave a gap.
    with pytest.raises(RuntimeError):
        next_number(agency("ndrc"), 2026)
    assert not DocumentCounter.objects.exists()


def test_r_rev_6_documents_are_numbered_one_after_another(ndrc, ndrc_signer):
    numbers = [issue_sample(ndrc, ndrc_signer).doc_number for _ in range(3)]
    assert numbers == ["川发改审〔2026〕1号", "川发改审〔2026〕2号", "川发改审〔2026〕3号"]


def test_r_rev_6_a_rolled_back_issue_leaves_no_gap(ndrc, ndrc_signer):
    issue_sample(ndrc, ndrc_signer)
    with pytest.raises(RuntimeError), transaction.atomic():
        issue_sample(ndrc, ndrc_signer)
        raise RuntimeError("the caller's decision failed after the document was issued")
    assert issue_sample(ndrc, ndrc_signer).number == 2
    assert list(IssuedDocument.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_r_rev_6_a_failed_render_uses_no_number(ndrc, ndrc_signer, monkeypatch):
    def broken(html):
        raise OSError("renderer crashed")

    monkeypatch.setattr(rendering, "html_to_pdf", broken)
    with pytest.raises(OSError):
        issue_sample(ndrc, ndrc_signer)
    monkeypatch.undo()
    assert issue_sample(ndrc, ndrc_signer).number == 1


def _stored_files() -> set[str]:
    if not default_storage.exists("documents/2026"):
        return set()
    return set(default_storage.listdir("documents/2026")[1])


def test_r_rev_6_a_failure_after_storing_removes_the_file(ndrc, ndrc_signer, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    before = _stored_files()
    monkeypatch.setattr(issue, "record", refuse)
    with pytest.raises(RuntimeError):
        issue_sample(ndrc, ndrc_signer)
    assert _stored_files() == before
    assert not IssuedDocument.objects.exists()
    monkeypatch.undo()
    assert issue_sample(ndrc, ndrc_signer).number == 1


def test_r_rev_6_each_agency_has_its_own_sequence(ndrc, ndrc_signer):
    finance = agency("finance")
    finance_signer = member(Role.SIGNER, agency_code="finance")
    issue_sample(ndrc, ndrc_signer)
    issue_sample(ndrc, ndrc_signer)
    first_of_finance = issue_sample(finance, finance_signer)
    assert first_of_finance.doc_number == "川财审〔2026〕1号"
    assert issue_sample(ndrc, ndrc_signer).doc_number == "川发改审〔2026〕3号"


def test_r_rev_6_each_year_starts_again_at_one(ndrc, ndrc_signer):
    issue_sample(ndrc, ndrc_signer, date=dt.date(2026, 12, 31))
    issue_sample(ndrc, ndrc_signer, date=dt.date(2026, 12, 31))
    new_year = issue_sample(ndrc, ndrc_signer, date=dt.date(2027, 1, 4))
    assert new_year.doc_number == "川发改审〔2027〕1号"
    assert dict(DocumentCounter.objects.filter(agency=ndrc).values_list("year", "last_number")) == {
        2026: 2,
        2027: 1,
    }


def test_r_rev_6_an_agency_without_a_prefix_cannot_issue(ndrc_signer):
    audit_office = agency("audit")
    with pytest.raises(issue.DocumentError, match="发文字号前缀"):
        issue_sample(audit_office, ndrc_signer)
    assert not DocumentCounter.objects.exists()


CONCURRENT_ISSUES = 20


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("counter_exists", [False, True], ids=["first-of-the-year", "counter-row-exists"])
def test_r_rev_6_twenty_concurrent_issues_get_one_to_twenty(counter_exists):
    """20 threads, each with its own database connection, issue at once: numbers 1..20, none twice.

    PostgreSQL: the counter row lock orders them (both when the year's counter row must first be
    created and when it exists). SQLite: writers are serialised (BEGIN IMMEDIATE and a 20 s busy
    timeout in settings), so the same must hold there.
    """
    ndrc = agency("ndrc")
    signer = member(Role.SIGNER, agency_code="ndrc", username="ndrc-concurrent")
    if counter_exists:
        DocumentCounter.objects.create(agency=ndrc, year=2026, last_number=0)
    start = threading.Barrier(CONCURRENT_ISSUES)
    numbers: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def issue_one():
        try:
            start.wait()
            document = issue_sample(ndrc, signer)
            with lock:
                numbers.append(document.doc_number)
        except BaseException as exc:  # the test reports every failure, not only the first
            with lock:
                failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_one) for _ in range(CONCURRENT_ISSUES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    expected = [f"川发改审〔2026〕{n}号" for n in range(1, CONCURRENT_ISSUES + 1)]
    assert sorted(numbers, key=lambda text: int(text.split("〕")[1][:-1])) == expected
    stored = IssuedDocument.objects.filter(agency=ndrc).order_by("number")
    assert list(stored.values_list("number", flat=True)) == list(range(1, CONCURRENT_ISSUES + 1))
    assert DocumentCounter.objects.get(agency=ndrc, year=2026).last_number == CONCURRENT_ISSUES
