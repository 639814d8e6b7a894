"""The construction pages: what each role sees and does, and every other role refused on every action."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery import supervision
from delivery.models import ChangeRequest, Filing, Rectification, SupervisionBasis, TerminationRequest
from govinfo.audit.models import AuditEvent
from projects.models import State

from .construction_factories import WAN, approved, change, ready_to_start
from .construction_fixtures import *  # noqa: F401,F403  (the fixtures of these tests)

pytestmark = pytest.mark.django_db

VIEWERS = ["unit", "ndrc signer", "ndrc reviewer", "finance", "bigdata", "cyberspace", "auditor", "admin"]
OUTSIDERS = ["other unit", "expert"]  # they do not see the case at all: 404


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def world(building, applicant, signers, ndrc_reviewer):
    """One case with something for every action to act on."""
    filed = change(building, applicant, new_wan=1500, adjusted_wan=10)
    pending = change(building, applicant, new_wan=1800, adjusted_wan=300)
    order = supervision.order_rectification(
        building, by=ndrc_reviewer, basis=SupervisionBasis.QUALITY, issues="质量问题", working_days=5
    )
    termination = supervision.apply_termination(
        building, by=applicant, progress="已建成门户", reason="不可抗力"
    )
    return {
        "project": building,
        "filed": filed,
        "pending": pending,
        "order": order,
        "termination": termination,
    }


def _actions(world):
    p, filed, pending = world["project"].pk, world["filed"].pk, world["pending"].pk
    order, termination = world["order"].pk, world["termination"].pk
    unit, signer, ndrc = {"unit"}, {"ndrc signer"}, {"ndrc signer", "ndrc reviewer"}
    return [
        ("file", p, {"bigdata"}),
        ("facts", p, unit),
        ("procurement", p, unit),
        ("start", p, unit),
        ("change_report", p, unit),
        ("change_draft", pending, ndrc),
        ("change_approve", pending, signer),
        ("change_refuse", pending, signer),
        ("change_acknowledge", filed, ndrc),
        ("rectify", p, ndrc),
        ("rectification_report", order, unit),
        ("rectification_confirm", order, ndrc),
        ("rectification_reopen", order, ndrc),
        ("suspend", p, signer),
        ("resume", p, signer),
        ("terminate", p, signer),
        ("termination_apply", p, unit),
        ("termination_submit", termination, signer),
        ("termination_withdraw", termination, unit),
        ("termination_decline", termination, signer),
    ]


def test_every_action_refuses_every_other_role_and_records_the_refusal(client, world, roles_of):
    project = world["project"]
    before = {
        "changes": ChangeRequest.objects.count(),
        "orders": Rectification.objects.count(),
        "state": project.state,
    }
    for name, pk, allowed in _actions(world):
        path = reverse(f"delivery:{name}", args=[pk])
        for role, user in roles_of.items():
            if role in allowed:
                continue
            refused_before = AuditEvent.objects.filter(action="govinfo.action.refused").count()
            response = login(client, user).post(path, {"note": "x", "reason": "x", "report": "x"})
            expected = 404 if role in OUTSIDERS else 403
            assert response.status_code == expected, f"{role} POST {name}: {response.status_code}"
            if expected == 403:
                assert (
                    AuditEvent.objects.filter(action="govinfo.action.refused").count() == refused_before + 1
                )
    project.refresh_from_db()
    assert project.state == before["state"] == State.IN_CONSTRUCTION
    assert (
        ChangeRequest.objects.count() == before["changes"]
        and Rectification.objects.count() == before["orders"]
    )
    assert ChangeRequest.objects.get(pk=world["pending"].pk).status == ChangeRequest.Status.PENDING


def test_every_page_opens_to_those_who_see_the_case_and_no_one_else(client, world, roles_of):
    pages = [
        reverse("delivery:construction", args=[world["project"].pk]),
        reverse("delivery:changes", args=[world["project"].pk]),
        reverse("delivery:change", args=[world["pending"].pk]),
        reverse("delivery:supervision", args=[world["project"].pk]),
    ]
    for role, user in roles_of.items():
        login(client, user)
        for page in pages:
            status = client.get(page).status_code
            assert status == (404 if role in OUTSIDERS else 200), f"{role} GET {page}: {status}"


def test_the_auditor_reads_every_page_and_sees_no_action(client, world, auditor):
    login(client, auditor)
    for page in [
        reverse("delivery:construction", args=[world["project"].pk]),
        reverse("delivery:changes", args=[world["project"].pk]),
        reverse("delivery:change", args=[world["pending"].pk]),
        reverse("delivery:supervision", args=[world["project"].pk]),
    ]:
        html = client.get(page).content.decode()
        assert 'method="post" action="/delivery/' not in html, page


def test_pages_of_a_project_not_yet_approved_are_not_found(client, unit, applicant):
    from tests.projects.factories import draft

    project = draft(unit, applicant)
    assert (
        login(client, applicant).get(reverse("delivery:construction", args=[project.pk])).status_code == 404
    )


# -- the pages at work ------------------------------------------------------------------------------


def test_bigdata_files_from_the_page_and_the_unit_starts_from_it(client, unit, applicant, signers):
    project = approved(unit, applicant, signers)
    page = login(client, signers["bigdata"]).get(reverse("delivery:construction", args=[project.pk]))
    assert 'data-testid="file"' in page.content.decode()
    response = client.post(
        reverse("delivery:file", args=[project.pk]),
        {"system_name": project.name, "construction_months": 12, "state": "approved"},
    )
    assert response.status_code == 302 and Filing.objects.filter(project=project).exists()
    login(client, applicant)
    html = client.get(reverse("delivery:construction", args=[project.pk])).content.decode()
    assert 'data-testid="start-blocked"' in html and "R-BLD-1" in html  # the start waits, and says why
    response = client.post(
        reverse("delivery:facts", args=[project.pk]),
        {"responsible_person": "李四", "supervisor_name": "某监理公司"},
    )
    assert response.status_code == 403 and "R-BLD-1" in response.content.decode()  # not the unit's head
    client.post(
        reverse("delivery:facts", args=[project.pk]),
        {"responsible_person": "张三", "supervisor_name": "某监理公司"},
    )
    response = client.post(
        reverse("delivery:procurement", args=[project.pk]),
        {
            "name": "平台开发服务",
            "subject": "services",
            "method": "open_tender",
            "evaluation": "comprehensive",
            "price_weight": "30",
            "amount": "800",
        },
    )
    assert response.status_code == 403 and "应当为10%" in response.content.decode()
    client.post(
        reverse("delivery:procurement", args=[project.pk]),
        {
            "name": "平台开发服务",
            "subject": "services",
            "method": "open_tender",
            "evaluation": "comprehensive",
            "price_weight": "10",
            "amount": "800",
        },
    )
    response = client.post(
        reverse("delivery:start", args=[project.pk]),
        {"started_on": timezone.localdate().isoformat(), "state": "filed"},
        follow=True,
    )
    project.refresh_from_db()
    assert project.state == State.IN_CONSTRUCTION and project.acceptance_due
    assert 'data-testid="acceptance-due"' in response.content.decode()


def test_a_change_page_shows_the_classification_and_the_three_amounts(client, building, applicant, signers):
    login(client, applicant)
    response = client.post(
        reverse("delivery:change_report", args=[building.pk]),
        {
            "content": "增加移动端应用建设。",
            "reason": "business",
            "reason_detail": "业务发展需要。",
            "goals_unchanged": "yes",
            "new_total": "1650",
            "adjusted_amount": "150",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "已形成调整申请" in html and 'data-testid="change-kind">调整申请' in html
    assert "超出批复总投资" in html
    assert "1,500.00 万元" in html and "1,650.00 万元" in html  # approved and pending
    login(client, signers["ndrc"])
    change_row = ChangeRequest.objects.get(project=building)
    client.post(reverse("delivery:change_draft", args=[change_row.pk]), {"note": "同意。", "version": "0"})
    response = client.post(
        reverse("delivery:change_approve", args=[change_row.pk]),
        {"version": "1", "status": "pending"},
        follow=True,
    )
    html = response.content.decode()
    assert 'data-testid="change-document"' in html and "调整的批复" in html
    assert ChangeRequest.objects.get(pk=change_row.pk).new_total == Decimal(1650) * WAN


def test_an_overrun_after_the_fact_is_refused_on_the_page_with_its_article(client, building, applicant):
    login(client, applicant)
    response = client.post(
        reverse("delivery:change_report", args=[building.pk]),
        {
            "content": "已增加服务器。",
            "reason": "optimisation",
            "reason_detail": "性能不足。",
            "goals_unchanged": "yes",
            "new_total": "1600",
            "adjusted_amount": "100",
            "carried_out": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 403 and "第二十八条" in html and "不受理事后调整申请" in html
    assert not ChangeRequest.objects.exists()


def test_the_supervision_page_orders_and_terminates(client, building, applicant, signers):
    login(client, signers["ndrc"])
    response = client.post(
        reverse("delivery:rectify", args=[building.pk]),
        {"basis": "progress", "issues": "进度滞后。", "working_days": "10"},
    )
    assert response.status_code == 302 and Rectification.objects.filter(project=building).count() == 1
    response = client.post(
        reverse("delivery:rectify", args=[building.pk]), {"basis": "progress", "issues": "进度滞后。"}
    )
    assert response.status_code == 400 and "二选一" in response.content.decode()
    login(client, applicant)
    client.post(
        reverse("delivery:termination_apply", args=[building.pk]),
        {"progress": "已建成门户。", "reason": "不可抗力。"},
    )
    termination = TerminationRequest.objects.get(project=building)
    login(client, signers["ndrc"])
    client.post(
        reverse("delivery:termination_submit", args=[termination.pk]), {"note": "", "status": "applied"}
    )
    html = client.get(reverse("delivery:supervision", args=[building.pk])).content.decode()
    assert 'data-testid="terminate"' in html and 'data-testid="decline-termination"' in html
    response = client.post(
        reverse("delivery:terminate", args=[building.pk]),
        {
            "doc_number": "川信领办〔2026〕3号",
            "date": timezone.localdate().isoformat(),
            "state": "in_construction",
        },
    )
    building.refresh_from_db()
    assert response.status_code == 302 and building.state == State.TERMINATED


def test_a_stale_page_gets_the_conflict_not_the_action(client, unit, applicant, signers):
    project = ready_to_start(approved(unit, applicant, signers), applicant, signers["bigdata"])
    login(client, applicant)
    response = client.post(
        reverse("delivery:start", args=[project.pk]),
        {"started_on": timezone.localdate().isoformat(), "state": "approved"},
        follow=True,
    )
    assert "已被他人处理" in response.content.decode()
    project.refresh_from_db()
    assert project.state == State.FILED


def test_the_pages_cost_the_same_with_more_rows(client, building, applicant, signers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = [
        reverse("delivery:construction", args=[building.pk]),
        reverse("delivery:changes", args=[building.pk]),
        reverse("delivery:supervision", args=[building.pk]),
    ]

    def counts():
        client.force_login(signers["ndrc"])
        found = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200
            found.append(len(captured.captured_queries))
        return found

    change(building, applicant, new_wan=1500, adjusted_wan=10)
    supervision.order_rectification(
        building, by=signers["ndrc"], basis=SupervisionBasis.QUALITY, issues="质量", working_days=5
    )
    before = counts()
    for n in range(3):
        change(building, applicant, new_wan=1500, adjusted_wan=11 + n)
        supervision.order_rectification(
            building, by=signers["ndrc"], basis=SupervisionBasis.QUALITY, issues=f"质量{n}", working_days=5
        )
    assert counts() == before
