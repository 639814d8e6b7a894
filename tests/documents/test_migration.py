"""The engine's models moved from approvals to the platform without touching a row: a document issued
before the move is the same document after it, its counter goes on from where it was, and the audit
events and permissions that point at its content type still find it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from govinfo.documents.models import IssuedDocument
from govinfo.documents.numbering import next_number

BEFORE_THE_MOVE = [("approvals", "0002_review"), ("documents", None)]


@pytest.mark.django_db(transaction=True)
def test_a_document_issued_before_the_move_survives_it(ndrc_signer):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    old = MigrationExecutor(connection).loader.project_state([("approvals", "0002_review")]).apps
    ndrc = old.get_model("orgs", "Agency").objects.get(code="ndrc")
    old_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="approvals", model="issueddocument"
    )
    document = old.get_model("approvals", "IssuedDocument").objects.create(
        kind="approval",
        agency_id=ndrc.pk,
        year=2026,
        number=7,
        doc_number="川发改审〔2026〕7号",
        title="关于某项目的批复",
        issued_at="2026-11-24T08:00:00Z",
        issued_by_id=ndrc_signer.pk,
        pdf="documents/2026/before-the-move.pdf",
        sha256="a" * 64,
        content={"date": "2026-11-24"},
        content_fingerprint="b" * 64,
        verification_token="token-before-the-move",
    )
    old.get_model("approvals", "DocumentCounter").objects.create(agency_id=ndrc.pk, year=2026, last_number=7)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = IssuedDocument.objects.get(verification_token="token-before-the-move")
    assert (moved.pk, moved.doc_number, moved.pdf.name) == (
        document.pk,
        "川发改审〔2026〕7号",
        "documents/2026/before-the-move.pdf",
    )
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(IssuedDocument).pk == old_type.pk
    with transaction.atomic():
        assert next_number(moved.agency, 2026) == 8  # the counter moved too: no number is issued twice
