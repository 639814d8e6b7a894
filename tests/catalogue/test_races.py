"""Many requests for the same thing at the same moment, each on its own database connection.

Main let 20 threads file 17 pending share requests of one unit for one resource (R-CAT-3 allows one),
and 8 concurrent creates of a resource with one code answered five HTTP 500s (IntegrityError).
Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://…).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from catalogue import services
from catalogue.models import ConflictKey, Resource, ShareRequest
from govinfo.errors import Refused
from govinfo.orgs.models import Role
from tests.factories import UnitFactory, member

from .factories import make_resource, resource_data
from .test_views import _form_payload

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 20
HTTP_THREADS = 8


def run_together(count: int, action) -> list:
    """``action(i)`` in ``count`` threads released at once; each outcome (result or exception) in order."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def worker(index):
        try:
            barrier.wait()
            outcomes[index] = action(index)
        except BaseException as exc:  # the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_r_cat_3_twenty_concurrent_requests_of_one_unit_make_one_pending_request(
    published, other_unit, other_applicant
):
    resource = Resource.objects.get(pk=published.pk)
    outcomes = run_together(
        THREADS,
        lambda i: services.request_share(resource, unit=other_unit, by=other_applicant, purpose=f"用途{i}"),
    )
    made = [o for o in outcomes if isinstance(o, ShareRequest)]
    refused = [o for o in outcomes if isinstance(o, Refused)]
    assert len(made) == 1 and len(refused) == THREADS - 1, outcomes
    assert all("已有该资源的待答复或已获同意的共享申请" in r.message for r in refused)
    assert ShareRequest.objects.filter(resource=resource, requester=other_unit).count() == 1


def test_r_cat_3_concurrent_requests_over_http_answer_no_500_and_make_one_request(
    published, other_unit, other_applicant
):
    clients = []
    for _ in range(HTTP_THREADS):
        client = Client()
        client.force_login(other_applicant)
        clients.append(client)
    address = reverse("catalogue:request_create", args=[published.pk])
    outcomes = run_together(
        HTTP_THREADS,
        lambda i: clients[i].post(address, {"unit": other_unit.pk, "purpose": f"核验学籍{i}"}).status_code,
    )
    assert all(status in (200, 302) for status in outcomes), outcomes
    assert ShareRequest.objects.filter(resource=published, requester=other_unit).count() == 1


def test_a_second_request_after_a_refusal_is_still_possible(
    published, other_unit, other_applicant, applicant
):
    first = services.request_share(published, unit=other_unit, by=other_applicant, purpose="第一次")
    services.answer_share_request(first, by=applicant, approve=False, text="用途不明")
    again = services.request_share(published, unit=other_unit, by=other_applicant, purpose="第二次")
    assert again.is_pending and ShareRequest.objects.filter(requester=other_unit).count() == 2


def test_concurrent_creates_with_one_code_answer_a_form_error_not_a_500(unit, applicant):
    clients = []
    for _ in range(HTTP_THREADS):
        client = Client()
        client.force_login(applicant)
        clients.append(client)

    def create(i):
        payload = _form_payload(name=f"并发资源{i}", code="111112001/0777") | {"provider": unit.pk}
        response = clients[i].post(reverse("catalogue:create"), payload)
        return response

    outcomes = run_together(HTTP_THREADS, create)
    statuses = [getattr(o, "status_code", o) for o in outcomes]
    assert statuses.count(302) == 1 and statuses.count(200) == HTTP_THREADS - 1, statuses
    for response in outcomes:
        if response.status_code == 200:
            assert response.context["form"].errors["code"], response.context["form"].errors
    assert Resource.objects.filter(code="111112001/0777").count() == 1


def test_twenty_concurrent_service_creates_with_one_code_make_one_resource(unit, applicant):
    outcomes = run_together(
        THREADS,
        lambda i: services.create_resource(
            unit=unit, by=applicant, data=resource_data(name=f"资源{i}", code="111112001/0778")
        ),
    )
    made = [o for o in outcomes if isinstance(o, Resource)]
    invalid = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(made) == 1 and len(invalid) == THREADS - 1, outcomes
    assert all("code" in error.message_dict for error in invalid)


def test_r_cat_1_resources_published_at_once_with_the_same_item_are_all_counted(bigdata):
    """一数一源: each publication recounts the item's sources; run together, none may miss the others."""
    item = [{"name": "不动产单元号", "data_type": "string"}]
    waiting = []
    for n in range(6):
        clerk = member(Role.APPLICANT, unit=UnitFactory(name=f"四川省并发厅{n}"), username=f"race-{n}")
        waiting.append(make_resource(clerk.memberships.get().unit, clerk, state="submitted", items=item))
    outcomes = run_together(len(waiting), lambda i: services.publish_resource(waiting[i], by=bigdata))
    published = Resource.objects.filter(state=Resource.State.PUBLISHED).count()
    assert published >= 2, outcomes
    (key,) = ConflictKey.objects.all()
    assert (key.normalized_name, key.providers, key.sources) == ("不动产单元号", published, published)
