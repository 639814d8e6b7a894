"""The construction demo: a project in each state between the 批复 and trial operation, a 报备 and a pending
application; the demo logins reach them; a second run adds nothing."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from delivery.models import ChangeRequest, Filing, Procurement, Rectification, Suspension, TerminationRequest
from govinfo.audit.models import AuditEvent
from govinfo.documents.models import IssuedDocument
from govinfo.home.todo import items_for
from projects.models import Project, State


def _counts():
    return tuple(
        model.objects.count()
        for model in (
            Project,
            Filing,
            Procurement,
            ChangeRequest,
            Rectification,
            Suspension,
            TerminationRequest,
        )
    ) + (IssuedDocument.objects.count(), AuditEvent.objects.exclude(action__startswith="govinfo.").count())


def test_the_demo_leaves_every_construction_state_reachable_and_a_second_run_adds_nothing(
    db, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    states = dict(Project.objects.values_list("name", "state"))
    assert states["四川省医疗机构电子证照应用"] == State.APPROVED
    assert states["四川省基层医疗卫生机构管理信息系统"] == State.FILED
    assert states["四川省教育督导业务管理平台"] == State.IN_CONSTRUCTION
    assert states["四川省疾病预防控制综合信息系统"] == State.SUSPENDED
    assert states["四川省校园食品安全智慧监管系统"] == State.TERMINATED

    building = Project.objects.get(name="四川省教育督导业务管理平台")
    assert list(building.changes.order_by("number").values_list("kind", "status")) == [
        ("filing", "recorded"),
        ("application", "pending"),
    ]
    assert building.procurements.count() == 3 and building.acceptance_due is not None
    suspended = Project.objects.get(name="四川省疾病预防控制综合信息系统")
    assert suspended.rectifications.get().is_overdue
    terminated = Project.objects.get(name="四川省校园食品安全智慧监管系统")
    assert terminated.termination_requests.get().status == "consented"

    users = {user.username: user for user in get_user_model().objects.all()}
    assert any("待审批调整申请" in item.title for item in items_for(users["ndrc"]))
    assert any("待备案登记" in item.title for item in items_for(users["bigdata"]))
    assert any("待开工建设" in item.title for item in items_for(users["unit-b"]))
    for username, project in [("unit-a", building), ("ndrc", suspended), ("auditor", terminated)]:
        client.force_login(users[username])
        assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200
        assert client.get(reverse("delivery:supervision", args=[project.pk])).status_code == 200

    call_command("load_demo", stdout=StringIO())
    assert _counts() == first


def test_the_demo_leaves_a_project_in_every_lifecycle_state_each_opened_by_a_demo_login(
    db, client, settings, tmp_path
):
    """Issue 10: at least one demo project in every state of DOMAIN §2, reachable by the demo logins."""
    from projects import access

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    by_state = {}
    for project in Project.objects.order_by("pk"):
        by_state.setdefault(project.state, project)
    missing = [label for value, label in State.choices if value not in by_state]
    assert missing == []
    demo_logins = [get_user_model().objects.get(username=name) for name in ("unit-a", "unit-b", "ndrc")]
    for state, project in by_state.items():
        opener = next((user for user in demo_logins if access.can_view(user, project)), None)
        assert opener is not None, state
        client.force_login(opener)
        assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200, state
