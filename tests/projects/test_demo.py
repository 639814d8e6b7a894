"""The demo data: both units' projects in draft, submitted and returned; a second run adds nothing."""

import pytest
from django.core.management import call_command

from govinfo.audit.models import AuditEvent
from projects import access
from projects.models import Project, State

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _projects_demo_only(monkeypatch):
    # The review demo (approvals.demo) runs after this one and moves these projects on; it has its own test.
    from govinfo.demo.management.commands import load_demo

    monkeypatch.setattr(load_demo, "APP_DEMO_MODULES", ["catalogue.demo", "projects.demo"])


def load():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_projects_cover_the_states_a_joint_and_a_two_step_project():
    load()
    for unit in ("省教育厅", "省卫生健康委"):
        states = set(Project.objects.filter(lead_unit__short_name=unit).values_list("state", flat=True))
        assert {State.DRAFT, State.SUBMITTED, State.RETURNED} <= states, unit
    joint = Project.objects.get(participants__isnull=False)
    assert joint.lead_unit.short_name == "省教育厅" and joint.state == State.SUBMITTED
    assert Project.objects.filter(approval_path="two_step", state=State.SUBMITTED).exists()
    assert AuditEvent.objects.filter(action="projects.project.returned").count() == 3


def test_demo_grants_let_unit_b_see_the_joint_project():
    from django.contrib.auth import get_user_model

    load()
    unit_b = get_user_model().objects.get(username="unit-b")
    joint = Project.objects.get(participants__isnull=False)
    assert access.visible(unit_b).filter(pk=joint.pk).exists()


def test_loading_the_demo_twice_adds_nothing():
    load()
    counts = (Project.objects.count(), AuditEvent.objects.count())
    load()
    assert (Project.objects.count(), AuditEvent.objects.count()) == counts
