"""The admin is read-only for content services own (issue 8 item 6): an edit there would skip the
service's checks, its audit event and its grants."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from approvals import services as review_services
from approvals.models import ExpertInvitation, Opinion, ReviewRound, ReviewTask
from govinfo.audit.models import AuditEvent
from projects import services
from projects.models import ApplicationRevision, Material, Project, ProjectParticipant, ProjectResource
from tests.approvals.review_factories import sign

from .factories import complete

pytestmark = pytest.mark.django_db

SERVICE_OWNED = [
    Project,
    ProjectParticipant,
    ProjectResource,
    Material,
    ApplicationRevision,
    ReviewRound,
    ReviewTask,
    Opinion,
    ExpertInvitation,
]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def case(unit, other_unit, applicant, ndrc_signer, expert):
    from govinfo.orgs.models import Role
    from tests.factories import member

    """A joint project in review with a signed opinion and an invited expert: a row in every admin."""
    project = complete(unit, applicant)
    services.set_participants(project, by=applicant, lead_scope="统筹建设", rows=[(other_unit, "子系统建设")])
    project = services.submit(project, by=applicant)
    review_services.accept_into_review(project, by=ndrc_signer)
    sign(project, "finance", member(Role.SIGNER, agency_code="finance"))
    review_services.invite_expert(project, expert, by=ndrc_signer)
    project.refresh_from_db()
    return project


def test_an_admin_post_to_the_project_change_page_does_not_change_the_total_investment(
    client, admin_user, case
):
    client.force_login(admin_user)
    events = AuditEvent.objects.count()
    response = client.post(
        admin_url(Project, "change", case.pk),
        {"name": case.name, "year": case.year, "lead_unit": case.lead_unit_id, "total_investment": "1"},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.total_investment == Decimal("15000000.00")
    # Nothing changed; the refused attempt itself is on the trail (issue 11).
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)[events:]) == [
        "govinfo.access.refused"
    ]


def test_the_project_add_page_is_refused(client, admin_user):
    client.force_login(admin_user)
    assert client.get(admin_url(Project, "add")).status_code == 403
    assert client.post(admin_url(Project, "add"), {"name": "后门项目"}).status_code == 403
    assert not Project.objects.filter(name="后门项目").exists()


@pytest.mark.parametrize("model", SERVICE_OWNED, ids=lambda m: m.__name__)
def test_service_owned_content_is_listed_and_shown_but_not_added_changed_or_deleted(
    client, admin_user, case, model
):
    client.force_login(admin_user)
    model_admin = admin.site._registry[model]
    request = client.get("/").wsgi_request
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    listing = client.get(admin_url(model, "changelist"), {"q": case.code})
    assert listing.status_code == 200
    obj = model.objects.order_by("pk").first()
    detail = client.get(admin_url(model, "change", obj.pk))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_participants_and_materials_are_shown_on_the_project_page_but_not_editable_inline(
    client, admin_user, case, other_unit
):
    client.force_login(admin_user)
    page = client.get(admin_url(Project, "change", case.pk)).content.decode()
    assert "子系统建设" in page and other_unit.name in page
    assert case.materials.first().display_name in page
    shown = {
        "participants": ("unit", "scope"),
        "materials": ("kind", "display_name"),
        "resource_links": ("resource",),
    }
    for prefix, fields in shown.items():
        for name in fields:
            assert f'name="{prefix}-0-{name}"' not in page
        assert f'id="{prefix}-empty"' not in page  # no blank row to add one
    assert "<textarea" not in page and 'name="total_investment"' not in page
