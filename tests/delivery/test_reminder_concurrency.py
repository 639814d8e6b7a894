"""Two cron runs at once (or eight) send each reminder once: the unique Reminder row written with each mail
decides, the second writer waits for the first and skips. Threads with their own connections, as in
tests/approvals/test_review_concurrency.py."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from approvals.models import ReviewTask
from delivery import reminders
from delivery.models import Reminder
from govinfo.orgs.agencies import ARTICLE_22_AGENCIES
from govinfo.orgs.models import Role
from tests.approvals.review_factories import in_review
from tests.factories import UnitFactory, member

RUNS = 8
pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_runs_send_each_reminder_once():
    unit = UnitFactory(name="四川省提醒并发测试厅")
    clerk = member(Role.APPLICANT, unit=unit)
    signers = {code: member(Role.SIGNER, agency_code=code) for code in ["ndrc", *ARTICLE_22_AGENCIES]}
    for user in signers.values():
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    project = in_review(unit, clerk, signers["ndrc"])
    ReviewTask.objects.filter(round__project=project).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    mail.outbox = []
    start = threading.Barrier(RUNS)
    errors = []

    def run():
        try:
            start.wait()
            reminders.send()
        except BaseException as exc:  # every outcome is reported
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Reminder.objects.filter(kind="review_task.overdue").count() == 7
    assert len([m for m in mail.outbox if "审核任务" in m.subject]) == 7
