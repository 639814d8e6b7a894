"""Two people acting on one case at the same moment, on real connections in two threads."""

import threading

import pytest
from django.db import connection

from projects import services
from projects.guards import Conflict
from projects.models import Project, State
from tests.factories import agency

from .factories import accept, complete, return_for_revision

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*actions):
    """Start the actions at the same moment, each on its own database connection; return outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def worker(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as exc:  # the outcome under test, kept for the assertion
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_accept_and_return_at_once_one_wins_the_other_gets_a_conflict(unit, applicant, ndrc_signer):
    project = services.submit(complete(unit, applicant), by=applicant)
    first, second = Project.objects.get(pk=project.pk), Project.objects.get(pk=project.pk)
    outcomes = run_together(
        lambda: accept(first, by=ndrc_signer),
        lambda: return_for_revision(second, by=ndrc_signer, reason="退回"),
    )
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    winners = [o for o in outcomes if isinstance(o, Project)]
    assert len(conflicts) == 1 and len(winners) == 1, outcomes
    assert "项目已被他人处理" in conflicts[0].message
    assert Project.objects.get(pk=project.pk).state in (State.IN_REVIEW, State.RETURNED)


def test_codes_issued_at_once_are_unique_and_gap_free(unit, applicant):
    agency("ndrc")  # transactional tests flush the seeded agencies; submission grants NDRC its view
    drafts = [complete(unit, applicant, name=f"并发项目{n}") for n in range(4)]
    outcomes = run_together(*[lambda p=p: services.submit(p, by=applicant) for p in drafts])
    assert all(isinstance(o, Project) for o in outcomes), outcomes
    numbers = sorted(int(code[-4:]) for code in Project.objects.values_list("code", flat=True))
    assert numbers == [1, 2, 3, 4]
