"""The audit trail is append-only, whatever code path tries to change it."""

import pytest
from django.db import DatabaseError, connection, transaction

from govinfo.audit.models import AppendOnlyError, AuditEvent
from govinfo.audit.trail import record, timeline

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_records_actor_target_states_and_details(applicant, unit):
    event = record(
        "govinfo.membership.changed",
        actor=applicant,
        target=unit,
        from_state="a",
        to_state="b",
        details={"amount": __import__("decimal").Decimal("12.50")},
    )
    assert event.actor == applicant and event.target_repr == unit.name
    assert event.details == {"amount": "12.50"}
    assert event.action_label == "调整成员角色"
    assert list(timeline(unit)) == [event]


def test_it_refuses_an_unregistered_action(applicant):
    with pytest.raises(ValueError, match="unregistered"):
        record("govinfo.nothing.happened", actor=applicant)


def test_an_event_cannot_be_edited_or_deleted_through_the_orm(applicant):
    event = record("govinfo.membership.changed", actor=applicant)
    event.action = "govinfo.user.logged_in"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x.y")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_a_raw_update(applicant):
    event = record("govinfo.membership.changed", actor=applicant)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'forged.action' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "govinfo.membership.changed"


def test_login_is_recorded_with_the_client_address(client, applicant):
    client.post(
        "/accounts/login/", {"username": applicant.username, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    event = AuditEvent.objects.get(action="govinfo.user.logged_in")
    assert event.actor == applicant and event.ip_address == "10.1.2.3"


def test_a_failed_login_is_recorded_without_the_password(client, applicant):
    client.post("/accounts/login/", {"username": applicant.username, "password": "wrong-one"})
    event = AuditEvent.objects.get(action="govinfo.user.login_failed")
    assert event.details == {"username": applicant.username}


def test_the_admin_shows_events_read_only(admin_client, applicant):
    event = record("govinfo.membership.changed", actor=applicant)
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    response = admin_client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert response.status_code == 200 and b'name="action"' not in response.content
    assert admin_client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
