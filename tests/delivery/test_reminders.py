"""Deadlines and reminders (issue 10, item 8): the daily command sends each reminder once."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from approvals.models import ReviewTask
from catalogue import services as catalogue_services
from catalogue.models import ShareRequest
from delivery import reminders
from delivery.models import Reminder
from govinfo.workdays.days import add_working_days
from projects.models import Project
from tests.approvals.review_factories import in_review
from tests.catalogue.factories import bigdata_member, make_resource

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due_things(building, unit, applicant, other_unit, other_applicant, signers):
    """An acceptance due in 3 working days, an overdue review task and an overdue share request."""
    with_email(applicant, other_applicant, *signers.values())
    Project.objects.filter(pk=building.pk).update(acceptance_due=add_working_days(TODAY(), 3))
    reviewing = in_review(unit, applicant, signers["ndrc"], name="审查中的项目")
    ReviewTask.objects.filter(round__project=reviewing, agency__code="finance").update(
        due_date=TODAY() - dt.timedelta(days=2)
    )
    resource = make_resource(
        unit, applicant, state="published", publisher=bigdata_member(), name="学生基本信息"
    )
    request = catalogue_services.request_share(resource, unit=other_unit, by=other_applicant, purpose="核验")
    ShareRequest.objects.filter(pk=request.pk).update(due_date=TODAY() - dt.timedelta(days=1))
    return {"building": building, "reviewing": reviewing, "request": request}


def test_the_reminder_command_run_twice_sends_each_reminder_once(due_things, applicant, signers):
    mail.outbox = []
    run()
    first = len(mail.outbox)
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert {"acceptance.due_soon", "review_task.overdue", "share_request.overdue"} <= kinds
    subjects = [m.subject for m in mail.outbox]
    assert any("即将到期" in s and "申请验收" in s for s in subjects)
    assert any("已逾期" in s and "审核任务" in s for s in subjects)
    assert any("已逾期" in s and "共享申请" in s for s in subjects)
    acceptance_mail = next(m for m in mail.outbox if "申请验收" in m.subject)
    assert applicant.email in acceptance_mail.bcc and "/delivery/projects/" in acceptance_mail.body
    finance_mail = next(m for m in mail.outbox if "审核任务" in m.subject)
    assert signers["finance"].email in finance_mail.bcc and applicant.email not in finance_mail.bcc

    run()
    assert len(mail.outbox) == first, "a second run the same day sends nothing again"
    assert Reminder.objects.count() == first


def test_a_moved_deadline_is_a_new_reminder_but_the_same_one_never_twice(due_things):
    run()
    before = Reminder.objects.filter(kind__startswith="acceptance").count()
    Project.objects.filter(pk=due_things["building"].pk).update(acceptance_due=add_working_days(TODAY(), 5))
    run()
    run()
    assert Reminder.objects.filter(kind__startswith="acceptance").count() == before + 1


def test_an_overdue_item_reminds_ndrc_too_and_is_a_reminder_of_its_own(due_things, applicant, signers):
    run()
    Project.objects.filter(pk=due_things["building"].pk).update(acceptance_due=TODAY() - dt.timedelta(days=1))
    mail.outbox = []
    run()
    (overdue,) = [m for m in mail.outbox if "申请验收" in m.subject]
    assert "已逾期" in overdue.subject
    assert applicant.email in overdue.bcc and signers["ndrc"].email in overdue.bcc


def test_a_mail_that_fails_is_not_recorded_and_goes_out_on_the_next_run(due_things, monkeypatch):
    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr(mail.EmailMessage, "send", broken)
    with pytest.raises(OSError):
        run()
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    mail.outbox = []
    run()
    assert mail.outbox and Reminder.objects.exists()


def test_a_dry_run_lists_and_sends_nothing(due_things):
    mail.outbox = []
    out = run("--dry-run")
    assert "acceptance.due_soon" in out and not mail.outbox and not Reminder.objects.exists()


def test_monitoring_reports_remind_before_and_after_the_year_end_deadline(building, applicant, signers):
    with_email(applicant, signers["ndrc"])
    year = TODAY().year
    early = reminders.collect(dt.date(year, 6, 1))
    assert not [d for d in early if d.source == "monitoring"]
    soon = [d for d in reminders.collect(dt.date(year, 12, 24)) if d.source == "monitoring"]
    assert [(d.stage, d.period) for d in soon] == [("due_soon", str(year))]
    late = [d for d in reminders.collect(dt.date(year + 1, 1, 20)) if d.source == "monitoring"]
    assert ("overdue", str(year)) in [(d.stage, d.period) for d in late]
    assert signers["ndrc"] in next(d for d in late if d.stage == "overdue").recipients


def test_due_soon_counts_working_days_back_from_the_deadline():
    due = dt.date(2026, 10, 9)  # the Friday after 国庆 (a 调休 working Saturday is 10 Oct)
    assert reminders.stage_of(due, dt.date(2026, 10, 1), 1) is None  # a holiday week: not yet
    assert reminders.stage_of(due, add_working_days(due, -1), 1) == "due_soon"
    assert reminders.stage_of(due, due + dt.timedelta(days=1), 1) == "overdue"
