"""The catalogue list costs the same number of queries for 10 and for 200 resources (STYLE habit 10)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import DataItem, Resource
from tests.factories import UnitFactory

from .factories import resource_data


def _bulk_published(count, applicant, start=0):
    units = [UnitFactory() for _ in range(5)]
    resources = Resource.objects.bulk_create(
        [
            Resource(
                provider=units[i % 5],
                created_by=applicant,
                state=Resource.State.PUBLISHED,
                published_on=timezone.localdate(),
                **resource_data(code=f"111112001/{9000 + start + i}"),
            )
            for i in range(count)
        ]
    )
    DataItem.objects.bulk_create(
        [
            DataItem(resource=r, name=name, normalized_name=name, data_type="string")
            for r in resources
            for name in ("姓名", "身份证号码", "住址")
        ]
    )


def _queries(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("catalogue:list"), params)
    assert response.status_code == 200
    return len(captured), response


def test_list_queries_do_not_grow_with_resources(client, applicant, django_assert_max_num_queries):
    client.force_login(applicant)
    _bulk_published(10, applicant)
    small, response = _queries(client)
    assert len(response.context["page"].object_list) == 10
    _bulk_published(190, applicant, start=10)
    with django_assert_max_num_queries(small):
        large, response = _queries(client)
    page = response.context["page"]
    assert page.has_next and len(page.object_list) == 20
    # With filters the page is still a fixed number of queries.
    with django_assert_max_num_queries(small):
        _queries(client, item="身份证", share_type="conditional")
