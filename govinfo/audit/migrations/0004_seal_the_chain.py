"""Seal the audit trail: every event already written gets its case, its place and its hash; the
database then refuses UPDATE and DELETE of events, and lets the chain head only advance with the chain.

Triggers (SQLite and PostgreSQL):
- events: UPDATE refused; DELETE refused (on SQLite unless the application's own
  ``govinfo_audit_erasable()`` says the test runner is flushing — see ``govinfo.audit.guard``; the
  ``sqlite3`` shell has no such function, so a DELETE there fails as well);
- chain head: it cannot be removed, moved back, or point at anything but the last event's hash.
TRUNCATE and ``DISABLE TRIGGER`` on PostgreSQL are a matter of privileges: the application's role owns
nothing (``manage.py grant_app_role``); the owner role runs migrations.

Existing events are put on the chain in the order they were written (time, then id); their case comes
from the current code's case registry (``govinfo.audit.cases``), so this migration runs after the apps'
tables exist.
"""

from django.db import migrations, models

GENESIS = "0" * 64

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
    "DROP TRIGGER IF EXISTS audit_chainhead_insert;",
    "DROP TRIGGER IF EXISTS audit_chainhead_update;",
    "DROP TRIGGER IF EXISTS audit_chainhead_delete;",
]
SQLITE_CREATE = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT govinfo_audit_erasable()
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_chainhead_insert BEFORE INSERT ON audit_chainhead
       WHEN NEW.seq != (SELECT COALESCE(MAX(seq), 0) FROM audit_auditevent)
         OR NEW.hash != COALESCE((SELECT hash FROM audit_auditevent WHERE seq = NEW.seq), '0000000000000000000000000000000000000000000000000000000000000000')
       BEGIN SELECT RAISE(ABORT, 'the audit chain head must point at the last event'); END;""",
    """CREATE TRIGGER audit_chainhead_update BEFORE UPDATE ON audit_chainhead
       WHEN NEW.id != OLD.id OR NEW.seq != OLD.seq + 1
         OR NEW.hash IS NOT (SELECT hash FROM audit_auditevent WHERE seq = NEW.seq)
       BEGIN SELECT RAISE(ABORT, 'the audit chain head only advances with the chain'); END;""",
    """CREATE TRIGGER audit_chainhead_delete BEFORE DELETE ON audit_chainhead
       WHEN NOT govinfo_audit_erasable()
       BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be removed'); END;""",
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_chainhead_guard ON audit_chainhead;",
]
POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();""",
    """CREATE OR REPLACE FUNCTION audit_chainhead_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           RAISE EXCEPTION 'the audit chain head cannot be removed';
         END IF;
         IF TG_OP = 'UPDATE' AND (NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1) THEN
           RAISE EXCEPTION 'the audit chain head only advances with the chain';
         END IF;
         IF TG_OP = 'INSERT' AND NEW.seq <> (SELECT COALESCE(MAX(seq), 0) FROM audit_auditevent) THEN
           RAISE EXCEPTION 'the audit chain head must point at the last event';
         END IF;
         IF NEW.hash IS DISTINCT FROM COALESCE(
              (SELECT hash FROM audit_auditevent WHERE seq = NEW.seq), repeat('0', 64)) THEN
           RAISE EXCEPTION 'the audit chain head must point at the last event';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_chainhead_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_chainhead
       FOR EACH ROW EXECUTE FUNCTION audit_chainhead_guard();""",
]
POSTGRES_DROP_FUNCTIONS = ["DROP FUNCTION IF EXISTS audit_chainhead_guard();"]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def unseal(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []))


def seal(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, []))


def _case_finder():
    """The current code's answer to "which case does this target belong to", cached per target."""
    from django.apps import apps as live_apps
    from django.db import transaction

    from govinfo.audit import cases

    ContentType = live_apps.get_model("contenttypes", "ContentType")
    found: dict[tuple[int, str], tuple[int | None, str]] = {}

    def case_for(target_type_id, target_id):
        key = (target_type_id, target_id)
        if key not in found:
            found[key] = (None, "")
            try:
                with transaction.atomic():
                    model = ContentType.objects.get_for_id(target_type_id).model_class()
                    target = model._default_manager.filter(pk=target_id).first() if model else None
                    case = cases.case_of(target) if target is not None else None
                    if case is not None:
                        found[key] = (ContentType.objects.get_for_model(case, for_concrete_model=False).pk, str(case.pk))
            except Exception:  # a target whose model changed since: the event keeps no case
                pass
        return found[key]

    return case_for


def put_events_on_the_chain(apps, schema_editor):
    from govinfo.audit.chain import event_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    case_for = _case_finder()
    seq, previous = 0, GENESIS
    columns = (
        "id", "created_at", "actor_id", "action", "target_type_id", "target_id", "target_repr",
        "from_state", "to_state", "details", "ip_address",
    )
    for row in AuditEvent.objects.order_by("created_at", "id").values(*columns).iterator(chunk_size=2000):
        seq += 1
        case_type_id, case_id = case_for(row["target_type_id"], row["target_id"]) if row["target_type_id"] else (None, "")
        values = {**row, "seq": seq, "prev_hash": previous, "case_type_id": case_type_id, "case_id": case_id}
        digest = event_hash(values)
        AuditEvent.objects.filter(pk=row["id"]).update(
            seq=seq, prev_hash=previous, hash=digest, case_type_id=case_type_id, case_id=case_id
        )
        previous = digest
    ChainHead.objects.all().delete()
    ChainHead.objects.create(id=1, seq=seq, hash=previous)
    if schema_editor.connection.vendor == "postgresql":
        # The updates queued deferred foreign-key checks (case_type); PostgreSQL refuses the ALTER TABLE that
        # follows while they are pending ("pending trigger events"), so run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_hash_chain_and_case"),
        # The case of an existing event is found through these apps' models (see the docstring).
        ("projects", "0004_applicationrevision"),
        ("approvals", "0005_review_fsm"),
        ("catalogue", "0001_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(unseal, migrations.RunPython.noop),
        migrations.RunPython(put_events_on_the_chain, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="链序号"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["case_type", "case_id", "seq"], name="audit_case_seq_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["actor", "seq"], name="audit_actor_seq_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["action", "seq"], name="audit_action_seq_idx"),
        ),
        migrations.RunPython(seal, unseal),
    ]
