"""On PostgreSQL the site runs as a role that owns nothing (README, "Deployment"): connected as that role,
the audit trail cannot be deleted, edited, truncated, or have its triggers disabled or dropped.

``.ci/run`` creates the role (``govinfo_app``) before the PostgreSQL run; without it (SQLite, or a
database where nobody created it) these tests are skipped.
"""

from __future__ import annotations

import os

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from govinfo.audit.models import AuditEvent, ChainHead
from govinfo.audit.trail import record

ROLE = os.environ.get("GOVINFO_APP_ROLE", "govinfo_app")

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and privileges are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


def _role_exists() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        return cursor.fetchone() is not None


@pytest.fixture
def as_app_role(applicant):
    if not _role_exists():
        pytest.skip(f"PostgreSQL role {ROLE!r} not present (.ci/run creates it for the PostgreSQL run)")
    record("govinfo.membership.changed", actor=applicant, target=applicant)
    call_command("grant_app_role", ROLE, stdout=open(os.devnull, "w"))
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=ROLE,
        password=os.environ.get("GOVINFO_APP_ROLE_PASSWORD", ""),
        autocommit=True,
    ) as app:
        yield app


REFUSED = [
    "DELETE FROM audit_auditevent",
    "UPDATE audit_auditevent SET action = 'forged.action'",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_event_no_change ON audit_auditevent",
    "DROP TABLE audit_auditevent",
    "DELETE FROM audit_chainhead",
    "UPDATE audit_chainhead SET seq = 0",
    "TRUNCATE audit_chainhead",
    "ALTER TABLE audit_chainhead DISABLE TRIGGER ALL",
]


def test_the_app_role_cannot_change_the_audit_trail(as_app_role):
    for statement in REFUSED:
        with pytest.raises(psycopg.Error):
            as_app_role.execute(statement)
    assert AuditEvent.objects.count() == 1 and ChainHead.objects.get().seq == 1


def test_the_app_role_reads_and_appends_and_works_the_other_tables(as_app_role):
    rights = as_app_role.execute(
        "SELECT has_table_privilege(current_user, 'audit_auditevent', 'INSERT'),"
        " has_table_privilege(current_user, 'audit_auditevent', 'DELETE'),"
        " has_table_privilege(current_user, 'projects_project', 'UPDATE'),"
        " (SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user))"
    ).fetchone()
    assert rights == (True, False, True, 0)
    assert as_app_role.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (1,)
