"""Events written before the chain existed are put on it, in the order they were written, with their
case; a trail sealed, unsealed and sealed again by the migrations hashes to the very same values."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from govinfo.audit import chain
from govinfo.audit.models import AuditEvent, ChainHead
from projects.models import Project
from tests.projects.factories import draft

BEFORE_THE_CHAIN = [("audit", "0002_append_only_triggers")]


@pytest.mark.django_db(transaction=True)
def test_existing_events_are_put_on_the_chain_with_their_case(unit, applicant):
    project = draft(unit, applicant, name="迁移前的项目")
    sealed = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash", "case_id"))
    assert sealed and all(case_id == str(project.pk) for _seq, _hash, case_id in sealed)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_CHAIN)
    old = executor.loader.project_state(BEFORE_THE_CHAIN).apps
    OldEvent = old.get_model("audit", "AuditEvent")
    user_type = ContentType.objects.get_for_model(type(applicant))
    OldEvent.objects.create(
        actor_id=applicant.pk,
        action="govinfo.user.logged_in",
        target_type_id=user_type.pk,
        target_id=str(applicant.pk),
        target_repr=str(applicant),
        details={},
    )
    OldEvent.objects.filter(action="govinfo.user.logged_in").update(
        created_at=timezone.now() + dt.timedelta(seconds=1)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    resealed = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash", "case_id"))
    assert resealed[: len(sealed)] == sealed  # the same content in the same order: the same hashes
    login = AuditEvent.objects.get(action="govinfo.user.logged_in")
    assert (login.seq, login.case_type, login.case_id) == (len(sealed) + 1, None, "")
    assert chain.verify().ok
    assert ChainHead.objects.get().seq == len(sealed) + 1
    assert Project.objects.filter(pk=project.pk).exists()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x.y' WHERE id = %s", [login.pk])
