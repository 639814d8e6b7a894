"""After the decision the unit is notified (issue 9 item 7): a to-do item for its clerks until one of them
signs for it (签收) or it expires, an e-mail to each active clerk once the decision has committed, and the
decision document on the project page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import notifications, services
from govinfo.audit.models import AuditEvent
from govinfo.documents.models import IssuedDocument
from govinfo.home.todo import items_for
from govinfo.notices.models import Notice
from govinfo.orgs.models import Membership, Role
from projects.models import State
from tests.factories import member

from .decision_factories import ready_for_decision


@pytest.fixture
def clerks(unit, applicant):
    """unit's clerks: two with an address, one without, one no longer active."""
    applicant.email = "clerk-a@edu.sc.gov.cn"
    applicant.save()
    second = member(Role.APPLICANT, unit=unit, username="clerk-a2")
    second.email = "clerk-a2@edu.sc.gov.cn"
    second.save()
    silent = member(Role.APPLICANT, unit=unit, username="clerk-a3")
    gone = member(Role.APPLICANT, unit=unit, username="clerk-a4")
    gone.email = "left@edu.sc.gov.cn"
    gone.save()
    Membership.objects.filter(user=gone).update(is_active=False)
    return {"applicant": applicant, "second": second, "silent": silent, "gone": gone}


@pytest.fixture
def approved(reviewing, signers, clerks, django_capture_on_commit_callbacks):
    ready_for_decision(reviewing)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.approve(reviewing, by=signers["ndrc"])
    return reviewing, document


def _titles(user) -> list[str]:
    return [item.title for item in items_for(user)]


def test_the_approval_is_mailed_to_each_active_clerk_of_the_unit(approved, mailoutbox, other_applicant):
    project, document = approved
    assert sorted(m.to[0] for m in mailoutbox) == ["clerk-a2@edu.sc.gov.cn", "clerk-a@edu.sc.gov.cn"]
    mail = mailoutbox[0]
    assert document.doc_number in mail.subject and document.title in mail.subject
    assert project.name in mail.body and reverse("projects:detail", args=[project.pk]) in mail.body
    assert all(len(m.to) == 1 for m in mailoutbox)  # no clerk sees another's address
    notice = Notice.objects.get()
    assert notice.unit == project.lead_unit and notice.emailed == 2


def test_no_mail_before_the_decision_commits(reviewing, signers, clerks, mailoutbox):
    ready_for_decision(reviewing)
    services.approve(reviewing, by=signers["ndrc"])  # the test's transaction never commits
    assert Notice.objects.count() == 1 and mailoutbox == []


def test_a_decision_that_rolls_back_leaves_no_notice_and_sends_nothing(
    monkeypatch, reviewing, signers, clerks, mailoutbox, django_capture_on_commit_callbacks
):
    ready_for_decision(reviewing)
    real = notifications.notify

    def notify_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(notifications, "notify", notify_then_fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.approve(reviewing, by=signers["ndrc"])
    assert not Notice.objects.exists() and mailoutbox == []
    assert not IssuedDocument.objects.filter(kind="approval").exists()
    reviewing.refresh_from_db()
    assert reviewing.state == State.EVALUATION


def test_the_clerks_find_it_on_their_to_do_list_and_one_signs_for_all(
    client, approved, clerks, other_applicant
):
    project, document = approved
    notice = Notice.objects.get()
    for who in ("applicant", "second", "silent"):
        assert notice.title in _titles(clerks[who])
    assert notice.title not in _titles(clerks["gone"]) and notice.title not in _titles(other_applicant)
    assert "批复已印发" in notice.title and document.doc_number in notice.title

    client.force_login(clerks["second"])
    page = client.get(reverse("notices:notice", args=[notice.pk])).content.decode()
    assert 'data-testid="acknowledge"' in page and reverse("projects:detail", args=[project.pk]) in page
    response = client.post(reverse("notices:acknowledge", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "projects:detail", args=[project.pk]
    )
    notice.refresh_from_db()
    assert notice.acknowledged_by == clerks["second"]
    for who in ("applicant", "second", "silent"):
        assert notice.title not in _titles(clerks[who])
    event = AuditEvent.objects.get(action="notices.notice.acknowledged")
    assert event.actor == clerks["second"] and event.target_id == str(project.pk)
    # The second 签收 changes nothing and says who signed.
    client.force_login(clerks["applicant"])
    response = client.post(reverse("notices:acknowledge", args=[notice.pk]), follow=True)
    assert "已由" in response.content.decode()
    notice.refresh_from_db()
    assert notice.acknowledged_by == clerks["second"]


def test_an_unsigned_notice_leaves_the_list_when_it_expires(approved, clerks, settings):
    notice = Notice.objects.get()
    assert notice.expires_at - notice.created_at == dt.timedelta(days=settings.NOTICE_KEEP_DAYS)
    Notice.objects.filter(pk=notice.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert notice.title not in _titles(clerks["applicant"])


@pytest.mark.parametrize(
    "who, status",
    [("other_applicant", 404), ("finance", 404), ("ndrc", 404), ("auditor", 200), ("anonymous", 302)],
)
def test_the_notice_page_by_role(client, approved, signers, other_applicant, auditor, who, status):
    people = {"other_applicant": other_applicant, "auditor": auditor, "anonymous": None, **signers}
    notice = Notice.objects.get()
    if people[who] is not None:
        client.force_login(people[who])
    response = client.get(reverse("notices:notice", args=[notice.pk]))
    assert response.status_code == status
    if who == "auditor":
        assert 'data-testid="acknowledge"' not in response.content.decode()


@pytest.mark.parametrize("who, status", [("other_applicant", 404), ("auditor", 403), ("finance", 404)])
def test_only_the_units_clerks_sign_for_it(client, approved, signers, other_applicant, auditor, who, status):
    people = {"other_applicant": other_applicant, "auditor": auditor, **signers}
    notice = Notice.objects.get()
    client.force_login(people[who])
    response = client.post(reverse("notices:acknowledge", args=[notice.pk]))
    assert response.status_code == status
    notice.refresh_from_db()
    assert not notice.is_acknowledged


def test_the_same_decision_is_never_notified_twice(approved, mailoutbox, django_capture_on_commit_callbacks):
    project, _document = approved
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.decision_made(project)
    assert Notice.objects.count() == 1 and len(mailoutbox) == sent


def test_the_unit_opens_the_approval_from_its_project_page(client, approved, clerks, other_applicant):
    project, document = approved
    client.force_login(clerks["applicant"])
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    download = reverse("documents:download", args=[document.pk])
    assert download in page and f"批复 {document.doc_number}" in page
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(other_applicant)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404
    assert client.get(download).status_code == 404


def test_the_project_pages_document_buttons_are_the_decisions_only(client, approved, clerks):
    """The 批复 is a button of the project page; the agencies' 审核意见书 are in its story, not buttons."""
    import re

    project, document = approved
    client.force_login(clerks["applicant"])
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    buttons = re.findall(r'<a class="button" href="([^"]+)" data-testid="page-link">', page)
    assert reverse("documents:download", args=[document.pk]) in buttons
    for opinion in IssuedDocument.objects.filter(kind="opinion"):
        assert reverse("documents:download", args=[opinion.pk]) not in buttons


def test_a_rejection_is_notified_and_listed_the_same_way(
    client, reviewing, signers, clerks, mailoutbox, django_capture_on_commit_callbacks
):
    ready_for_decision(reviewing)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(reviewing, by=signers["ndrc"], reason="与已建系统重复建设。")
    document = IssuedDocument.objects.get(kind="rejection")
    notice = Notice.objects.get()
    assert notice.title.startswith("不予批复") and document.doc_number in notice.title
    assert len(mailoutbox) == 2 and "不予批复" in mailoutbox[0].body
    client.force_login(clerks["applicant"])
    page = client.get(reverse("projects:detail", args=[reviewing.pk])).content.decode()
    assert f"不予批复函 {document.doc_number}" in page


def test_a_feasibility_approval_tells_the_unit_to_prepare_the_preliminary_design(
    unit, applicant, signers, clerks, mailoutbox, django_capture_on_commit_callbacks
):
    from .review_factories import in_review

    project = in_review(unit, applicant, signers["ndrc"], name="四川省两步项目", investment_wan=3000)
    ready_for_decision(project)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(project, by=signers["ndrc"])
    assert "初步设计方案" in Notice.objects.get().text and "初步设计方案" in mailoutbox[0].body


def test_a_mail_server_that_fails_does_not_undo_the_notice(
    monkeypatch, reviewing, signers, clerks, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    ready_for_decision(reviewing)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(reviewing, by=signers["ndrc"])
    notice = Notice.objects.get()
    assert notice.emailed == 0 and notice.title in _titles(clerks["applicant"])
