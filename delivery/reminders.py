"""Deadlines and reminders (issue 10, item 8): what is due soon or overdue, reminded once by e-mail.

``manage.py send_reminders`` runs this once a day from cron (README: "Reminders"). It finds, on the
working-day calendar (``govinfo.workdays``):

==================  ==================================================  ==========================
source              due date                                            reminded
==================  ==================================================  ==========================
monitoring          31 December of each year under construction or      the unit; NDRC once overdue
                    trial (R-BLD-4)
acceptance          ``Project.acceptance_due`` (R-APP-4, R-ACC-3)        the unit; NDRC once overdue
self_evaluation     24 months into operation (R-EVA-1); also when the   the unit; NDRC once overdue
                    12-month window opens
review_task         ``ReviewTask.due_date`` (R-REV-1)                    the agency (or the assignee)
share_request       ``ShareRequest.due_date`` (R-CAT-3)                  the providing unit
==================  ==================================================  ==========================

Each is reminded when it comes due soon (``LEAD_WORKING_DAYS`` working days before) and again once
overdue — never the same reminder twice: a ``Reminder`` row, unique per (object, kind, period), is written
in the same transaction that sends the mail. A mail that fails rolls its row back, so the next run tries
again; two runs at once cannot both send (the second waits on the unique row and skips). The period is the
occurrence (the report year, the due date), so a moved deadline or next year's report is a new reminder.

The same items stand on the to-do lists (each part's to-do provider), which the e-mail links to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from approvals.models import ReviewRound, ReviewTask
from catalogue.models import ShareRequest
from govinfo.formats import official_date
from govinfo.orgs.models import Membership, Role
from projects.models import AWAITING_ACCEPTANCE_STATES, Project

from . import monitoring
from .dates import reminder_window_opens
from .evaluation import operation_starts, window
from .models import Reminder

LEAD_WORKING_DAYS = {
    "monitoring": 10,
    "acceptance": 20,
    "self_evaluation": 20,
    "review_task": 1,
    "share_request": 2,
}


@dataclass
class Due:
    """Something to remind of: what, for which occurrence, by when, and whom."""

    source: str
    stage: str  # "due_soon", "overdue", or "open" (a window that opened)
    target: object
    period: str
    due: dt.date
    subject: str
    url: str
    recipients: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        return f"{self.source}.{self.stage}"

    @property
    def key(self) -> str:
        target_type = ContentType.objects.get_for_model(self.target, for_concrete_model=False)
        return f"{self.kind}:{target_type.app_label}.{target_type.model}:{self.target.pk}:{self.period}"


def stage_of(due: dt.date, today: dt.date, lead: int) -> str | None:
    if today > due:
        return "overdue"
    if today >= reminder_window_opens(due, lead):
        return "due_soon"
    return None


# -- who is reminded --------------------------------------------------------------------------------


def unit_people(unit_ids: Iterable[int]) -> dict[int, list]:
    people: dict[int, list] = {}
    rows = (
        Membership.objects.active()
        .filter(role=Role.APPLICANT, unit_id__in=list(unit_ids))
        .select_related("user")
    )
    for membership in rows:
        people.setdefault(membership.unit_id, []).append(membership.user)
    return people


def agency_people(codes: Iterable[str] = (), ids: Iterable[int] = ()) -> dict:
    """Members (reviewers and signers) of agencies, keyed by agency code and by id."""
    people: dict = {}
    rows = (
        Membership.objects.active()
        .filter(role__in=[Role.REVIEWER, Role.SIGNER])
        .filter(Q(agency__code__in=list(codes)) | Q(agency_id__in=list(ids)))
        .select_related("user", "agency")
    )
    for membership in rows:
        for key in (membership.agency.code, membership.agency_id):
            bucket = people.setdefault(key, [])
            if membership.user not in bucket:
                bucket.append(membership.user)
    return people


# -- the sources ------------------------------------------------------------------------------------


def _monitoring(today: dt.date) -> list[Due]:
    owed = monitoring.missing(Project.objects.all(), today)
    units = unit_people({o.project.lead_unit_id for o in owed})
    ndrc = agency_people(codes=["ndrc"]).get("ndrc", [])
    found = []
    for item in owed:
        stage = stage_of(item.due, today, LEAD_WORKING_DAYS["monitoring"])
        if stage is None:
            continue
        recipients = list(units.get(item.project.lead_unit_id, []))
        if stage == "overdue":
            recipients += ndrc
        found.append(
            Due(
                "monitoring",
                stage,
                item.project,
                str(item.year),
                item.due,
                _("%(name)s %(year)s年度绩效监控报告") % {"name": item.project.name, "year": item.year},
                reverse("delivery:monitoring", args=[item.project.pk]),
                recipients,
            )
        )
    return found


def _acceptance(today: dt.date) -> list[Due]:
    projects = list(
        Project.objects.filter(state__in=AWAITING_ACCEPTANCE_STATES, acceptance_due__isnull=False).order_by(
            "pk"
        )
    )
    units = unit_people({p.lead_unit_id for p in projects})
    ndrc = agency_people(codes=["ndrc"]).get("ndrc", [])
    found = []
    for project in projects:
        stage = stage_of(project.acceptance_due, today, LEAD_WORKING_DAYS["acceptance"])
        if stage is None:
            continue
        recipients = list(units.get(project.lead_unit_id, []))
        if stage == "overdue":
            recipients += ndrc
        found.append(
            Due(
                "acceptance",
                stage,
                project,
                project.acceptance_due.isoformat(),
                project.acceptance_due,
                _("%(name)s 申请验收") % {"name": project.name},
                reverse("delivery:acceptance", args=[project.pk]),
                recipients,
            )
        )
    return found


def _self_evaluation(today: dt.date) -> list[Due]:
    starts = dict(operation_starts().values_list("project_id", "decided_on"))
    projects = list(Project.objects.filter(pk__in=list(starts)).order_by("pk"))
    units = unit_people({p.lead_unit_id for p in projects})
    ndrc = agency_people(codes=["ndrc"]).get("ndrc", [])
    found = []
    for project in projects:
        opens, due = window(starts[project.pk])
        stage = stage_of(due, today, LEAD_WORKING_DAYS["self_evaluation"])
        if stage is None and opens <= today:
            stage = "open"
        if stage is None:
            continue
        recipients = list(units.get(project.lead_unit_id, []))
        if stage == "overdue":
            recipients += ndrc
        found.append(
            Due(
                "self_evaluation",
                stage,
                project,
                starts[project.pk].isoformat(),
                due,
                _("%(name)s 自评价") % {"name": project.name},
                reverse("delivery:evaluation", args=[project.pk]),
                recipients,
            )
        )
    return found


def _review_tasks(today: dt.date) -> list[Due]:
    tasks = list(
        ReviewTask.objects.filter(status=ReviewTask.Status.OPEN, round__status=ReviewRound.Status.OPEN)
        .select_related("round__project", "agency", "assignee")
        .order_by("due_date", "pk")
    )
    members = agency_people(ids={task.agency_id for task in tasks})
    found = []
    for task in tasks:
        stage = stage_of(task.due_date, today, LEAD_WORKING_DAYS["review_task"])
        if stage is None:
            continue
        recipients = [task.assignee] if task.assignee_id else list(members.get(task.agency_id, []))
        found.append(
            Due(
                "review_task",
                stage,
                task,
                task.due_date.isoformat(),
                task.due_date,
                _("%(agency)s审核任务：%(name)s")
                % {"agency": task.agency.display_name, "name": task.round.project.name},
                reverse("approvals:task", args=[task.pk]),
                recipients,
            )
        )
    return found


def _share_requests(today: dt.date) -> list[Due]:
    requests = list(
        ShareRequest.objects.pending()
        .filter(due_date__isnull=False)
        .select_related("resource", "requester")
        .order_by("due_date", "pk")
    )
    units = unit_people({r.resource.provider_id for r in requests})
    found = []
    for request in requests:
        stage = stage_of(request.due_date, today, LEAD_WORKING_DAYS["share_request"])
        if stage is None:
            continue
        found.append(
            Due(
                "share_request",
                stage,
                request,
                request.due_date.isoformat(),
                request.due_date,
                _("%(unit)s对“%(resource)s”的共享申请")
                % {"unit": request.requester.display_name, "resource": request.resource.name},
                reverse("catalogue:request", args=[request.pk]),
                list(units.get(request.resource.provider_id, [])),
            )
        )
    return found


SOURCES: list[Callable[[dt.date], list[Due]]] = [
    _monitoring,
    _acceptance,
    _self_evaluation,
    _review_tasks,
    _share_requests,
]


def collect(today: dt.date | None = None) -> list[Due]:
    today = today or timezone.localdate()
    return [item for source in SOURCES for item in source(today)]


# -- sending ----------------------------------------------------------------------------------------

STAGE_WORDS = {
    "due_soon": gettext_lazy("即将到期"),
    "overdue": gettext_lazy("已逾期"),
    "open": gettext_lazy("可以办理"),
}


def _message(item: Due) -> tuple[str, str]:
    stage = str(STAGE_WORDS[item.stage])
    subject = _("【%(stage)s】%(subject)s") % {"stage": stage, "subject": item.subject}
    lines = [
        _("%(subject)s %(stage)s，办理期限：%(date)s。")
        % {"subject": item.subject, "stage": stage, "date": official_date(item.due)},
        _("请登录系统办理：%(url)s") % {"url": settings.SITE_URL + item.url},
        "",
        _("本邮件由政务信息化项目管理平台自动发送；同一事项同一期次只提醒一次，待办事项列表中也可查看。"),
    ]
    return subject, "\n".join(lines)


def send(today: dt.date | None = None, *, dry_run: bool = False) -> list[Reminder]:
    """Send every reminder due today that has not been sent; returns the rows written (nothing when dry)."""
    today = today or timezone.localdate()
    sent = []
    with override(settings.LANGUAGE_CODE):
        for item in collect(today):
            target_type = ContentType.objects.get_for_model(item.target, for_concrete_model=False)
            if Reminder.objects.filter(
                target_type=target_type, target_id=str(item.target.pk), kind=item.kind, period=item.period
            ).exists():
                continue
            if dry_run:
                continue
            emails = sorted({user.email for user in item.recipients if user.email})
            subject, body = _message(item)
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(
                        key=item.key,
                        kind=item.kind,
                        target_type=target_type,
                        target_id=str(item.target.pk),
                        period=item.period,
                        due_date=item.due,
                        subject=subject[:255],
                        recipients=emails,
                    )
                    if emails:
                        # One message per reminder, recipients in Bcc: units and agencies do not see each other's
                        # addresses. A failure here rolls the row back, so the next run sends it again.
                        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, bcc=emails).send()
            except IntegrityError:
                continue  # another run sent it a moment ago
            sent.append(reminder)
    return sent


def register() -> None:
    """Nothing to register: the to-do lists come from each part's provider; the command is in management/."""
