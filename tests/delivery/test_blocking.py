"""Blocked units: R-APP-4 (川办法 第三十二、三十三、五十一条) — at submission and on NDRC's review page, on the
unit's page, lifting when resolved."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services as review_services
from catalogue import services as catalogue_services
from catalogue.models import ShareRequest
from delivery import acceptance, blocking
from delivery.models import SecurityFinding
from govinfo.errors import NotAllowed, Refused
from projects import bars
from projects import services as project_services
from projects.checks import submission_failures
from projects.models import Project, State
from tests.catalogue.factories import bigdata_member, make_resource
from tests.projects.factories import complete

from .factories import in_trial, under_acceptance

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
NEXT_YEAR = TODAY().year + 1


def r_app_4(project) -> list[str]:
    return [str(f) for f in submission_failures(project) if f.rule == "R-APP-4"]


def overdue(project):
    Project.objects.filter(pk=project.pk).update(acceptance_due=TODAY() - dt.timedelta(days=1))
    project.refresh_from_db()
    return project


# -- 第三十二条: overdue acceptance, failed acceptance ------------------------------------------------


def test_r_app_4_a_project_past_its_acceptance_date_bars_the_unit_until_it_applies(building, unit, applicant):
    overdue(building)
    new = complete(unit, applicant, name="新申报项目")
    (message,) = r_app_4(new)
    assert (
        "第三十二条（R-APP-4）" in message and "已超过应申请验收日期" in message and building.name in message
    )
    with pytest.raises(Refused):
        project_services.submit(new, by=applicant)
    # It applies for acceptance: the bar lifts by itself.
    in_trial(building, applicant)
    under_acceptance(building, applicant)
    assert r_app_4(new) == []
    assert project_services.submit(new, by=applicant).state == State.SUBMITTED


def test_r_app_4_an_agreed_extension_lifts_the_overdue_bar(building, unit, applicant, signers):
    overdue(building)
    extension = acceptance.request_extension(
        building, by=applicant, reason="测评排期推迟。", new_date=TODAY() + dt.timedelta(days=60)
    )
    assert "延期验收申请待省发展改革委审核" in r_app_4(complete(unit, applicant))[0]
    acceptance.decide_extension(extension, by=signers["ndrc"], approve=True)
    assert r_app_4(complete(unit, applicant, name="另一个项目")) == []


def test_r_app_4_a_failed_acceptance_bars_the_unit_until_it_passes(building, unit, applicant, signers):
    in_trial(building, applicant)
    under_acceptance(building, applicant)
    acceptance.fail_acceptance(building, by=signers["ndrc"], items="补充测评。")
    new = complete(unit, applicant, name="新申报项目")
    assert "验收不合格且尚未整改通过" in r_app_4(new)[0]
    acceptance.reapply(building, by=applicant, rectification_report="已补充。")
    assert r_app_4(new), "a re-application under review is not yet a passed rectification"
    acceptance.pass_acceptance(building, by=signers["ndrc"])
    assert r_app_4(new) == []


def test_r_app_4_other_units_are_not_barred(building, other_unit, other_applicant):
    overdue(building)
    assert r_app_4(complete(other_unit, other_applicant)) == []


# -- 第三十三条: a sharing violation bars the following year's projects --------------------------------


@pytest.fixture
def overdue_request(unit, applicant, other_unit, other_applicant):
    resource = make_resource(
        unit, applicant, state="published", publisher=bigdata_member(), name="学生基本信息"
    )
    request = catalogue_services.request_share(resource, unit=other_unit, by=other_applicant, purpose="核验")
    ShareRequest.objects.filter(pk=request.pk).update(due_date=TODAY() - dt.timedelta(days=1))
    return request


def test_r_app_4_a_sharing_violation_bars_the_units_projects_of_the_following_year(
    overdue_request, unit, applicant
):
    began = overdue_request.due_date.year if overdue_request.due_date else TODAY().year
    this_year = complete(unit, applicant, name="本年度项目", year=began)
    next_year = complete(unit, applicant, name="次年度项目", year=began + 1)
    assert r_app_4(this_year) == []
    (message,) = r_app_4(next_year)
    assert "第三十三条（R-APP-4）" in message and "（R-CAT-3）" in message
    assert f"{began + 1}年度起本单位其他新建、改建、扩建项目不予审批" in message


def test_r_app_4_the_sharing_bar_lifts_when_the_violation_is_put_right(overdue_request, unit, applicant):
    project = complete(unit, applicant, year=NEXT_YEAR + 1)
    assert r_app_4(project)
    catalogue_services.answer_share_request(overdue_request, by=applicant, approve=True, text="同意")
    assert r_app_4(project) == []


# -- 第五十一条: a recorded security non-compliance ------------------------------------------------------


def test_r_app_4_a_security_finding_bars_the_unit_until_cleared(unit, applicant, people):
    finding = blocking.record_finding(unit, by=people["cyberspace"], finding="未开展密码应用安全性评估")
    assert finding.agency.code == "cyberspace" and finding.is_open
    project = complete(unit, applicant)
    (message,) = r_app_4(project)
    assert "第五十一条（R-APP-4）" in message and "未开展密码应用安全性评估" in message
    with pytest.raises(Refused, match="整改销号须写明|销号须写明"):
        blocking.clear_finding(finding, by=people["ndrc"], note="")
    blocking.clear_finding(finding, by=people["ndrc"], note="已完成密评并整改。")
    assert SecurityFinding.objects.get(pk=finding.pk).status == "cleared"
    assert r_app_4(project) == []


@pytest.mark.parametrize("who", ["unit", "other_unit", "finance", "bigdata", "auditor", "expert", "admin"])
def test_r_app_4_only_ndrc_or_cyberspace_records_and_clears_a_security_finding(unit, people, who):
    with pytest.raises(NotAllowed):
        blocking.record_finding(unit, by=people[who], finding="存在重大安全隐患")
    finding = blocking.record_finding(unit, by=people["ndrc"], finding="存在重大安全隐患")
    with pytest.raises(NotAllowed):
        blocking.clear_finding(finding, by=people[who], note="已整改。")
    assert SecurityFinding.objects.get(pk=finding.pk).is_open


# -- where the bar shows: the submit error, NDRC's review page, the unit's page ------------------------


def test_r_app_4_the_bar_and_its_reasons_show_in_the_submit_error(client, building, unit, applicant):
    overdue(building)
    new = complete(unit, applicant, name="新申报项目")
    client.force_login(applicant)
    response = client.post(reverse("projects:submit", args=[new.pk]))
    page = response.content.decode()
    assert response.status_code == 400
    assert "第三十二条（R-APP-4）" in page and building.name in page


def test_r_app_4_the_bar_shows_on_ndrcs_review_page_through_the_registry(
    client, building, unit, applicant, signers
):
    new = project_services.submit(complete(unit, applicant, name="先申报后受阻的项目"), by=applicant)
    review_services.accept_into_review(new, by=signers["ndrc"])
    overdue(building)
    assert [f.rule for f in bars.unit_bars(unit)] == ["R-APP-4"]
    client.force_login(signers["ndrc"])
    page = client.get(reverse("approvals:project", args=[new.pk])).content.decode()
    assert 'data-testid="unit-bars"' in page and "已超过应申请验收日期" in page


def test_r_app_4_the_unit_page_shows_the_bar_and_lifts_it(client, building, unit, applicant, signers):
    client.force_login(applicant)
    url = reverse("delivery:unit", args=[unit.pk])
    assert 'data-testid="unit-free"' in client.get(url).content.decode()
    overdue(building)
    page = client.get(url).content.decode()
    assert 'data-testid="unit-barred"' in page and building.name in page


@pytest.mark.parametrize("who,status", [("unit", 200), ("ndrc", 200), ("finance", 200), ("auditor", 200),
                                        ("admin", 200), ("other_unit", 404), ("expert", 404)])  # fmt: skip
def test_the_unit_page_is_for_the_unit_the_agencies_and_the_auditors(client, unit, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("delivery:unit", args=[unit.pk])).status_code == status


def test_ndrc_records_a_finding_on_the_unit_page_and_an_auditors_attempt_is_refused(client, unit, people):
    url = reverse("delivery:record_finding", args=[unit.pk])
    client.force_login(people["auditor"])
    assert client.post(url, {"finding": "重大隐患"}).status_code == 403
    client.force_login(people["ndrc"])
    response = client.post(url, {"finding": "重大隐患"})
    assert response.status_code == 302 and SecurityFinding.objects.filter(unit=unit).count() == 1
