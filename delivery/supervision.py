"""Supervision during construction (R-BLD-3, 川办法 第三十条、第四十七条): rectification, suspension, termination.

- **限期整改**: NDRC orders the unit to rectify by a deadline — a number of working days (the working-day
  calendar counts them) or a date. The unit reports what it did; NDRC confirms, or finds it not good
  enough and sets a new deadline. An open order past its deadline is on the to-do lists of the unit and
  NDRC (第四十七条: 逾期不整改 may lead to suspension).
- **暂停 / 恢复**: NDRC's signer suspends construction with the reason (工程严重逾期、投资重大损失,
  逾期不整改 …) and lets it resume; the days the project stood still are added to its acceptance deadline.
- **终止**: only on the unit's application, when the project has made real progress but cannot go on
  (外部环境变化、不可抗因素); NDRC submits it to the 领导小组 (核报), and the project is terminated when
  the 领导小组's consent is recorded with its document number and date. A 领导小组 that does not consent
  is recorded the same way, and the project goes on.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govinfo import workflow
from govinfo.audit import trail
from govinfo.errors import Failure, NotAllowed, Refused
from govinfo.formats import display_date
from govinfo.orgs import roles
from govinfo.workdays.days import add_working_days, is_provisional, known_years
from projects import access
from projects.models import Project, State

from . import construction_permissions as who
from .construction_pages import BEFORE_APPROVAL, label_of
from .models import Rectification, SupervisionBasis, Suspension, TerminationRequest

PROJECT = "projects.Project"
RECTIFICATION = "delivery.Rectification"
TERMINATION = "delivery.TerminationRequest"
# 第四十七条: supervision runs while the project is being carried out, trial operation included.
SUPERVISED_STATES = (State.FILED, State.IN_CONSTRUCTION, State.SUSPENDED, State.TRIAL_OPERATION)
TERMINABLE_STATES = (State.IN_CONSTRUCTION, State.SUSPENDED)
MAX_WORKING_DAYS = 250


def project_of(obj) -> Project:
    return obj.project


# -- deadlines ----------------------------------------------------------------------------------------


def deadline(
    *, working_days: int | None = None, due_date: dt.date | None = None
) -> tuple[dt.date, int | None]:
    """The due date of an order: ``working_days`` counted on the working-day calendar, or a date."""
    today = timezone.localdate()
    if (working_days is None) == (due_date is None):
        raise Refused(_("整改期限请填写工作日数或截止日期（二选一）。"))
    if working_days is not None:
        if not 1 <= working_days <= MAX_WORKING_DAYS:
            raise Refused(_("整改期限为1至%(n)d个工作日。") % {"n": MAX_WORKING_DAYS})
        return add_working_days(today, working_days), working_days
    if due_date <= today:
        raise Refused(_("整改截止日期应晚于今天。"))
    return due_date, None


def is_provisional_deadline(order: Rectification, known=None) -> bool:
    """R-CAT-3's mark for a rectification deadline: counted in working days through a year whose 调休 is
    not entered yet (``govinfo.workdays.days.is_provisional``). A date NDRC chose is firm."""
    return order.counted_in_working_days and is_provisional(
        timezone.localdate(order.ordered_at), order.due_date, known
    )


def open_deadlines(years):
    """For govinfo.workdays.deadlines: open rectification deadlines counted in working days (the
    administrator is asked to enter the year's 放假安排 as soon as one falls into it)."""
    return (
        Rectification.objects.exclude(status=Rectification.Status.CLOSED)
        .filter(due_working_days__isnull=False, due_date__year__in=years)
        .values_list("due_date", flat=True)
    )


# -- rectification ------------------------------------------------------------------------------------


def may_order(user, project: Project) -> tuple[bool, str]:
    allowed, reason = who.ask(who.who_ndrc, user, project)
    if not allowed:
        return allowed, reason
    refusal = who.state_refusal(project, SUPERVISED_STATES, _("要求限期整改"))
    return (False, refusal) if refusal else (True, "")


@transaction.atomic
def order_rectification(
    project: Project,
    *,
    by,
    basis: str,
    issues: str,
    working_days: int | None = None,
    due_date: dt.date | None = None,
) -> Rectification:
    """NDRC orders the unit to rectify by a deadline (第三十条、第四十七条)."""
    fresh = workflow.hold(project, doing=_("要求限期整改"), expected_state=None)
    allowed, reason = may_order(by, fresh)
    if not allowed:
        raise NotAllowed(reason)
    issues = (issues or "").strip()
    if basis not in SupervisionBasis.values or not issues:
        raise Refused(_("请选择问题类别并写明存在问题和整改要求。"))
    due, days = deadline(working_days=working_days, due_date=due_date)
    order = Rectification.objects.create(
        project=fresh,
        number=Rectification.objects.filter(project=fresh).count() + 1,
        basis=basis,
        issues=issues,
        due_date=due,
        due_working_days=days,
        ordered_by=by,
    )
    trail.record(
        "delivery.rectification.ordered",
        actor=by,
        target=fresh,
        details=_order_details(order),
    )
    return order


def _order_details(order: Rectification) -> dict:
    return {
        "rectification": order.number,
        "basis": order.basis,
        "due_date": order.due_date,
        "working_days": order.due_working_days,
        "issues": order.issues[:200],
    }


def report_rectification(order: Rectification, *, by, report: str, expected_state: str | None = None):
    report = (report or "").strip()
    if not report:
        raise Refused(_("请写明整改情况。"))
    seen = order.status if expected_state is None else expected_state
    return workflow.perform(
        order, "report_done", by=by, expected_state=seen, kwargs={"by": by, "report": report}
    )


def confirm_rectification(order: Rectification, *, by, note: str = "", expected_state: str | None = None):
    seen = order.status if expected_state is None else expected_state
    return workflow.perform(
        order, "confirm", by=by, expected_state=seen, kwargs={"by": by, "note": (note or "").strip()}
    )


def reopen_rectification(
    order: Rectification,
    *,
    by,
    note: str,
    working_days: int | None = None,
    due_date: dt.date | None = None,
    expected_state: str | None = None,
):
    """整改不到位: NDRC sends the order back with what is still wrong and a new deadline."""
    note = (note or "").strip()
    if not note:
        raise Refused(_("请写明整改不到位的问题。"))
    due, days = deadline(working_days=working_days, due_date=due_date)
    seen = order.status if expected_state is None else expected_state
    return workflow.perform(
        order,
        "reopen",
        by=by,
        expected_state=seen,
        kwargs={"note": note, "due_date": due, "due_working_days": days},
    )


def _rectification_details(order: Rectification) -> dict:
    details = {"rectification": order.number, "due_date": order.due_date}
    if order.status == Rectification.Status.REPORTED:
        details["report"] = order.report[:200]
    else:
        details["note"] = order.check_note[:200]
    return details


# -- suspension ---------------------------------------------------------------------------------------


def suspend(project: Project, *, by, basis: str, reason: str, expected_state: str | None = None) -> Project:
    reason = (reason or "").strip()
    if basis not in SupervisionBasis.values or not reason:
        raise Refused(_("请选择暂停原因类别并写明暂停理由。"))
    seen = project.state if expected_state is None else expected_state
    return workflow.perform(
        project, "suspend", by=by, expected_state=seen, effect_kwargs={"basis": basis, "reason": reason}
    )


def _suspended(project: Project, *, by, basis: str, reason: str) -> Suspension:
    return Suspension.objects.create(project=project, basis=basis, reason=reason, suspended_by=by)


def _suspended_details(project: Project) -> dict:
    suspension = project.step_result
    return {"basis": suspension.basis, "reason": suspension.reason}


def resume(project: Project, *, by, note: str = "", expected_state: str | None = None) -> Project:
    seen = project.state if expected_state is None else expected_state
    return workflow.perform(
        project, "resume", by=by, expected_state=seen, effect_kwargs={"note": (note or "").strip()}
    )


def _resumed(project: Project, *, by, note: str) -> Suspension:
    """The open suspension ends; its days move the acceptance deadline on (the wait was not the unit's)."""
    suspension = (
        Suspension.objects.select_for_update()
        .filter(project=project, resumed_at__isnull=True)
        .order_by("-suspended_at")
        .first()
    )
    now = timezone.now()
    if suspension is None:  # suspended before this record existed: nothing to count
        return Suspension.objects.create(
            project=project,
            basis=SupervisionBasis.OTHER,
            reason="",
            suspended_by=by,
            suspended_at=now,
            resumed_by=by,
            resumed_at=now,
            resume_note=note,
        )
    days = (timezone.localdate(now) - timezone.localdate(suspension.suspended_at)).days
    suspension.resumed_by = by
    suspension.resumed_at = now
    suspension.resume_note = note
    suspension.days_added = days
    suspension.save()
    if project.acceptance_due and days:
        project.acceptance_due = add_working_days(project.acceptance_due + dt.timedelta(days=days), 0)
    return suspension


def _resumed_details(project: Project) -> dict:
    suspension = project.step_result
    return {
        "note": suspension.resume_note,
        "days_added": suspension.days_added,
        "acceptance_due": project.acceptance_due,
    }


# -- termination --------------------------------------------------------------------------------------


def may_apply_termination(user, project: Project) -> tuple[bool, str]:
    allowed, reason = who.ask(who.who_unit, user, project)
    if not allowed:
        return allowed, reason
    refusal = who.state_refusal(project, TERMINABLE_STATES, _("申请终止项目"))
    if refusal:
        return False, refusal
    if open_termination(project) is not None:
        return False, _("本项目已有终止申请正在办理。")
    return True, ""


def open_termination(project: Project) -> TerminationRequest | None:
    return (
        TerminationRequest.objects.filter(
            project=project,
            status__in=[TerminationRequest.Status.APPLIED, TerminationRequest.Status.SUBMITTED],
        )
        .order_by("-applied_at")
        .first()
    )


@transaction.atomic
def apply_termination(project: Project, *, by, reason: str, progress: str) -> TerminationRequest:
    """The unit applies to terminate (第三十条): progress made, and why it cannot go on."""
    fresh = workflow.hold(project, doing=_("申请终止项目"), expected_state=None)
    allowed, refusal = may_apply_termination(by, fresh)
    if not allowed:
        raise NotAllowed(refusal)
    reason, progress = (reason or "").strip(), (progress or "").strip()
    failures = []
    if not progress:
        failures.append(
            Failure(
                "R-BLD-3",
                "第三十条",
                _("终止申请须说明项目已实施的内容和取得的实质性进展。"),
            )
        )
    if not reason:
        failures.append(
            Failure(
                "R-BLD-3",
                "第三十条",
                _("终止申请须说明外部环境变化或不可抗因素导致项目难以继续实施、无法完成总体目标的情况。"),
            )
        )
    if failures:
        raise Refused(failures)
    request = TerminationRequest.objects.create(
        project=fresh, reason=reason, progress=progress, applied_by=by
    )
    trail.record(
        "delivery.termination.applied",
        actor=by,
        target=fresh,
        details={"reason": reason[:200], "progress": progress[:200]},
    )
    return request


def submit_termination(request: TerminationRequest, *, by, note: str = "", expected_state: str | None = None):
    """NDRC submits the unit's application to the 领导小组 (核报)."""
    seen = request.status if expected_state is None else expected_state
    return workflow.perform(
        request,
        "submit_to_group",
        by=by,
        expected_state=seen,
        kwargs={"by": by, "note": (note or "").strip()},
    )


def withdraw_termination(request: TerminationRequest, *, by, expected_state: str | None = None):
    seen = request.status if expected_state is None else expected_state
    return workflow.perform(request, "withdraw", by=by, expected_state=seen, kwargs={"by": by})


def _group_answer(doc_number: str, date: dt.date | None) -> tuple[str, dt.date]:
    doc_number = (doc_number or "").strip()
    if not doc_number or date is None:
        raise Refused(_("请填写领导小组意见的文号和日期。"))
    if date > timezone.localdate():
        raise Refused(_("领导小组意见日期不能晚于今天。"))
    return doc_number, date


def decline_termination(
    request: TerminationRequest,
    *,
    by,
    doc_number: str,
    date: dt.date | None,
    note: str = "",
    expected_state: str | None = None,
):
    """The 领导小组 did not consent: recorded with its document; the project goes on."""
    doc_number, date = _group_answer(doc_number, date)
    seen = request.status if expected_state is None else expected_state
    return workflow.perform(
        request,
        "decline",
        by=by,
        expected_state=seen,
        kwargs={"by": by, "doc_number": doc_number, "date": date, "note": (note or "").strip()},
    )


def r_bld_3_group_consent(project: Project) -> list[Failure]:
    """Termination only on the unit's application, submitted by NDRC to the 领导小组 (第三十条)."""
    submitted = TerminationRequest.objects.filter(
        project=project, status=TerminationRequest.Status.SUBMITTED
    ).exists()
    if submitted:
        return []
    return [
        Failure(
            "R-BLD-3",
            "第三十条",
            _(
                "终止项目建设须由项目单位提出申请，经省发展改革委核报领导小组同意；"
                "本项目没有已核报领导小组的终止申请。"
            ),
        )
    ]


def terminate(
    project: Project, *, by, doc_number: str, date: dt.date | None, expected_state: str | None = None
) -> Project:
    """The 领导小组 consented (document no. and date): the project is terminated (final)."""
    doc_number, date = _group_answer(doc_number, date)
    seen = project.state if expected_state is None else expected_state
    return workflow.perform(
        project,
        "terminate",
        by=by,
        expected_state=seen,
        effect_kwargs={"doc_number": doc_number, "date": date},
    )


def _terminated(project: Project, *, by, doc_number: str, date: dt.date) -> TerminationRequest:
    request = TerminationRequest.objects.get(project=project, status=TerminationRequest.Status.SUBMITTED)
    return workflow.perform(
        request,
        "consent",
        by=by,
        expected_state=None,
        locked_case=project,
        kwargs={"by": by, "doc_number": doc_number, "date": date},
    )


def _terminated_details(project: Project) -> dict:
    request = project.step_result
    return {"group_doc_number": request.group_doc_number, "group_date": request.group_date}


def _termination_details(request: TerminationRequest) -> dict:
    details = {}
    if request.submission_note and request.status == TerminationRequest.Status.SUBMITTED:
        details["note"] = request.submission_note
    if request.group_doc_number:
        details["group_doc_number"] = request.group_doc_number
        details["group_date"] = request.group_date
    if request.decision_note:
        details["note"] = request.decision_note
    return details


# -- pages, story, to-dos --------------------------------------------------------------------------


def supervision_page(obj) -> str:
    project = obj if isinstance(obj, Project) else obj.project
    return reverse("delivery:supervision", args=[project.pk])


def _date(value) -> str:
    return display_date(dt.date.fromisoformat(value)) if value else ""


def _order_lines(details: dict) -> list[str]:
    lines = [
        _("第%(number)s号 · %(basis)s · 整改期限%(due)s")
        % {
            "number": details.get("rectification", ""),
            "basis": label_of(SupervisionBasis, details.get("basis")),
            "due": _date(details.get("due_date")),
        }
    ]
    if details.get("issues"):
        lines.append(details["issues"])
    return lines


def _rectification_lines(details: dict) -> list[str]:
    lines = [
        _("第%(number)s号整改 · 期限%(due)s")
        % {"number": details.get("rectification", ""), "due": _date(details.get("due_date"))}
    ]
    for key in ("report", "note"):
        if details.get(key):
            lines.append(details[key])
    return lines


def _suspension_lines(details: dict) -> list[str]:
    lines = []
    if details.get("basis"):
        lines.append(_("类别：%(basis)s") % {"basis": label_of(SupervisionBasis, details["basis"])})
    if details.get("reason"):
        lines.append(_("理由：%(reason)s") % {"reason": details["reason"]})
    if details.get("note"):
        lines.append(_("说明：%(note)s") % {"note": details["note"]})
    if details.get("days_added"):
        lines.append(
            _("应申请验收日期顺延%(days)s天，至%(date)s")
            % {"days": details["days_added"], "date": _date(details.get("acceptance_due"))}
        )
    return lines


def _termination_lines(details: dict) -> list[str]:
    lines = []
    for key, label in (("reason", _("原因")), ("progress", _("已实施内容")), ("note", _("说明"))):
        if details.get(key):
            lines.append(_("%(label)s：%(value)s") % {"label": label, "value": details[key]})
    if details.get("group_doc_number"):
        lines.append(
            _("领导小组意见：%(number)s（%(date)s）")
            % {"number": details["group_doc_number"], "date": _date(details.get("group_date"))}
        )
    return lines


def next_steps(user, project: Project):
    from projects.story import NextStep

    if project.state in BEFORE_APPROVAL:
        return []

    steps = []
    read_only = roles.is_read_only(user)
    if project.state in SUPERVISED_STATES:
        allowed, reason = may_order(user, project)
        steps.append(
            NextStep(
                role=str(who.NDRC_ROLE),
                label=str(_("要求限期整改")),
                url=supervision_page(project),
                allowed=allowed,
                mine=not read_only and who.who_ndrc(user, project) is None,
            )
        )
    orders = Rectification.objects.filter(
        project=project, status__in=[Rectification.Status.OPEN, Rectification.Status.REPORTED]
    ).order_by("number")
    for order in orders:
        order.project = project  # the case already read, with the grants read for it
        name = "report_done" if order.status == Rectification.Status.OPEN else "confirm"
        allowed, reason = workflow.may(order, user, name)
        label = (
            _("报告第%(number)d号整改情况（期限%(due)s）")
            if name == "report_done"
            else _("核查第%(number)d号整改情况（期限%(due)s）")
        ) % {"number": order.number, "due": display_date(order.due_date)}
        steps.append(
            NextStep(
                role=str(who.UNIT_ROLE if name == "report_done" else who.NDRC_ROLE),
                label=label,
                url=supervision_page(project),
                allowed=allowed,
                mine=not read_only and workflow.takes(order, user, name),
                reason="" if allowed else reason,
            )
        )
    if project.state in TERMINABLE_STATES:
        allowed, reason = may_apply_termination(user, project)
        mine = not read_only and who.who_unit(user, project) is None
        if open_termination(project) is None:
            steps.append(
                NextStep(
                    role=str(who.UNIT_ROLE),
                    label=str(_("申请终止项目")),
                    url=supervision_page(project),
                    allowed=allowed,
                    mine=mine,
                    reason="" if allowed or not mine else reason,
                )
            )
    request = open_termination(project)
    if request is not None:
        request.project = project
    if request is not None and request.status == TerminationRequest.Status.APPLIED:
        allowed, reason = workflow.may(request, user, "submit_to_group")
        steps.append(
            NextStep(
                role=str(who.NDRC_ROLE),
                label=str(_("将终止申请核报领导小组")),
                url=supervision_page(project),
                allowed=allowed,
                mine=not read_only and workflow.takes(request, user, "submit_to_group"),
            )
        )
    # Termination takes effect when the 领导小组's answer is recorded: shown only once it was asked.
    if request is not None and request.status == TerminationRequest.Status.SUBMITTED:
        allowed, reason = workflow.may(project, user, "terminate")
        steps.append(
            NextStep(
                role=str(who.NDRC_ROLE),
                label=str(_("登记领导小组意见（同意则终止项目）")),
                url=supervision_page(project),
                allowed=allowed,
                mine=not read_only and workflow.takes(project, user, "terminate"),
                step="terminate",
            )
        )
    else:
        # Before the 领导小组 is asked there is no termination to record: the row is covered, not listed.
        steps.append(NextStep(role="", label="", step="terminate"))
    return steps


def story_section(user, project: Project):
    from projects.story import Section

    if project.state in BEFORE_APPROVAL:
        return []

    orders = list(Rectification.objects.filter(project=project).order_by("-number"))
    suspensions = list(Suspension.objects.filter(project=project).order_by("-suspended_at"))
    terminations = list(TerminationRequest.objects.filter(project=project).order_by("-applied_at"))
    if not (orders or suspensions or terminations):
        return []
    return [
        Section(
            key="supervision",
            title=str(_("监督管理")),
            template="delivery/_story_supervision.html",
            context={
                "orders": orders,
                "suspensions": suspensions,
                "terminations": terminations,
                "url": supervision_page(project),
            },
            order=30,
        )
    ]


def page_link(user, project: Project):
    from projects.page_links import PageLink

    if project.state in BEFORE_APPROVAL:
        return []

    if (
        project.state in (*SUPERVISED_STATES, State.TERMINATED)
        or Rectification.objects.filter(project=project).exists()
    ):
        return [PageLink(str(_("监督管理")), supervision_page(project))]
    return []


def todo(user):
    from govinfo.home.todo import TodoItem

    items = []
    today = timezone.localdate()
    units = roles.units_of(user)
    known = None
    if units:
        orders = list(
            Rectification.objects.filter(project__lead_unit__in=units, status=Rectification.Status.OPEN)
            .select_related("project")
            .order_by("due_date")[:20]
        )
        known = known_years() if orders else None
        for order in orders:
            items.append(
                TodoItem(
                    title=_("限期整改：%(name)s") % {"name": order.project.name},
                    url=supervision_page(order.project),
                    category=_("监督管理"),
                    due=order.due_date,
                    provisional=is_provisional_deadline(order, known),
                    detail=order.issues[:80],
                )
            )
    if access.is_ndrc(user):
        orders = (
            Rectification.objects.filter(status=Rectification.Status.REPORTED)
            .select_related("project")
            .order_by("reported_at")[:20]
        )
        for order in orders:
            items.append(
                TodoItem(
                    title=_("待核查整改情况：%(name)s") % {"name": order.project.name},
                    url=supervision_page(order.project),
                    category=_("监督管理"),
                )
            )
        overdue = (
            Rectification.objects.filter(status=Rectification.Status.OPEN, due_date__lt=today)
            .select_related("project")
            .order_by("due_date")[:20]
        )
        for order in overdue:
            known = known_years() if known is None else known
            items.append(
                TodoItem(
                    title=_("逾期未整改：%(name)s") % {"name": order.project.name},
                    url=supervision_page(order.project),
                    category=_("监督管理"),
                    due=order.due_date,
                    provisional=is_provisional_deadline(order, known),
                    detail=str(_("第四十七条：逾期不整改的，可暂停项目建设直至终止项目")),
                )
            )
        requests = (
            TerminationRequest.objects.filter(
                status__in=[TerminationRequest.Status.APPLIED, TerminationRequest.Status.SUBMITTED]
            )
            .select_related("project")
            .order_by("applied_at")[:20]
        )
        for request in requests:
            title = (
                _("待核报终止申请：%(name)s")
                if request.status == TerminationRequest.Status.APPLIED
                else _("待登记领导小组意见：%(name)s")
            )
            items.append(
                TodoItem(
                    title=title % {"name": request.project.name},
                    url=supervision_page(request.project),
                    category=_("监督管理"),
                )
            )
    return items


REMINDER_LEAD_WORKING_DAYS = 3


def rectification_reminders(today: dt.date | None = None) -> list[dict]:
    """Rectification deadlines to remind of (item 8 of issue 10): each open order whose deadline is within
    ``REMINDER_LEAD_WORKING_DAYS`` working days ("due_soon", the unit's clerks) or past ("overdue", the unit
    and NDRC's members). ``period`` is the deadline: an order sent back with a new deadline is a new reminder.
    """
    from govinfo.orgs.models import Membership, Role

    today = today or timezone.localdate()
    horizon = add_working_days(today, REMINDER_LEAD_WORKING_DAYS)
    orders = list(
        Rectification.objects.filter(status=Rectification.Status.OPEN, due_date__lte=horizon)
        .select_related("project")
        .order_by("due_date", "id")
    )
    if not orders:
        return []
    clerks: dict[int, list] = {}
    for membership in (
        Membership.objects.active()
        .filter(role=Role.APPLICANT, unit_id__in={order.project.lead_unit_id for order in orders})
        .select_related("user")
    ):
        clerks.setdefault(membership.unit_id, []).append(membership.user)
    ndrc = []
    for membership in (
        Membership.objects.active()
        .filter(role__in=[Role.REVIEWER, Role.SIGNER], agency__code=access.NDRC)
        .select_related("user")
    ):
        if membership.user not in ndrc:
            ndrc.append(membership.user)
    found = []
    for order in orders:
        overdue = order.due_date < today
        found.append(
            {
                "stage": "overdue" if overdue else "due_soon",
                "order": order,
                "period": order.due_date.isoformat(),
                "due": order.due_date,
                "subject": (_("逾期未整改：%(name)s") if overdue else _("整改即将到期：%(name)s"))
                % {"name": order.project.name},
                "url": supervision_page(order.project),
                "recipients": list(clerks.get(order.project.lead_unit_id, [])) + (ndrc if overdue else []),
            }
        )
    return found


def rectification_source(today: dt.date) -> list:
    """The rectification deadlines as the daily reminder run's items (``delivery.reminders.Due``)."""
    from importlib import import_module

    run = import_module("delivery.reminders")
    return [
        run.Due(
            "rectification",
            item["stage"],
            item["order"],
            item["period"],
            item["due"],
            item["subject"],
            item["url"],
            item["recipients"],
        )
        for item in rectification_reminders(today)
    ]


def _join_reminder_run() -> None:
    """When the reminders part is installed (``delivery.reminders`` with its ``SOURCES`` of ``Due`` items,
    run daily by its management command), the rectification deadlines join it: e-mail once per deadline,
    beside the to-do items above."""
    from importlib import import_module
    from importlib.util import find_spec

    if find_spec("delivery.reminders") is None:
        return
    run = import_module("delivery.reminders")
    if hasattr(run, "SOURCES") and hasattr(run, "Due") and rectification_source not in run.SOURCES:
        run.SOURCES.append(rectification_source)


def register() -> None:
    from govinfo.audit import actions
    from govinfo.home import todo as todos
    from govinfo.workdays import deadlines
    from projects import page_links, story

    actions.register("delivery.rectification.ordered", gettext_lazy("要求限期整改"))
    actions.register("delivery.rectification.reported", gettext_lazy("报告整改情况"))
    actions.register("delivery.rectification.confirmed", gettext_lazy("确认整改完成"))
    actions.register("delivery.rectification.reopened", gettext_lazy("整改不到位，重新限期整改"))
    actions.register("delivery.project.suspended", gettext_lazy("暂停项目建设"))
    actions.register("delivery.project.resumed", gettext_lazy("恢复项目建设"))
    actions.register("delivery.termination.applied", gettext_lazy("申请终止项目"))
    actions.register("delivery.termination.submitted", gettext_lazy("终止申请核报领导小组"))
    actions.register("delivery.termination.declined", gettext_lazy("领导小组未同意终止"))
    actions.register("delivery.termination.withdrawn", gettext_lazy("撤回终止申请"))
    actions.register("delivery.project.terminated", gettext_lazy("领导小组同意，终止项目建设"))
    story.register_lines("delivery.rectification.ordered", _order_lines)
    for action in ("reported", "confirmed", "reopened"):
        story.register_lines(f"delivery.rectification.{action}", _rectification_lines)
    story.register_lines("delivery.project.suspended", _suspension_lines)
    story.register_lines("delivery.project.resumed", _suspension_lines)
    for action in ("applied", "submitted", "declined", "withdrawn"):
        story.register_lines(f"delivery.termination.{action}", _termination_lines)
    story.register_lines("delivery.project.terminated", _termination_lines)
    story.register_next_steps(next_steps)
    story.register_section(story_section)
    page_links.register(page_link)
    todos.register(todo)
    deadlines.register(open_deadlines)
    _join_reminder_run()
    workflow.register(
        workflow.Step(
            PROJECT,
            "suspend",
            gettext_lazy("暂停建设"),
            "delivery.project.suspended",
            who=who.who_ndrc_decides,
            rules=("R-BLD-3",),
            effect=_suspended,
            details=_suspended_details,
            role=who.NDRC_ROLE,
            page=supervision_page,
        ),
        workflow.Step(
            PROJECT,
            "resume",
            gettext_lazy("恢复建设"),
            "delivery.project.resumed",
            who=who.who_ndrc_decides,
            rules=("R-BLD-3",),
            effect=_resumed,
            details=_resumed_details,
            role=who.NDRC_ROLE,
            page=supervision_page,
        ),
        workflow.Step(
            PROJECT,
            "terminate",
            gettext_lazy("终止建设"),
            "delivery.project.terminated",
            who=who.who_ndrc_decides,
            rules=("R-BLD-3",),
            guard=r_bld_3_group_consent,
            effect=_terminated,
            details=_terminated_details,
            role=who.NDRC_ROLE,
            page=supervision_page,
        ),
        workflow.Step(
            RECTIFICATION,
            "report_done",
            gettext_lazy("报告整改情况"),
            "delivery.rectification.reported",
            who=who.who_unit,
            rules=("R-BLD-3",),
            case=project_of,
            noun=gettext_lazy("整改事项"),
            details=_rectification_details,
            role=who.UNIT_ROLE,
            page=supervision_page,
        ),
        workflow.Step(
            RECTIFICATION,
            "confirm",
            gettext_lazy("确认整改完成"),
            "delivery.rectification.confirmed",
            who=who.who_ndrc,
            rules=("R-BLD-3",),
            case=project_of,
            noun=gettext_lazy("整改事项"),
            details=_rectification_details,
            role=who.NDRC_ROLE,
            page=supervision_page,
        ),
        workflow.Step(
            RECTIFICATION,
            "reopen",
            gettext_lazy("整改不到位"),
            "delivery.rectification.reopened",
            who=who.who_ndrc,
            rules=("R-BLD-3",),
            case=project_of,
            noun=gettext_lazy("整改事项"),
            details=_rectification_details,
            role=who.NDRC_ROLE,
            page=supervision_page,
        ),
        workflow.Step(
            TERMINATION,
            "submit_to_group",
            gettext_lazy("核报领导小组"),
            "delivery.termination.submitted",
            who=who.who_ndrc_decides,
            rules=("R-BLD-3",),
            case=project_of,
            noun=gettext_lazy("终止申请"),
            details=_termination_details,
            role=who.NDRC_ROLE,
            page=supervision_page,
        ),
        workflow.Step(
            TERMINATION,
            "decline",
            gettext_lazy("登记领导小组不同意终止"),
            "delivery.termination.declined",
            who=who.who_ndrc_decides,
            rules=("R-BLD-3",),
            case=project_of,
            noun=gettext_lazy("终止申请"),
            details=_termination_details,
            role=who.NDRC_ROLE,
            page=supervision_page,
        ),
        workflow.Step(
            TERMINATION,
            "withdraw",
            gettext_lazy("撤回终止申请"),
            "delivery.termination.withdrawn",
            who=who.who_unit,
            rules=("R-BLD-3",),
            case=project_of,
            noun=gettext_lazy("终止申请"),
            role=who.UNIT_ROLE,
            page=supervision_page,
        ),
        # A consequence of the project's terminate step, whose event tells it.
        workflow.Step(
            TERMINATION,
            "consent",
            gettext_lazy("领导小组同意终止"),
            None,
            case=project_of,
            noun=gettext_lazy("终止申请"),
        ),
    )
