"""What the trail now records besides the services' own events: admin changes (with what each field was
and became), downloads of issued documents, refused object access (404 and 403) and idle sign-outs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from govinfo.audit.models import AuditEvent
from govinfo.orgs.models import Unit
from tests.factories import PASSWORD
from tests.projects.factories import draft

pytestmark = pytest.mark.django_db


# The unit admin's inline of members, empty.
NO_MEMBERS = {
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def test_an_admin_change_is_recorded_with_before_and_after(client, admin_user, unit):
    client.force_login(admin_user)
    url = reverse("admin:orgs_unit_change", args=[unit.pk])
    form = {
        "name": "四川省教育厅（更名）",
        "short_name": unit.short_name,
        "credit_code": unit.credit_code,
        "head": "李四",
        "contact": "",
        "phone": "",
        "address": "",
        "is_active": "on",
        **NO_MEMBERS,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = _last("govinfo.admin.changed")
    assert event.actor == admin_user and event.target_id == str(unit.pk)
    assert event.details["changes"]["name"] == ["四川省教育厅", "四川省教育厅（更名）"]
    assert event.details["changes"]["head"] == ["张三", "李四"]
    assert "credit_code" not in event.details["changes"]


def test_an_admin_addition_and_deletion_are_recorded(client, admin_user):
    from govinfo.orgs.credit_code import make_credit_code

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:orgs_unit_add"),
        {
            "name": "四川省新设厅",
            "short_name": "新设厅",
            "credit_code": make_credit_code("11510000MB7777777"),
            "is_active": "on",
            **NO_MEMBERS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Unit.objects.get(name="四川省新设厅")
    event = _last("govinfo.admin.added")
    assert event.details["values"]["name"] == "四川省新设厅" and event.target_id == str(added.pk)
    client.post(reverse("admin:orgs_unit_delete", args=[added.pk]), {"post": "yes"})
    deleted = AuditEvent.objects.filter(action="govinfo.admin.deleted", target_id=str(added.pk)).get()
    assert deleted.details["values"]["name"] == "四川省新设厅" and deleted.actor == admin_user


def test_a_password_never_reaches_the_trail(client, admin_user, applicant):
    client.force_login(admin_user)
    client.post(
        reverse("admin:auth_user_password_change", args=[applicant.pk]),
        {
            "password1": "A-new-long-password-2026",
            "password2": "A-new-long-password-2026",
            "usable_password": "true",
        },
    )
    changed = AuditEvent.objects.filter(action="govinfo.admin.changed").get()
    assert "password" not in changed.details.get("changes", {})
    assert "md5$" not in str(changed.details) and "pbkdf2" not in str(changed.details)


def test_a_download_of_an_issued_document_is_recorded(client, auditor, ndrc_signer):
    from tests.documents.samples import issue_sample
    from tests.factories import agency

    document = issue_sample(agency("ndrc"), ndrc_signer)
    client.force_login(auditor)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    event = _last("documents.document.downloaded")
    assert event.actor == auditor and event.target_id == str(document.pk)
    assert event.details == {"doc_number": document.doc_number, "sha256": document.sha256}


def test_a_case_hidden_by_get_case_is_recorded_with_the_case(client, unit, applicant, other_applicant):
    project = draft(unit, applicant)
    client.force_login(other_applicant)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404
    event = _last("govinfo.access.refused")
    assert event.actor == other_applicant and event.details["status"] == 404
    assert (event.case_type.model, event.case_id) == ("project", str(project.pk))
    assert client.get(reverse("projects:detail", args=[999999])).status_code == 404
    assert _last("govinfo.access.refused").case_id == ""


def test_a_403_is_recorded(client, unit, applicant, auditor):
    project = draft(unit, applicant)
    client.force_login(auditor)
    response = client.get(reverse("projects:section", args=[project.pk, "basic"]))
    assert response.status_code == 403
    event = _last("govinfo.access.refused")
    assert event.actor == auditor and event.details["status"] == 403


def test_an_idle_sign_out_is_recorded_once(client, applicant, settings):
    client.post(reverse("login"), {"username": applicant.username, "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(reverse("home"), follow=True)
    assert "/accounts/login/" in response.redirect_chain[-1][0]
    assert "已自动退出登录" in response.content.decode()
    event = _last("govinfo.user.idle_logout")
    assert event.actor == applicant and event.details["idle_minutes"] == settings.SESSION_COOKIE_AGE // 60
    client.get(reverse("home"))
    assert AuditEvent.objects.filter(action="govinfo.user.idle_logout").count() == 1


def test_expire_sessions_records_those_who_never_came_back(client, applicant):
    client.post(reverse("login"), {"username": applicant.username, "password": PASSWORD})
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(minutes=1))
    call_command("expire_sessions", stdout=__import__("io").StringIO())
    assert _last("govinfo.user.idle_logout").actor == applicant
    assert not Session.objects.exists()
