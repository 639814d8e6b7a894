"""R-CAT-1 (川办法 第三十三条): a 重复采集 flagged by 一数一源 becomes a sharing violation only when the Big-data
centre confirms it, and then bars the unit's other new projects of the following year (R-APP-4).
R-APP-12 (第十二条): a unit the Big-data centre records as not having completed its 数据归集 files no new project.
Both are the Big-data centre's actions, audited, refused to every other role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue import services
from catalogue.models import DataAggregationShortfall, SharingViolation
from govinfo.audit.models import AuditEvent
from govinfo.errors import Conflict, NotAllowed, Refused
from govinfo.orgs.models import Role
from projects import services as project_services
from projects.checks import blocked_unit_failures, submission_failures
from projects.models import ProjectResource, State
from tests.factories import member
from tests.projects.factories import complete

from .factories import make_resource

pytestmark = pytest.mark.django_db

ID_CARD = [{"name": "身份证号码", "data_type": "string", "length": 18}]


@pytest.fixture
def duplicate(unit, applicant, other_unit, other_applicant, bigdata):
    """``unit`` publishes 身份证号码, which ``other_unit`` already publishes: a flagged duplicate."""
    make_resource(other_unit, other_applicant, state="published", publisher=bigdata, items=ID_CARD)
    return make_resource(
        unit, applicant, state="published", publisher=bigdata, items=ID_CARD, name="学生身份信息"
    )


def rules(project):
    return {f.rule for f in submission_failures(project)}


def next_year_project(unit, applicant, name="四川省教育新建系统"):
    return complete(unit, applicant, name=name, year=timezone.localdate().year + 1)


# -- R-CAT-1 -----------------------------------------------------------------------------------------


def test_r_cat_1_a_flagged_duplicate_is_not_yet_a_violation(duplicate, unit, applicant):
    project = next_year_project(unit, applicant)
    assert "R-APP-4" not in rules(project)


def test_r_cat_1_the_confirmed_duplicate_bars_the_units_other_projects_of_the_following_year(
    duplicate, unit, applicant, bigdata
):
    violation = services.confirm_duplicate_collection(
        duplicate, by=bigdata, reason="应使用公安厅人口库，不得重复采集。"
    )
    this_year = timezone.localdate().year
    assert (violation.unit, violation.year, violation.bars_year) == (unit, this_year, this_year + 1)
    assert violation.items == ["身份证号码（字符型）"]
    event = AuditEvent.objects.filter(action="catalogue.violation.confirmed").get()
    assert event.actor == bigdata and event.details["bars_year"] == this_year + 1

    project = next_year_project(unit, applicant)
    found = next(f for f in submission_failures(project) if f.rule == "R-APP-4")
    assert (
        "第三十三条" in str(found) and "重复采集数据" in found.message and str(this_year + 1) in found.message
    )
    assert found.url == reverse("catalogue:resource", args=[duplicate.pk])
    with pytest.raises(Refused, match="R-APP-4"):
        project_services.submit(project, by=applicant)

    # The project of this year is not barred ("次年度"), nor the project that collected the data ("其他").
    current = complete(unit, applicant, name="四川省教育本年度系统")
    assert "R-APP-4" not in rules(current)
    own = next_year_project(unit, applicant, name="四川省学生身份采集系统")
    project_services.link_resource(
        own, by=applicant, resource=duplicate, relation=ProjectResource.Relation.PRODUCED
    )
    assert "R-APP-4" not in rules(own)


def test_r_cat_1_a_withdrawn_confirmation_bars_nothing_and_stays_on_record(
    duplicate, unit, applicant, bigdata
):
    violation = services.confirm_duplicate_collection(duplicate, by=bigdata, reason="重复采集")
    with pytest.raises(Conflict, match="已被认定"):
        services.confirm_duplicate_collection(duplicate, by=bigdata, reason="再次认定")
    with pytest.raises(Refused, match="理由"):
        services.withdraw_violation(violation, by=bigdata, reason="")
    services.withdraw_violation(violation, by=bigdata, reason="经核实为同一数据的共享副本")
    assert "R-APP-4" not in rules(next_year_project(unit, applicant))
    assert SharingViolation.objects.get().withdrawn_reason == "经核实为同一数据的共享副本"
    assert AuditEvent.objects.filter(action="catalogue.violation.withdrawn").exists()


def test_r_cat_1_only_a_flagged_duplicate_can_be_confirmed_and_only_with_a_reason(unit, applicant, bigdata):
    alone = make_resource(unit, applicant, state="published", publisher=bigdata, items=ID_CARD)
    with pytest.raises(NotAllowed, match="一数一源"):
        services.confirm_duplicate_collection(alone, by=bigdata, reason="重复采集")


def test_r_cat_1_a_confirmation_needs_its_reason(duplicate, bigdata):
    with pytest.raises(Refused, match="理由"):
        services.confirm_duplicate_collection(duplicate, by=bigdata, reason=" ")
    assert not SharingViolation.objects.exists()


@pytest.fixture
def others(applicant, other_applicant, ndrc_signer, auditor, expert, admin_user):
    return {
        "applicant": applicant,
        "other_applicant": other_applicant,
        "ndrc": ndrc_signer,
        "finance": member(Role.SIGNER, agency_code="finance"),
        "crypto": member(Role.SIGNER, agency_code="crypto"),
        "auditor": auditor,
        "expert": expert,
        "admin": admin_user,
    }


@pytest.mark.parametrize(
    "who", ["applicant", "other_applicant", "ndrc", "finance", "crypto", "auditor", "expert", "admin"]
)
def test_r_cat_1_only_the_big_data_centre_confirms_a_duplicate(duplicate, others, bigdata, who, unit):
    with pytest.raises(NotAllowed):
        services.confirm_duplicate_collection(duplicate, by=others[who], reason="重复采集")
    violation = services.confirm_duplicate_collection(duplicate, by=bigdata, reason="重复采集")
    with pytest.raises(NotAllowed):
        services.withdraw_violation(violation, by=others[who], reason="撤销")
    with pytest.raises(NotAllowed):
        services.record_aggregation_shortfall(unit, by=others[who], reason="未归集")


def test_r_cat_1_confirming_on_the_resource_page(client, duplicate, bigdata, applicant):
    client.force_login(bigdata)
    url = reverse("catalogue:resource", args=[duplicate.pk])
    assert 'data-testid="violation-confirm"' in client.get(url).content.decode()
    response = client.post(
        reverse("catalogue:violation_confirm", args=[duplicate.pk]), {"text": "重复采集人口数据"}
    )
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert 'data-testid="violations"' in body and "重复采集人口数据" in body
    assert 'data-testid="violation-confirm"' not in body
    # The provider sees the confirmation on its resource, without the form.
    client.force_login(applicant)
    body = client.get(url).content.decode()
    assert "重复采集人口数据" in body and 'data-testid="violation-confirm"' not in body
    response = client.post(reverse("catalogue:violation_confirm", args=[duplicate.pk]), {"text": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="govinfo.action.refused", actor=applicant).exists()


# -- R-APP-12: the unit's 数据归集 ----------------------------------------------------------------------


def test_r_app_12_a_unit_without_its_data_aggregation_cannot_submit_new_projects(unit, applicant, bigdata):
    project = complete(unit, applicant)
    with pytest.raises(Refused, match="具体情况"):
        services.record_aggregation_shortfall(unit, by=bigdata, reason="")
    services.record_aggregation_shortfall(unit, by=bigdata, reason="学籍数据未按技术规范归集至省共享平台")
    with pytest.raises(Conflict):
        services.record_aggregation_shortfall(unit, by=bigdata, reason="再次记录")
    found = next(f for f in submission_failures(project) if f.rule == "R-APP-12")
    assert "第十二条" in str(found) and "学籍数据未按技术规范归集至省共享平台" in found.message
    with pytest.raises(Refused, match="R-APP-12"):
        project_services.submit(project, by=applicant)

    with pytest.raises(Refused, match="完成情况"):
        services.clear_aggregation_shortfall(unit, by=bigdata, note="")
    services.clear_aggregation_shortfall(unit, by=bigdata, note="已完成归集并通过校验")
    assert project_services.submit(project, by=applicant).state == State.SUBMITTED
    assert DataAggregationShortfall.objects.get().cleared_note == "已完成归集并通过校验"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"catalogue.aggregation.recorded", "catalogue.aggregation.cleared"} <= actions


def test_r_app_12_a_returned_project_is_not_new_and_may_be_resubmitted(unit, applicant, bigdata, ndrc_signer):
    from tests.projects.factories import return_for_revision

    project = project_services.submit(complete(unit, applicant), by=applicant)
    return_for_revision(project, by=ndrc_signer, reason="请补充说明。")
    services.record_aggregation_shortfall(unit, by=bigdata, reason="未完成归集")
    project.refresh_from_db()
    assert "R-APP-12" not in rules(project)
    assert project_services.submit(project, by=applicant).state == State.SUBMITTED


def test_r_app_12_the_big_data_centre_records_and_clears_on_its_page(client, unit, bigdata, applicant):
    client.force_login(bigdata)
    assert client.get(reverse("catalogue:aggregation")).status_code == 200
    url = reverse("catalogue:aggregation_record", args=[unit.pk])
    assert client.post(url, {"action": "record", "text": "未归集"}).status_code == 302
    body = client.get(reverse("catalogue:aggregation")).content.decode()
    assert f'data-testid="aggregation-{unit.pk}"' in body and "未归集" in body
    assert client.post(url, {"action": "clear", "text": "已归集"}).status_code == 302
    assert not DataAggregationShortfall.objects.standing().exists()
    client.force_login(applicant)
    assert client.get(reverse("catalogue:aggregation")).status_code == 403
    assert client.post(url, {"action": "record", "text": "x"}).status_code == 403


# -- R-APP-4 at approval, fed by a confirmed duplicate ------------------------------------------------


def test_r_app_4_a_duplicate_confirmed_while_in_review_bars_the_approval(duplicate, unit, applicant, bigdata):
    project = next_year_project(unit, applicant)
    assert blocked_unit_failures(project) == []
    services.confirm_duplicate_collection(duplicate, by=bigdata, reason="重复采集")
    (found,) = blocked_unit_failures(project)
    assert found.rule == "R-APP-4" and "第三十三条" in str(found)
