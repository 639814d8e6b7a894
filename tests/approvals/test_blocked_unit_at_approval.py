"""R-APP-4 at approval (川办法 第三十二条 "不批准项目单位新增项目"): a unit that becomes barred while its project
is in review does not get the 批复, and NDRC's review page says why; once the bar is lifted the 批复 goes out."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services
from catalogue import services as catalogue_services
from govinfo.errors import Refused
from projects.models import Project, State
from tests.catalogue.factories import bigdata_member, make_resource
from tests.projects.factories import complete

from .review_factories import ready_for_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(reviewing, signers):
    ready_for_decision(reviewing, signers)
    assert reviewing.state == State.EVALUATION
    return reviewing


def _other_project_in(unit, applicant, state, **fields):
    other = complete(unit, applicant, name="四川省教育旧系统", catalogue=False)
    Project.objects.filter(pk=other.pk).update(state=state, **fields)
    return other


def test_r_app_4_a_failed_acceptance_not_rectified_bars_the_approval(ready, unit, applicant, signers, client):
    other = _other_project_in(unit, applicant, State.ACCEPTANCE_FAILED)
    with pytest.raises(Refused) as refused:
        services.approve(ready, by=signers["ndrc"])
    message = refused.value.message
    assert "R-APP-4" in message and "第三十二条" in message and "四川省教育旧系统" in message
    ready.refresh_from_db()
    assert ready.state == State.EVALUATION

    # NDRC's review page shows the reason and no 批复 button.
    client.force_login(signers["ndrc"])
    body = client.get(reverse("approvals:project", args=[ready.pk])).content.decode()
    assert 'data-testid="blocking"' in body and "R-APP-4" in body and "验收不合格" in body
    assert 'data-testid="approve"' not in body

    # Rectified and accepted: the bar lifts.
    Project.objects.filter(pk=other.pk).update(state=State.IN_OPERATION)
    assert services.approve(ready, by=signers["ndrc"]).kind == "approval"


def test_r_app_4_a_project_past_its_acceptance_date_bars_the_approval(ready, unit, applicant, signers):
    overdue = timezone.localdate() - dt.timedelta(days=1)
    _other_project_in(unit, applicant, State.TRIAL_OPERATION, acceptance_due=overdue)
    with pytest.raises(Refused, match="R-APP-4.*应申请验收日期"):
        services.approve(ready, by=signers["ndrc"])


def test_r_app_4_a_bar_does_not_stop_a_rejection(ready, unit, applicant, signers):
    _other_project_in(unit, applicant, State.ACCEPTANCE_FAILED)
    services.reject(ready, by=signers["ndrc"], reason="项目单位存在验收不合格项目，不予批复。")
    ready.refresh_from_db()
    assert ready.state == State.REJECTED


def test_r_app_4_a_confirmed_duplicate_collection_bars_the_approval_of_the_following_years_project(
    unit, applicant, other_unit, other_applicant, signers
):
    from .review_factories import in_review

    bigdata = bigdata_member()
    items = [{"name": "身份证号码", "data_type": "string", "length": 18}]
    make_resource(other_unit, other_applicant, state="published", publisher=bigdata, items=items)
    mine = make_resource(unit, applicant, state="published", publisher=bigdata, items=items)
    project = in_review(unit, applicant, signers["ndrc"], year=timezone.localdate().year + 1)
    ready_for_decision(project, signers)
    catalogue_services.confirm_duplicate_collection(mine, by=bigdata, reason="重复采集人口数据")
    with pytest.raises(Refused, match="R-APP-4.*第三十三条|第三十三条.*R-APP-4"):
        services.approve(project, by=signers["ndrc"])
