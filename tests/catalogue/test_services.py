"""Workflow of resources and share requests (R-CAT-2, R-CAT-3), through the services only."""

import datetime as dt

import pytest
from django.utils import timezone
from guardian.models import GroupObjectPermission
from guardian.shortcuts import get_perms

from catalogue import services
from catalogue.models import Resource, ResourceGroupObjectPermission, ShareRequest, ShareType
from govinfo.audit.models import AuditEvent
from govinfo.workdays.days import add_working_days, working_days_between

from .factories import make_resource


def actions_for(obj):
    return list(AuditEvent.objects.for_object(obj).order_by("id").values_list("action", flat=True))


def test_create_grants_the_provider_unit_group_and_records(unit, applicant):
    resource = make_resource(unit, applicant)
    assert set(get_perms(unit.group, resource)) >= {"change_resource", "view_resource"}
    # Stored in the direct foreign-key table, not guardian's generic one.
    assert (
        ResourceGroupObjectPermission.objects.filter(content_object=resource, group=unit.group).count() == 3
    )
    assert not GroupObjectPermission.objects.exists()
    assert resource.items.count() == 2
    assert actions_for(resource) == ["catalogue.resource.created"]


def test_only_the_units_own_clerk_creates_for_it(unit, other_applicant):
    with pytest.raises(services.Refused) as excinfo:
        make_resource(unit, other_applicant)
    assert "本单位" in excinfo.value.reason


def test_draft_goes_submitted_then_published_by_bigdata(unit, applicant, bigdata):
    resource = make_resource(unit, applicant, state="submitted")
    resource = services.publish_resource(resource, by=bigdata)
    assert resource.state == Resource.State.PUBLISHED
    assert resource.published_on == timezone.localdate()
    assert actions_for(resource)[-2:] == ["catalogue.resource.submitted", "catalogue.resource.published"]


def test_publication_needs_the_bigdata_centre(unit, applicant, reviewer_factory):
    resource = make_resource(unit, applicant, state="submitted")
    for outsider in (applicant, reviewer_factory("ndrc"), reviewer_factory("finance")):
        with pytest.raises(services.Refused) as excinfo:
            services.publish_resource(resource, by=outsider)
        assert "省大数据中心" in excinfo.value.reason
    assert Resource.objects.get(pk=resource.pk).state == Resource.State.SUBMITTED


def test_a_resource_without_items_cannot_be_submitted(unit, applicant):
    resource = make_resource(unit, applicant, items=[])
    with pytest.raises(services.Refused) as excinfo:
        services.submit_resource(resource, by=applicant)
    assert "信息项" in excinfo.value.reason


def test_returned_resource_is_a_draft_again_with_the_reason(unit, applicant, bigdata):
    resource = make_resource(unit, applicant, state="submitted")
    with pytest.raises(services.Refused):
        services.return_resource(resource, by=bigdata, reason=" ")
    resource = services.return_resource(resource, by=bigdata, reason="摘要过简")
    assert resource.state == Resource.State.DRAFT and resource.return_reason == "摘要过简"
    resource = services.update_resource(resource, by=applicant, data={"summary": "更完整的摘要"})
    assert services.submit_resource(resource, by=applicant).return_reason == ""


def test_published_resources_cannot_be_edited(published, applicant):
    with pytest.raises(services.Refused) as excinfo:
        services.update_resource(published, by=applicant, data={"name": "改名"})
    assert "只有草稿可以修改" in excinfo.value.reason


def test_retire_needs_a_reason_and_is_recorded(published, applicant):
    with pytest.raises(services.Refused):
        services.retire_resource(published, by=applicant, reason="")
    retired = services.retire_resource(published, by=applicant, reason="系统下线")
    assert retired.state == Resource.State.RETIRED
    assert actions_for(retired)[-1] == "catalogue.resource.retired"


def test_r_cat_3_conditional_request_is_due_in_ten_working_days(published, other_unit, other_applicant):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验学籍")
    assert req.state == ShareRequest.State.PENDING
    assert req.due_date == add_working_days(timezone.localdate(), 10)
    assert working_days_between(timezone.localdate(), req.due_date) == 10
    assert (req.due_date - timezone.localdate()).days > 10  # weekends are not counted
    assert list(req.items.values_list("name", flat=True)) == ["姓名", "身份证号码"]
    assert actions_for(req) == ["catalogue.share_request.created"]


def test_r_cat_3_provider_approves(published, applicant, other_unit, other_applicant):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    req = services.answer_share_request(req, by=applicant, approve=True, text="同意，按接口调用")
    assert req.state == ShareRequest.State.APPROVED and req.grants_use
    assert req.answered_by == applicant
    assert actions_for(req)[-1] == "catalogue.share_request.approved"


def test_r_cat_3_refusal_needs_a_reason(published, applicant, other_unit, other_applicant):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    with pytest.raises(services.Refused) as excinfo:
        services.answer_share_request(req, by=applicant, approve=False, text="")
    assert "R-CAT-3" in excinfo.value.reason
    assert ShareRequest.objects.get(pk=req.pk).state == ShareRequest.State.PENDING
    req = services.answer_share_request(req, by=applicant, approve=False, text="用途超出共享范围")
    assert req.state == ShareRequest.State.REFUSED and req.answer == "用途超出共享范围"


def test_r_cat_3_only_the_provider_answers(published, other_unit, other_applicant, bigdata):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    for outsider in (other_applicant, bigdata):
        with pytest.raises(services.Refused) as excinfo:
            services.answer_share_request(req, by=outsider, approve=True)
        assert "提供单位" in excinfo.value.reason


def test_r_cat_3_concurrent_answers_one_wins_the_other_gets_a_conflict(
    published, unit, applicant, other_unit, other_applicant
):
    from tests.factories import member

    colleague = member("applicant", unit=unit, username="clerk-a2")
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    stale = ShareRequest.objects.get(pk=req.pk)
    services.answer_share_request(req, by=applicant, approve=True, text="同意")
    with pytest.raises(services.Conflict) as excinfo:
        services.answer_share_request(stale, by=colleague, approve=False, text="不同意")
    assert "已由他人" in excinfo.value.reason and "已同意共享" in excinfo.value.reason
    final = ShareRequest.objects.get(pk=req.pk)
    assert final.state == ShareRequest.State.APPROVED and final.answer == "同意"
    assert actions_for(final).count("catalogue.share_request.refused") == 0


def test_r_cat_3_overdue_requests_are_flagged(published, other_unit, other_applicant):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    assert not req.is_overdue
    ShareRequest.objects.filter(pk=req.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    assert ShareRequest.objects.get(pk=req.pk).is_overdue
    assert list(ShareRequest.objects.overdue()) == [req]


def test_r_cat_2_unconditional_resource_is_granted_at_once(
    unit, applicant, other_unit, other_applicant, bigdata
):
    resource = make_resource(
        unit, applicant, state="published", publisher=bigdata, share_type=ShareType.UNCONDITIONAL
    )
    req = services.request_share(resource, unit=other_unit, by=other_applicant, purpose="统计分析")
    assert req.state == ShareRequest.State.GRANTED and req.due_date is None and req.grants_use
    assert actions_for(req) == ["catalogue.share_request.granted"]


def test_r_cat_2_not_shared_resource_cannot_be_requested_and_says_why(
    unit, applicant, other_unit, other_applicant, bigdata
):
    resource = make_resource(
        unit,
        applicant,
        state="published",
        publisher=bigdata,
        share_type=ShareType.NONE,
        legal_basis="《某法》第八条",
    )
    with pytest.raises(services.Refused) as excinfo:
        services.request_share(resource, unit=other_unit, by=other_applicant, purpose="核验")
    assert "R-CAT-2" in excinfo.value.reason and "《某法》第八条" in excinfo.value.reason
    assert not ShareRequest.objects.exists()


def test_drafts_cannot_be_requested(draft, other_unit, other_applicant):
    with pytest.raises(services.Refused) as excinfo:
        services.request_share(draft, unit=other_unit, by=other_applicant, purpose="核验")
    assert "已发布" in excinfo.value.reason


def test_a_second_open_request_from_the_same_unit_is_refused(published, other_unit, other_applicant):
    services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    with pytest.raises(services.Refused) as excinfo:
        services.request_share(published, unit=other_unit, by=other_applicant, purpose="再次")
    assert "无需重复申请" in excinfo.value.reason


def test_request_needs_a_purpose(published, other_unit, other_applicant):
    with pytest.raises(services.Refused):
        services.request_share(published, unit=other_unit, by=other_applicant, purpose="  ")


def test_items_of_another_resource_are_refused(published, unit, applicant, other_unit, other_applicant):
    other = make_resource(unit, applicant)
    with pytest.raises(services.Refused):
        services.request_share(
            published, unit=other_unit, by=other_applicant, purpose="x", items=list(other.items.all())
        )
