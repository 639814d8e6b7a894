"""Twenty people act at once (R-REV-2, R-REV-3, R-REV-6): one succeeds, the others get a clear conflict,
and the 发文字号 sequence has neither a duplicate nor a gap. Threads with their own connections, as in
tests/documents/test_numbering.py: PostgreSQL orders them by the project row lock, SQLite by its write lock."""

import threading

import pytest
from django.db import connection

from approvals import services
from approvals.models import IssuedDocument, Opinion
from govinfo.orgs.agencies import ARTICLE_22_AGENCIES
from govinfo.orgs.models import Role
from projects.guards import Conflict
from projects.models import Project, State
from tests.factories import UnitFactory, member

from .review_factories import draft, in_review, ready_for_decision

ATTEMPTS = 20
pytestmark = pytest.mark.django_db(transaction=True)


def _people():
    unit = UnitFactory(name="四川省并发测试厅")
    clerk = member(Role.APPLICANT, unit=unit)
    signers = {code: member(Role.SIGNER, agency_code=code) for code in ["ndrc", *ARTICLE_22_AGENCIES]}
    return unit, clerk, signers


def _race(action) -> tuple[list, list[BaseException]]:
    start = threading.Barrier(ATTEMPTS)
    results, failures = [], []
    lock = threading.Lock()

    def attempt():
        try:
            start.wait()
            result = action()
            with lock:
                results.append(result)
        except BaseException as exc:  # every outcome is reported
            with lock:
                failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, failures


def test_r_rev_2_r_rev_6_twenty_signatures_of_one_opinion_sign_it_once():
    unit, clerk, signers = _people()
    project = in_review(unit, clerk, signers["ndrc"])
    opinion = draft(project, "finance", signers["finance"])

    results, failures = _race(
        lambda: services.sign_opinion(Opinion.objects.get(pk=opinion.pk), by=signers["finance"])
    )

    assert len(results) == 1
    assert len(failures) == ATTEMPTS - 1 and all(isinstance(f, Conflict) for f in failures), failures
    assert all("已由" in f.message and "签署" in f.message for f in failures)
    documents = IssuedDocument.objects.filter(agency__code="finance")
    assert list(documents.values_list("number", flat=True)) == [1]
    assert Opinion.objects.get(pk=opinion.pk).document == documents.get()


def test_r_rev_3_r_rev_6_twenty_approvals_of_one_project_issue_one_approval():
    unit, clerk, signers = _people()
    project = in_review(unit, clerk, signers["ndrc"])
    ready_for_decision(project, signers)
    assert project.state == State.EVALUATION
    # NDRC writes no opinion of its own (R-REV-1): the 批复 must be 川发改审 number 1, once.

    results, failures = _race(
        lambda: services.approve(Project.objects.get(pk=project.pk), by=signers["ndrc"])
    )

    assert len(results) == 1
    assert len(failures) == ATTEMPTS - 1 and all(isinstance(f, Conflict) for f in failures), failures
    assert all("已被他人处理" in f.message for f in failures)
    approvals = IssuedDocument.objects.filter(kind=IssuedDocument.Kind.APPROVAL)
    assert approvals.count() == 1
    ndrc_numbers = IssuedDocument.objects.filter(agency__code="ndrc").order_by("number")
    assert list(ndrc_numbers.values_list("number", flat=True)) == [1]
    assert Project.objects.get(pk=project.pk).state == State.APPROVED
