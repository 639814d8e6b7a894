"""The sharing violations R-APP-4 reads (R-CAT-1, R-CAT-3, R-CAT-4)."""

import datetime as dt

import pytest
from django.utils import timezone

from catalogue import links, services
from catalogue.compliance import sharing_violations
from catalogue.links import ProjectRef
from catalogue.models import Feedback, ShareRequest, ShareType

from .factories import make_resource

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def test_a_unit_with_nothing_outstanding_has_no_violations(published, unit):
    assert sharing_violations(unit) == []


def test_r_cat_3_an_overdue_unanswered_request_is_a_violation_of_the_provider(
    published, unit, other_unit, other_applicant
):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    assert sharing_violations(unit) == []
    ShareRequest.objects.filter(pk=req.pk).update(due_date=YESTERDAY)
    (violation,) = sharing_violations(unit)
    assert violation.kind == "overdue_request" and violation.rule == "R-CAT-3"
    assert "第三十三条" in violation.message and "10个工作日" in violation.message
    assert violation.url == f"/catalogue/requests/{req.pk}/"
    assert sharing_violations(other_unit) == []


def test_r_cat_3_an_answered_late_request_is_no_longer_outstanding(
    published, unit, applicant, other_unit, other_applicant
):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    ShareRequest.objects.filter(pk=req.pk).update(due_date=YESTERDAY)
    services.answer_share_request(req, by=applicant, approve=True)
    assert sharing_violations(unit) == []


def test_r_cat_4_an_objection_unanswered_past_ten_working_days_is_a_violation(
    unit, applicant, other_unit, other_applicant, bigdata
):
    resource = make_resource(
        unit, applicant, state="published", publisher=bigdata, share_type=ShareType.UNCONDITIONAL
    )
    feedback = services.report_feedback(
        resource, unit=other_unit, by=other_applicant, kind="objection", text="有误"
    )
    assert sharing_violations(unit) == []
    Feedback.objects.filter(pk=feedback.pk).update(due_date=YESTERDAY)
    (violation,) = sharing_violations(unit)
    assert violation.kind == "unanswered_objection" and violation.rule == "R-CAT-4"
    assert "10个工作日" in violation.message


class FakeProjects:
    def __init__(self, missing):
        self.missing = missing

    def projects_for_resources(self, ids):
        return {}

    def unpublished_produced(self, unit_id):
        return self.missing.get(unit_id, [])


@pytest.fixture
def fake_projects():
    previous = links._source
    yield lambda missing: links.register(FakeProjects(missing))
    links._source = previous


def test_r_cat_1_produced_resources_not_published_are_violations(draft, unit, fake_projects):
    project = ProjectRef(
        pk=7,
        code="",
        name="智慧教育平台",
        url="/projects/7/",
        unit_name=unit.name,
        relation="produced",
        relation_label="产生",
    )
    fake_projects({unit.pk: [(project, draft.pk)]})
    (violation,) = sharing_violations(unit)
    assert violation.kind == "unpublished_produced" and violation.rule == "R-CAT-1"
    assert "智慧教育平台" in violation.message and draft.name in violation.message
    assert violation.url == f"/catalogue/resources/{draft.pk}/"
