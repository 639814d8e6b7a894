"""No orphan file ever carries a live number: a file stored in a transaction that does not commit is
deleted, and the number it carries is the next one issued — no gap, and no second file printed with it."""

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from govinfo.audit import trail
from govinfo.documents import files
from govinfo.documents.files import PendingFilesMiddleware, atomic_with_files, pending_files
from govinfo.documents.models import IssuedDocument
from tests.factories import agency

from .samples import issue_sample

pytestmark = pytest.mark.django_db(transaction=True)


def _stored() -> set[str]:
    folder = "documents/2026"
    if not default_storage.exists(folder):
        return set()
    return {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A media folder of the test's own, so that "no new file" means exactly that."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ndrc():
    return agency("ndrc")


class CallerFailed(Exception):
    pass


def _decide(ndrc, signer, *, fail: bool):
    """A caller's service: issue, then write its own audit event (which may fail) in one transaction."""
    with atomic_with_files():
        document = issue_sample(ndrc, signer)
        trail.record("govinfo.calendar.changed", actor=signer, details={"decided": document.doc_number})
        if fail:
            raise CallerFailed("the caller's own audit write failed")
    return document


def test_a_failure_after_issue_returned_deletes_the_file_and_leaves_no_gap(ndrc, ndrc_signer, monkeypatch):
    first = issue_sample(ndrc, ndrc_signer)
    before = _stored()
    original = trail.record

    def record(action, **kwargs):
        if action == "govinfo.calendar.changed":  # the caller's event, after issue_document returned
            raise CallerFailed("audit trail unavailable")
        return original(action, **kwargs)

    monkeypatch.setattr(trail, "record", record)
    with pytest.raises(CallerFailed):
        _decide(ndrc, ndrc_signer, fail=False)
    monkeypatch.undo()

    assert _stored() == before  # the PDF printed with 川发改审〔2026〕2号 is gone
    assert pending_files() == []
    assert list(IssuedDocument.objects.values_list("number", flat=True)) == [first.number]
    second = _decide(ndrc, ndrc_signer, fail=False)
    assert second.doc_number == "川发改审〔2026〕2号"  # no gap, and the only file carrying it is this one
    assert _stored() == before | {second.pdf.name}


def test_a_committed_document_keeps_its_file(ndrc, ndrc_signer):
    document = _decide(ndrc, ndrc_signer, fail=False)
    assert document.pdf.name in _stored()
    assert pending_files() == []


def test_a_rolled_back_savepoint_deletes_its_file_while_the_transaction_commits(ndrc, ndrc_signer):
    with atomic_with_files():
        kept = issue_sample(ndrc, ndrc_signer)
        with pytest.raises(CallerFailed), atomic_with_files():
            dropped = issue_sample(ndrc, ndrc_signer)
            raise CallerFailed()
        assert dropped.pdf.name not in _stored()  # deleted at once: its row went with the savepoint
    assert _stored() == {kept.pdf.name}
    assert issue_sample(ndrc, ndrc_signer).number == 2


def test_a_savepoint_rolled_back_by_plain_atomic_is_cleaned_when_the_transaction_ends(ndrc, ndrc_signer):
    with atomic_with_files():
        kept = issue_sample(ndrc, ndrc_signer)
        with pytest.raises(CallerFailed), transaction.atomic():
            issue_sample(ndrc, ndrc_signer)
            raise CallerFailed()
    assert _stored() == {kept.pdf.name}
    assert pending_files() == []


def test_atomic_with_files_works_as_a_decorator_with_or_without_parentheses(ndrc, ndrc_signer):
    @atomic_with_files
    def bare():
        issue_sample(ndrc, ndrc_signer)
        raise CallerFailed()

    @atomic_with_files()
    def called():
        issue_sample(ndrc, ndrc_signer)
        raise CallerFailed()

    for service in (bare, called):
        with pytest.raises(CallerFailed):
            service()
    assert _stored() == set()
    assert not IssuedDocument.objects.exists()


def test_a_committed_file_survives_a_commit_hook_that_raises(ndrc, ndrc_signer):
    """Another on_commit callback raising stops ours from confirming; the database still says committed."""

    def broken_hook():
        raise CallerFailed("a notification hook failed after commit")

    with pytest.raises(CallerFailed), atomic_with_files():
        transaction.on_commit(broken_hook)
        document = issue_sample(ndrc, ndrc_signer)
    assert IssuedDocument.objects.filter(pk=document.pk).exists()
    assert _stored() == {document.pdf.name}
    assert pending_files() == []


def test_the_middleware_cleans_up_after_a_view_that_used_plain_atomic(ndrc, ndrc_signer):
    def view(request):
        try:
            with transaction.atomic():
                issue_sample(ndrc, ndrc_signer)
                raise CallerFailed()
        except CallerFailed:
            pass
        assert len(_stored()) == 1  # plain atomic has no rollback hook: the file is still there here
        return "response"

    assert PendingFilesMiddleware(view)(RequestFactory().post("/")) == "response"
    assert _stored() == set()
    assert pending_files() == []


def test_the_sweep_deletes_old_files_no_row_names(ndrc, ndrc_signer):
    document = issue_sample(ndrc, ndrc_signer)
    orphan = default_storage.save("documents/2026/left-by-a-killed-process.pdf", ContentFile(b"%PDF-"))
    fresh = default_storage.save("documents/2026/being-issued-right-now.pdf", ContentFile(b"%PDF-"))
    two_hours_ago = (dt.datetime.now() - dt.timedelta(hours=2)).timestamp()
    for name in (orphan, document.pdf.name):
        os.utime(default_storage.path(name), (two_hours_ago, two_hours_ago))

    call_command("sweep_document_files", stdout=open(os.devnull, "w"))

    assert _stored() == {document.pdf.name, fresh}


def test_nothing_is_pending_outside_a_transaction_after_an_issue(ndrc, ndrc_signer):
    issue_sample(ndrc, ndrc_signer)
    assert files.pending_files() == []
