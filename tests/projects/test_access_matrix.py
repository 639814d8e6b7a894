"""One answer to "who may see this case": for every demo login and every demo case, the list filter,
the per-object check and the pages agree, and the auditor reads everything and can act on nothing."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from approvals import permissions as review_permissions
from approvals.models import Opinion, ReviewTask
from govinfo.audit.models import AuditEvent
from govinfo.documents.access import documents_visible_to
from govinfo.documents.models import IssuedDocument
from projects import access
from projects.models import Material, Project

LOGINS = ["unit-a", "unit-b", "ndrc", "finance", "cyberspace", "bigdata", "auditor", "expert", "admin"]
# A form that acts: any POST form except the language switch and the logout button every page has.
ACTION_FORM = re.compile(r'<form[^>]*method="post"[^>]*action="(?!/i18n/|/accounts/logout/)[^"]*"', re.I)


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    return {user.username: user for user in get_user_model().objects.filter(username__in=LOGINS)}


def test_the_list_filter_and_the_object_check_agree_for_every_role_and_case(client, demo):
    projects = list(Project.objects.all())
    assert len(projects) >= 6
    for username, user in demo.items():
        listed = set(access.visible(user).values_list("pk", flat=True))
        in_review_list = set(review_permissions.review_projects_for(user).values_list("pk", flat=True))
        client.force_login(user)
        for project in projects:
            allowed = access.can_view(user, project)
            assert (project.pk in listed) == allowed, (username, project.name)
            follows = bool(review_permissions.review_role(user, project))
            assert (project.pk in in_review_list) == follows, (username, project.name)
            assert client.get(f"/projects/{project.pk}/").status_code == (200 if allowed else 404)
            assert client.get(f"/review/projects/{project.pk}/").status_code == (200 if follows else 404)


def test_who_sees_which_demo_case(demo):
    names = {p.name: p for p in Project.objects.all()}
    draft = names["四川省教育综合管理平台升级改造"]  # unit-a's draft, never submitted
    joint = names["四川省智慧教育公共服务平台"]  # unit-a leads, unit-b participates, in review
    assert access.can_view(demo["unit-a"], draft) and not access.can_view(demo["unit-b"], draft)
    assert not access.can_view(demo["ndrc"], draft) and not access.can_view(demo["finance"], draft)
    assert access.can_view(demo["auditor"], draft) and access.can_view(demo["admin"], draft)
    assert access.can_view(demo["unit-b"], joint) and access.can_view(demo["finance"], joint)
    two_step = names["四川省全民健康信息平台（二期）"]
    assert access.can_view(demo["expert"], two_step) and not access.can_view(demo["expert"], joint)


def test_the_auditor_opens_every_page_material_opinion_and_document_and_finds_no_action(client, demo):
    auditor = demo["auditor"]
    client.force_login(auditor)
    pages = []
    for project in Project.objects.all():
        pages += [f"/projects/{project.pk}/"]
        if project.first_submitted_at:
            pages += [f"/review/projects/{project.pk}/"]
    pages += [f"/review/tasks/{task.pk}/" for task in ReviewTask.objects.all()]
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        assert not ACTION_FORM.search(response.content.decode()), address
    for material in Material.objects.select_related("project"):
        response = client.get(f"/projects/{material.project_id}/materials/{material.pk}/download/")
        assert response.status_code == 200
    assert Opinion.objects.filter(status="signed").exists()
    documents = IssuedDocument.objects.all()
    assert documents.count() == documents_visible_to(auditor).count() > 0
    for document in documents:
        response = client.get(f"/documents/{document.pk}/download/")
        assert response.status_code == 200, document.doc_number


def test_an_action_the_auditor_posts_is_refused_recorded_and_changes_nothing(client, demo):
    client.force_login(demo["auditor"])
    submitted = Project.objects.get(name="四川省智慧教育公共服务平台")
    before = (submitted.state, submitted.updated_at)
    response = client.post(
        f"/review/projects/{submitted.pk}/return/", {"reason": "审计试图退回", "state": submitted.state}
    )
    assert response.status_code == 403
    assert "审计和系统管理人员可以查阅全部案件，但不能办理业务" in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.state, submitted.updated_at) == before
    refusal = AuditEvent.objects.filter(action="govinfo.action.refused").latest("id")
    assert refusal.actor == demo["auditor"] and refusal.details["path"].endswith("/return/")
