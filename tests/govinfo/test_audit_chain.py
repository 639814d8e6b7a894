"""The audit trail proves itself: a hash chain that ``verify_audit`` walks, and a database that refuses
to change it. Each tampering test does with raw SQL what an attacker with the owner's rights could do
(dropping or disabling the trigger first), and ``verify_audit`` must name the row where it happened."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from govinfo.audit import chain
from govinfo.audit.models import AuditEvent, ChainHead
from govinfo.audit.trail import record

pytestmark = pytest.mark.django_db


def _events(user, n: int = 6) -> list[AuditEvent]:
    return [
        record("govinfo.membership.changed", actor=user, target=user, details={"n": i, "金额": "12.50"})
        for i in range(n)
    ]


def _verify() -> tuple[int, str]:
    """Run the command as cron would: (exit status, what it printed)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", "--no-record", stdout=out, stderr=err)
    except CommandError as failure:
        return failure.returncode, err.getvalue() + str(failure)
    return 0, out.getvalue()


class Unguarded:
    """The trail's triggers out of the way, as only the database owner can do (rolled back with the test)."""

    def __enter__(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
                cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
                cursor.execute("DROP TRIGGER IF EXISTS audit_chainhead_update")
            else:
                # Deferred foreign-key checks of this test's inserts first: ALTER TABLE waits for none.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
                cursor.execute("ALTER TABLE audit_chainhead DISABLE TRIGGER audit_chainhead_guard")
        return self

    def __exit__(self, *exc):
        return False

    def sql(self, statement: str, params=()):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


def test_each_event_links_to_the_one_before_and_the_head_to_the_last(applicant):
    events = _events(applicant, 3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == chain.GENESIS
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (3, events[2].hash)
    stored = AuditEvent.objects.filter(pk=events[1].pk).values(*chain.HASHED).get()
    assert chain.event_hash(stored) == events[1].hash  # what was hashed is what the database returns
    status, said = _verify()
    assert status == 0 and "审计链完整：共 3 条记录" in said


def test_verify_audit_names_a_deleted_event(applicant):
    events = _events(applicant)
    with Unguarded() as db:
        db.sql("DELETE FROM audit_auditevent WHERE id = %s", [events[3].pk])
    status, said = _verify()
    assert status == 1 and "第 4 条记录缺失" in said


def test_verify_audit_names_an_edited_event(applicant):
    events = _events(applicant)
    with Unguarded() as db:
        db.sql("UPDATE audit_auditevent SET action = 'govinfo.user.logged_in' WHERE id = %s", [events[2].pk])
    status, said = _verify()
    assert status == 1 and "第 3 条记录的内容与其哈希不符" in said


def test_verify_audit_names_an_edit_whose_hash_was_recomputed(applicant):
    events = _events(applicant)
    forged = AuditEvent.objects.filter(pk=events[2].pk).values(*chain.HASHED).get()
    forged["details"] = {"n": 99}
    with Unguarded() as db:
        db.sql(
            "UPDATE audit_auditevent SET details = %s, hash = %s WHERE id = %s",
            ['{"n": 99}', chain.event_hash(forged), events[2].pk],
        )
    status, said = _verify()
    assert status == 1 and "第 4 条记录与它前面的第 3 条之间的链接断开" in said


def test_verify_audit_names_reordered_events(applicant):
    events = _events(applicant)
    with Unguarded() as db:  # swap the places of events 2 and 5 (through a free seq: it is unique)
        db.sql("UPDATE audit_auditevent SET seq = 1000 WHERE id = %s", [events[1].pk])
        db.sql("UPDATE audit_auditevent SET seq = 2 WHERE id = %s", [events[4].pk])
        db.sql("UPDATE audit_auditevent SET seq = 5 WHERE id = %s", [events[1].pk])
    status, said = _verify()
    assert status == 1 and "第 2 条" in said


def test_verify_audit_names_a_back_dated_event(applicant):
    events = _events(applicant)
    with Unguarded() as db:
        db.sql(
            "UPDATE audit_auditevent SET created_at = %s WHERE id = %s",
            [events[0].created_at.replace(year=2020), events[4].pk],
        )
    status, said = _verify()
    assert status == 1 and "第 5 条" in said


def test_verify_audit_names_a_forged_event_slipped_in(applicant):
    events = _events(applicant)
    with Unguarded() as db:
        db.sql("UPDATE audit_auditevent SET seq = seq + 100 WHERE seq >= 4")
        db.sql(
            "INSERT INTO audit_auditevent (action, target_id, target_repr, from_state, to_state, details,"
            " created_at, case_id, seq, prev_hash, hash) VALUES"
            " ('govinfo.user.logged_in', '', '', '', '', '{}', %s, '', 4, %s, %s)",
            [events[2].created_at, events[2].hash, "f" * 64],
        )
    status, said = _verify()
    assert status == 1 and "第 4 条" in said


def test_verify_audit_notices_the_last_events_removed(applicant):
    events = _events(applicant)
    with Unguarded() as db:
        db.sql("DELETE FROM audit_auditevent WHERE seq >= 5")
    status, said = _verify()
    assert status == 1 and "末尾的记录被删除" in said and events


def test_verify_audit_records_its_result_on_the_chain(applicant):
    _events(applicant, 2)
    call_command("verify_audit", stdout=StringIO())
    last = AuditEvent.objects.order_by("-seq").first()
    assert last.action == "govinfo.audit.verified" and last.details["ok"] is True
    assert last.details["checked"] == 2 and last.seq == 3


def test_the_database_refuses_to_delete_or_edit_an_event(applicant):
    event = _events(applicant, 1)[0]
    for statement in (
        "DELETE FROM audit_auditevent WHERE id = %s",
        "UPDATE audit_auditevent SET action = 'forged.action' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="govinfo.membership.changed").exists()


def test_the_chain_head_only_advances_with_the_chain(applicant):
    events = _events(applicant, 3)
    for statement, params in (
        ("UPDATE audit_chainhead SET seq = 1, hash = %s", [events[0].hash]),
        ("UPDATE audit_chainhead SET hash = %s", ["0" * 64]),
        ("DELETE FROM audit_chainhead", []),
        ("INSERT INTO audit_chainhead (id, seq, hash) VALUES (2, 1, %s)", [events[0].hash]),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    assert ChainHead.objects.get().seq == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_events_never_fork_the_chain(applicant):
    """Eight threads append at once (on PostgreSQL: eight connections, FOR UPDATE on the head row)."""
    per_thread, threads = 6, 8
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def append():
        try:
            start.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    record("govinfo.membership.changed", actor=applicant, details={"i": i})
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, per_thread * threads + 1))
    report = chain.verify()
    assert report.ok, report.summary()
