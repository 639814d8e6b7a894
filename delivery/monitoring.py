"""绩效监控报告 (R-BLD-4, 川办法 第四十五条).

While a project is under construction or in trial operation, its unit monitors the performance goals,
consults the 使用单位 and the 监理单位 (who was consulted and what they said is recorded), and files a
report — progress and fund execution, and once in trial operation the trial's results and problems —
to NDRC and Finance before the end of every year. The deadline is 31 December on the working-day
calendar (moved to the next working day when it is a day off). A year without its report after the
deadline is overdue: on the to-do lists of the unit and of NDRC, and in the daily reminders.

Which years: every calendar year from the year construction started (the state change recorded in the
audit trail; the trial's recorded start when that is all there is) up to this year, while the project
is in one of those states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, ExtractYear, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govinfo import workflow
from govinfo.audit import actions, trail
from govinfo.audit.models import AuditEvent
from govinfo.errors import Failure, NotAllowed, Refused
from govinfo.formats import display_date
from govinfo.home import todo
from govinfo.orgs import roles
from govinfo.orgs.models import Agency
from projects import page_links
from projects.models import Project, State
from projects.permissions import grant_agency

from . import people
from .dates import year_end_deadline
from .models import MonitoringReport, TrialRun

RULE, ART = "R-BLD-4", "第四十五条"
MONITORED_STATES = (State.IN_CONSTRUCTION, State.TRIAL_OPERATION)
# Where a project's reports may be read: from construction on.
REPORTED_STATES = (
    *MONITORED_STATES,
    State.SUSPENDED,
    State.TERMINATED,
    State.ACCEPTANCE_REVIEW,
    State.ACCEPTANCE_FAILED,
    State.IN_OPERATION,
    State.SELF_EVALUATED,
    State.EVALUATED,
)
TEXT_MAX = 4000
WHO_FILES = people.who_unit(RULE, ART)
# The unit sees the year's report on its to-do list from this many days before the deadline.
TODO_LEAD_DAYS = 45
# NDRC's to-do checks this many monitored cases for overdue reports (see monitoring_todo).
NDRC_CHECKED = 60
_NOT_STARTED = object()


@dataclass(frozen=True)
class ReportDue:
    project: Project
    year: int
    due: dt.date
    report: MonitoringReport | None
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.report is None and self.due < self.today


def start_dates(project_ids: list[int]) -> dict[int, dt.date]:
    """When each project entered construction: the state change in the audit trail, else the trial's
    recorded start. Two queries for any number of projects. ``_start_year`` is the same rule in SQL (for
    ``overdue_count``): change them together."""
    if not project_ids:
        return {}
    content_type = ContentType.objects.get_for_model(Project)
    events = (
        AuditEvent.objects.filter(
            target_type=content_type,
            target_id__in=[str(pk) for pk in project_ids],
            to_state=State.IN_CONSTRUCTION,
        )
        .values("target_id")
        .annotate(first=Min("created_at"))
    )
    found = {int(row["target_id"]): timezone.localtime(row["first"]).date() for row in events}
    for project_id, started_on in TrialRun.objects.filter(project_id__in=project_ids).values_list(
        "project_id", "started_on"
    ):
        found.setdefault(project_id, started_on)
    return found


def due_years(project: Project, today: dt.date | None = None, started=None) -> list[int]:
    """The years a report is owed for, oldest first (empty when the project is not monitored now)."""
    today = today or timezone.localdate()
    if project.state not in MONITORED_STATES:
        return []
    if started is None:
        started = start_dates([project.pk]).get(project.pk)
    elif started is _NOT_STARTED:
        started = None
    first = min(started.year, today.year) if started else today.year
    return list(range(first, today.year + 1))


def schedule(project: Project, today: dt.date | None = None) -> list[ReportDue]:
    """Every year owed or filed, newest first, each with its deadline and its report if filed."""
    today = today or timezone.localdate()
    filed = {report.year: report for report in project.monitoring_reports.select_related("submitted_by")}
    years = sorted(set(due_years(project, today)) | set(filed), reverse=True)
    return [ReportDue(project, year, year_end_deadline(year), filed.get(year), today) for year in years]


def missing(projects, today: dt.date | None = None) -> list[ReportDue]:
    """The reports owed and not filed for ``projects`` (a queryset), the current year's included.
    A fixed number of queries, whatever the number of projects."""
    today = today or timezone.localdate()
    projects = list(projects.filter(state__in=MONITORED_STATES).select_related("lead_unit"))
    ids = [p.pk for p in projects]
    filed = set(MonitoringReport.objects.filter(project_id__in=ids).values_list("project_id", "year"))
    starts = start_dates(ids)
    deadlines: dict[int, dt.date] = {}
    found = []
    for project in projects:
        for year in due_years(project, today, started=starts.get(project.pk, _NOT_STARTED)):
            if (project.pk, year) not in filed:
                if year not in deadlines:
                    deadlines[year] = year_end_deadline(year)
                found.append(ReportDue(project, year, deadlines[year], None, today))
    return found


def overdue_count(today: dt.date | None = None) -> int:
    """How many reports ``missing`` would list as overdue for the whole province, counted in SQL (two
    queries, no row per project): the past years owed (from the start year through the last year whose
    deadline has passed) less the reports filed for those years."""
    today = today or timezone.localdate()
    last = today.year - 1 if year_end_deadline(today.year - 1) < today else today.year - 2
    monitored = Project.objects.filter(state__in=MONITORED_STATES).annotate(
        start_year=_start_year("pk", "trial_run__started_on")
    )
    # No start recorded (NULL) or started after ``last``: no past year owed. A filter on start_year would
    # run the audit-trail subquery twice per project.
    owed = Greatest(Value(last + 1) - F("start_year"), Value(0))
    years = monitored.aggregate(n=Sum(owed))["n"] or 0
    filed = (
        MonitoringReport.objects.filter(project__state__in=MONITORED_STATES, year__lte=last)
        .annotate(start_year=_start_year("project_id", "project__trial_run__started_on"))
        .filter(year__gte=F("start_year"))
        .count()
    )
    return years - filed


def _start_year(project: str, trial_start: str):
    """``start_dates``' year in SQL: the first change to construction in the audit trail (its local date,
    as ``start_dates`` takes it), else the trial's recorded start. ``project`` and ``trial_start`` are the
    paths from the outer query's rows."""
    first_change = (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Project),
            target_id=Cast(OuterRef(project), CharField()),
            to_state=State.IN_CONSTRUCTION,
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return Coalesce(ExtractYear(Subquery(first_change)), ExtractYear(trial_start))


def _require_text(failures: list[Failure], value: str, message: str) -> str:
    value = (value or "").strip()[:TEXT_MAX]
    if not value:
        failures.append(Failure(RULE, ART, message))
    return value


def file_report(
    project: Project,
    *,
    by,
    year: int,
    progress: str,
    fund_execution: str,
    user_unit_name: str,
    user_unit_opinion: str,
    supervisor_name: str,
    supervisor_opinion: str,
    trial_results: str = "",
    funds_spent=None,
) -> MonitoringReport:
    """The unit files the year's 绩效监控报告 to NDRC and Finance (R-BLD-4)."""
    people.require(WHO_FILES(by, project), by)
    failures: list[Failure] = []
    fields = {
        "progress": _require_text(failures, progress, _("请填写项目实施进度。")),
        "fund_execution": _require_text(failures, fund_execution, _("请填写资金计划执行情况。")),
        "user_unit_name": _require_text(
            failures, user_unit_name, _("须征求项目使用单位意见，请填写使用单位。")
        )[:128],
        "user_unit_opinion": _require_text(failures, user_unit_opinion, _("请填写使用单位的意见。")),
        "supervisor_name": _require_text(
            failures, supervisor_name, _("须征求监理单位意见，请填写监理单位。")
        )[:128],
        "supervisor_opinion": _require_text(failures, supervisor_opinion, _("请填写监理单位的意见。")),
        "trial_results": (trial_results or "").strip()[:TEXT_MAX],
        "funds_spent": funds_spent,
    }
    with transaction.atomic():
        fresh = workflow.hold(project, doing=_("提交绩效监控报告"), expected_state=None)
        if fresh.state not in MONITORED_STATES:
            raise NotAllowed(
                _("项目当前状态为“%(state)s”，建设期和试运行期的项目才报送绩效监控报告。")
                % {"state": fresh.get_state_display()}
            )
        if year not in due_years(fresh):
            raise Refused(_("%(year)s年度不在本项目的绩效监控期内。") % {"year": year})
        if fresh.state == State.TRIAL_OPERATION and not fields["trial_results"]:
            failures.append(Failure(RULE, ART, _("项目已投入试运行，须说明试运行效果及遇到的问题。")))
        if failures:
            raise Refused(failures)
        if fresh.monitoring_reports.filter(year=year).exists():
            raise NotAllowed(_("%(year)s年度的绩效监控报告已提交。") % {"year": year})
        try:
            with transaction.atomic():
                report = MonitoringReport.objects.create(
                    project=fresh,
                    year=year,
                    project_state=fresh.state,
                    due_date=year_end_deadline(year),
                    submitted_by=by,
                    submitted_at=timezone.now(),
                    **fields,
                )
        except IntegrityError:
            raise NotAllowed(_("%(year)s年度的绩效监控报告已提交。") % {"year": year}) from None
        # 第四十五条: the report goes to NDRC and Finance; Finance sees the case from now on.
        grant_agency(fresh, Agency.objects.get(code=people.FINANCE))
        trail.record(
            "delivery.monitoring.filed",
            actor=by,
            target=fresh,
            details={
                "year": year,
                "due_date": report.due_date,
                "late": report.is_late,
                "user_unit": report.user_unit_name,
                "supervisor": report.supervisor_name,
            },
        )
    return report


# -- to-do, page links ----------------------------------------------------------------------------


def monitoring_todo(user):
    today = timezone.localdate()
    items = []
    units = roles.units_of(user)
    if units:
        for owed in missing(Project.objects.filter(lead_unit__in=units), today):
            if owed.due - dt.timedelta(days=TODO_LEAD_DAYS) > today:
                continue
            items.append(
                todo.TodoItem(
                    _("绩效监控报告（%(year)s年度）：%(name)s")
                    % {"year": owed.year, "name": owed.project.name},
                    reverse("delivery:monitoring", args=[owed.project.pk]),
                    _("绩效监控"),
                    due=owed.due,
                    detail=_("征求使用单位和监理单位意见后报送省发展改革委、财政厅"),
                )
            )
    if people.is_ndrc(user):
        # The cases untouched longest are the likeliest to owe a report; NDRC's list looks at a bounded
        # number of them and links to the rest, so the page does not grow with the province's projects.
        monitored = Project.objects.filter(state__in=MONITORED_STATES)
        # One index walk per state ((state, updated_at)): an IN over two states would scan the table.
        waiting = sorted(
            row
            for state in MONITORED_STATES
            for row in monitored.filter(state=state)
            .order_by("updated_at", "id")
            .values_list("updated_at", "pk")[:NDRC_CHECKED]
        )
        oldest = [pk for _updated, pk in waiting[:NDRC_CHECKED]]
        for owed in missing(Project.objects.filter(pk__in=oldest), today):
            if owed.overdue:
                items.append(
                    todo.TodoItem(
                        _("逾期未报绩效监控报告（%(year)s年度）：%(name)s")
                        % {"year": owed.year, "name": owed.project.name},
                        reverse("delivery:monitoring", args=[owed.project.pk]),
                        _("绩效监控"),
                        due=owed.due,
                        detail=owed.project.lead_unit.display_name,
                    )
                )
        items = items[: todo.SHOWN]
        items += todo.more(
            monitored,
            shown=NDRC_CHECKED,
            what=_("建设中的项目（绩效监控报告）"),
            url=reverse("projects:list") + f"?state={State.IN_CONSTRUCTION}",
            category=_("绩效监控"),
        )
    return items[:50]


def monitoring_links(user, project) -> list[page_links.PageLink]:
    if project.state not in REPORTED_STATES:
        return []
    return [page_links.PageLink(str(_("绩效监控报告")), reverse("delivery:monitoring", args=[project.pk]))]


def overdue_text(owed: ReportDue) -> str:
    return _("%(year)s年度绩效监控报告应于%(date)s前报送") % {
        "year": owed.year,
        "date": display_date(owed.due),
    }


def register() -> None:
    actions.register("delivery.monitoring.filed", gettext_lazy("报送绩效监控报告"))
    todo.register(monitoring_todo)
    page_links.register(monitoring_links)
