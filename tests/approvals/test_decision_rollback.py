"""R-REV-6 with the review's own services: when the decision fails after its 批复 was stored, neither the
file nor a gap remains — the next 批复 takes the number, and it is the only file printed with it."""

import pytest
from django.core.files.storage import default_storage

from approvals import services
from govinfo.documents.models import IssuedDocument
from projects.models import State

from .review_factories import ready_for_decision

pytestmark = pytest.mark.django_db(transaction=True)


class AuditDown(Exception):
    pass


def _stored() -> set[str]:
    if not default_storage.exists("documents"):
        return set()
    years = default_storage.listdir("documents")[0]
    return {f"documents/{y}/{name}" for y in years for name in default_storage.listdir(f"documents/{y}")[1]}


def test_r_rev_6_a_failed_approval_leaves_no_file_and_no_gap(
    settings, tmp_path, reviewing, signers, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    ready_for_decision(reviewing, signers)
    before = _stored()
    ndrc_numbers = list(IssuedDocument.objects.filter(agency__code="ndrc").values_list("number", flat=True))
    original = services.trail.record

    def record(action, **kwargs):
        # The service's own event, written after issue_document has returned inside approve()'s transaction.
        if action == "approvals.project.approved":
            raise AuditDown("audit trail unavailable")
        return original(action, **kwargs)

    monkeypatch.setattr(services.trail, "record", record)
    with pytest.raises(AuditDown):
        services.approve(reviewing, by=signers["ndrc"])
    monkeypatch.undo()

    assert _stored() == before
    reviewing.refresh_from_db()
    assert reviewing.state == State.EVALUATION
    assert not IssuedDocument.objects.filter(kind=IssuedDocument.Kind.APPROVAL).exists()

    document = services.approve(reviewing, by=signers["ndrc"])
    assert (
        document.number == max(ndrc_numbers, default=0) + 1
    )  # the number the lost file carried, issued for real
    assert _stored() == before | {document.pdf.name}
