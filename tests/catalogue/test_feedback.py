"""R-CAT-4: users of shared data give feedback and raise objections; the provider answers."""

import pytest
from django.utils import timezone

from catalogue import services
from catalogue.models import Feedback, ShareType
from govinfo.workdays.days import add_working_days

from .factories import make_resource


@pytest.fixture
def granted(published, applicant, other_unit, other_applicant):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    services.answer_share_request(req, by=applicant, approve=True)
    return published


def test_r_cat_4_a_unit_with_a_granted_request_raises_an_objection(granted, other_unit, other_applicant):
    feedback = services.report_feedback(
        granted,
        unit=other_unit,
        by=other_applicant,
        kind=Feedback.Kind.OBJECTION,
        text="身份证号码有误",
        items=list(granted.items.filter(name="身份证号码")),
    )
    assert feedback.is_open and feedback.due_date == add_working_days(timezone.localdate(), 10)
    assert [i.name for i in feedback.items.all()] == ["身份证号码"]


def test_r_cat_4_any_unit_may_report_on_an_unconditional_resource(
    unit, applicant, other_unit, other_applicant, bigdata
):
    resource = make_resource(
        unit, applicant, state="published", publisher=bigdata, share_type=ShareType.UNCONDITIONAL
    )
    feedback = services.report_feedback(
        resource, unit=other_unit, by=other_applicant, kind=Feedback.Kind.ERROR, text="数据重复"
    )
    assert feedback.kind == Feedback.Kind.ERROR


def test_r_cat_4_a_unit_not_using_the_resource_is_refused(published, other_unit, other_applicant):
    with pytest.raises(services.Refused) as excinfo:
        services.report_feedback(published, unit=other_unit, by=other_applicant, kind="objection", text="x")
    assert "R-CAT-4" in excinfo.value.reason


def test_r_cat_4_a_refused_request_does_not_make_a_user(published, applicant, other_unit, other_applicant):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    services.answer_share_request(req, by=applicant, approve=False, text="不符合条件")
    with pytest.raises(services.Refused):
        services.report_feedback(published, unit=other_unit, by=other_applicant, kind="objection", text="x")


def test_r_cat_4_the_provider_answers_once(granted, applicant, other_unit, other_applicant):
    feedback = services.report_feedback(
        granted, unit=other_unit, by=other_applicant, kind="error", text="错误"
    )
    stale = Feedback.objects.get(pk=feedback.pk)
    with pytest.raises(services.Refused):
        services.answer_feedback(feedback, by=other_applicant, text="我自己答复")
    with pytest.raises(services.Refused):
        services.answer_feedback(feedback, by=applicant, text="")
    answered = services.answer_feedback(feedback, by=applicant, text="已更正")
    assert answered.state == Feedback.State.ANSWERED and answered.answer == "已更正"
    with pytest.raises(services.Conflict):
        services.answer_feedback(stale, by=applicant, text="再次")
