"""Self-evaluation and post-evaluation (R-EVA-1, R-EVA-2, 川办法 第四十六条).

- ``self_evaluate`` (in_operation → self_evaluated): 12 to 24 months after the project entered operation
  (the date of the 验收意见 that accepted it) the unit files its self-evaluation — goals achieved,
  resource use and sharing, security risks (第四十六条 names them). Before 12 months it is refused; after
  24 months (the deadline, on the working-day calendar) it is overdue — still accepted, marked late, and
  on the to-do lists and reminders until filed.
- A post-evaluation is ordered by NDRC or Finance, done by experts or a third-party institution
  (``order_post_evaluation``); ``post_evaluate`` (self_evaluated → evaluated) records its result, which
  stands on the unit's record as a basis for next year's funding (the unit's page shows it).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govinfo import workflow
from govinfo.audit import actions, trail
from govinfo.documents.files import atomic_with_files
from govinfo.errors import Failure, NotAllowed, Refused
from govinfo.formats import display_date
from govinfo.home import todo
from govinfo.orgs import roles
from govinfo.orgs.models import Agency
from govinfo.workdays.days import add_working_days
from projects import page_links
from projects.models import Project, State
from projects.permissions import grant_agency

from . import people
from .acceptance import store_checked
from .dates import add_months, deadline, deadlines, latest_start
from .models import Acceptance, AcceptanceMaterialKind, PostEvaluation, SelfEvaluation

PROJECT = "projects.Project"
ART = "第四十六条"
TEXT_MAX = 4000
WINDOW_OPENS_MONTHS, WINDOW_CLOSES_MONTHS = 12, 24
WHO_SELF = people.who_unit("R-EVA-1", ART)
WHO_POST = people.who_ndrc_or_finance("R-EVA-2", ART)
EVALUATION_STATES = (State.IN_OPERATION, State.SELF_EVALUATED, State.EVALUATED)


def operation_started_on(project: Project) -> dt.date | None:
    """The day the project entered operation: the date of the 验收意见 that accepted it."""
    accepted = (
        Acceptance.objects.filter(project=project, outcome=Acceptance.Outcome.PASSED)
        .order_by("-number")
        .values_list("decided_on", flat=True)
        .first()
    )
    return accepted


def window(started: dt.date) -> tuple[dt.date, dt.date]:
    """R-EVA-1: (the first day a self-evaluation may be filed, the deadline)."""
    return add_months(started, WINDOW_OPENS_MONTHS), deadline(add_months(started, WINDOW_CLOSES_MONTHS))


def due_dates(starts) -> dict[dt.date, dt.date]:
    """``window(start)[1]`` for each of ``starts``, with one calendar query for all of them."""
    closes = {start: add_months(start, WINDOW_CLOSES_MONTHS) for start in set(starts)}
    moved = deadlines(closes.values())
    return {start: moved[day] for start, day in closes.items()}


def operation_starts():
    """The passed acceptances of the cases in operation that have not filed their self-evaluation:
    ``decided_on`` is the day the case entered operation, from which R-EVA-1's window counts. The to-do
    lists, the overdue count and the reminders all start from here."""
    return Acceptance.objects.filter(
        project__state=State.IN_OPERATION,
        project__self_evaluation__isnull=True,
        outcome=Acceptance.Outcome.PASSED,
        decided_on__isnull=False,
    )


def opened_by(today: dt.date) -> dt.date:
    """The latest operation start whose window is open on ``today`` (``window(start)[0] <= today``)."""
    return latest_start(today, WINDOW_OPENS_MONTHS)


def overdue_by(today: dt.date) -> dt.date:
    """The latest operation start whose deadline has passed on ``today`` (``window(start)[1] < today``).

    The deadline is the first working day on or after the 24th month; it is before today exactly when that
    day is on or before the last working day before today. So one calendar question answers for every
    case, and the lists filter on ``decided_on`` in SQL."""
    return latest_start(add_working_days(today, -1), WINDOW_CLOSES_MONTHS)


def r_eva_1_window_open(project: Project, today: dt.date | None = None) -> list[Failure]:
    today = today or timezone.localdate()
    started = operation_started_on(project)
    if started is None:
        return [Failure("R-EVA-1", ART, _("项目尚无验收合格记录，不能开展自评价。"))]
    opens, _due = window(started)
    if today < opens:
        return [
            Failure(
                "R-EVA-1",
                ART,
                _("项目投入运行后12至24个月内开展自评价：项目于%(start)s投入运行，%(opens)s起方可提交。")
                % {"start": display_date(started), "opens": display_date(opens)},
            )
        ]
    return []


def _self_evaluated(
    project: Project, *, by, goals_achieved, resource_use, security, problems="", report=None
):
    failures = []
    for value, message in [
        (goals_achieved, _("请填写绩效目标实现情况。")),
        (resource_use, _("请填写资源利用和信息资源共享情况。")),
        (security, _("请填写安全风险情况。")),
    ]:
        if not value:
            failures.append(Failure("R-EVA-1", ART, message))
    if failures:
        raise Refused(failures)
    started = operation_started_on(project)
    _opens, due = window(started)
    material = store_checked(project, AcceptanceMaterialKind.SELF_EVALUATION, report, by) if report else None
    return SelfEvaluation.objects.create(
        project=project,
        operation_started_on=started,
        due_date=due,
        goals_achieved=goals_achieved,
        resource_use=resource_use,
        security=security,
        problems=problems,
        report=material,
        filed_by=by,
        filed_at=timezone.now(),
    )


def _self_details(project: Project) -> dict:
    evaluation = project.step_result
    return {
        "operation_started_on": evaluation.operation_started_on,
        "due_date": evaluation.due_date,
        "late": evaluation.is_late,
        "report": evaluation.report.display_name if evaluation.report_id else "",
    }


def r_eva_2_ordered(project: Project) -> list[Failure]:
    if not PostEvaluation.objects.filter(project=project).exists():
        return [
            Failure(
                "R-EVA-2",
                ART,
                _("后评价须由省发展改革委或财政厅组织专家或委托第三方机构开展，请先组织后评价。"),
            )
        ]
    return []


def _post_recorded(project: Project, *, by, rating, conclusion, funding_advice, report=None):
    failures = []
    if rating not in PostEvaluation.Rating.values:
        failures.append(Failure("R-EVA-2", ART, _("请选择评价等级。")))
    if not conclusion:
        failures.append(Failure("R-EVA-2", ART, _("请填写评价结论。")))
    if report is None:
        failures.append(Failure("R-EVA-2", ART, _("请上传专家或第三方机构出具的后评价报告。")))
    if failures:
        raise Refused(failures)
    evaluation = PostEvaluation.objects.select_for_update().get(project=project)
    evaluation.rating = rating
    evaluation.conclusion = conclusion
    evaluation.funding_advice = funding_advice
    evaluation.report = store_checked(project, AcceptanceMaterialKind.POST_EVALUATION, report, by)
    evaluation.recorded_by = by
    evaluation.recorded_at = timezone.now()
    evaluation.save()
    return evaluation


def _post_details(project: Project) -> dict:
    evaluation = project.step_result
    return {
        "agency": evaluation.ordering_agency.name,
        "method": evaluation.get_method_display(),
        "evaluator": evaluation.evaluator,
        "rating": evaluation.get_rating_display(),
        "conclusion": evaluation.conclusion,
    }


# -- services -------------------------------------------------------------------------------------


def self_evaluate(
    project: Project,
    *,
    by,
    goals_achieved: str,
    resource_use: str,
    security: str,
    problems: str = "",
    report=None,
    expected_state: str | None = None,
) -> SelfEvaluation:
    """The unit files its self-evaluation 12–24 months into operation (R-EVA-1)."""
    seen = project.state if expected_state is None else expected_state
    with atomic_with_files():
        done = workflow.perform(
            project,
            "self_evaluate",
            by=by,
            expected_state=seen,
            effect_kwargs={
                "goals_achieved": (goals_achieved or "").strip()[:TEXT_MAX],
                "resource_use": (resource_use or "").strip()[:TEXT_MAX],
                "security": (security or "").strip()[:TEXT_MAX],
                "problems": (problems or "").strip()[:TEXT_MAX],
                "report": report,
            },
        )
    # 第四十六条: the evaluation reports go to NDRC and Finance.
    grant_agency(project, Agency.objects.get(code=people.FINANCE))
    project.refresh_from_db()
    return done.step_result


def _ordering_agency(user) -> Agency:
    codes = people.agency_codes(user) & {people.NDRC, people.FINANCE}
    return Agency.objects.get(code=people.NDRC if people.NDRC in codes else people.FINANCE)


def order_post_evaluation(
    project: Project, *, by, method: str, evaluator: str, scope: str = ""
) -> PostEvaluation:
    """NDRC or Finance orders a post-evaluation by experts or a third-party institution (R-EVA-2)."""
    people.require(WHO_POST(by, project), by)
    evaluator = (evaluator or "").strip()[:255]
    failures = []
    if method not in PostEvaluation.Method.values:
        failures.append(Failure("R-EVA-2", ART, _("后评价由专家或第三方机构开展，请选择评价方式。")))
    if not evaluator:
        failures.append(Failure("R-EVA-2", ART, _("请写明评价专家或第三方机构的名称。")))
    if failures:
        raise Refused(failures)
    with transaction.atomic():
        fresh = workflow.hold(project, doing=_("组织后评价"), expected_state=None)
        if fresh.state != State.SELF_EVALUATED:
            raise NotAllowed(
                _("项目当前状态为“%(state)s”，完成自评价后方可组织后评价。")
                % {"state": fresh.get_state_display()}
            )
        try:
            with transaction.atomic():
                evaluation = PostEvaluation.objects.create(
                    project=fresh,
                    ordering_agency=_ordering_agency(by),
                    method=method,
                    evaluator=evaluator,
                    scope=(scope or "").strip()[:TEXT_MAX],
                    ordered_by=by,
                    ordered_at=timezone.now(),
                )
        except IntegrityError:
            raise NotAllowed(_("该项目已组织后评价。")) from None
        grant_agency(fresh, evaluation.ordering_agency)
        trail.record(
            "delivery.evaluation.post_ordered",
            actor=by,
            target=fresh,
            details={
                "agency": evaluation.ordering_agency.name,
                "method": evaluation.get_method_display(),
                "evaluator": evaluator,
            },
        )
    return evaluation


def record_post_evaluation(
    project: Project,
    *,
    by,
    rating: str,
    conclusion: str,
    funding_advice: str = "",
    report=None,
    expected_state: str | None = None,
) -> PostEvaluation:
    """The post-evaluation's result is recorded; the case is archived (R-EVA-2)."""
    seen = project.state if expected_state is None else expected_state
    with atomic_with_files():
        done = workflow.perform(
            project,
            "post_evaluate",
            by=by,
            expected_state=seen,
            effect_kwargs={
                "rating": rating,
                "conclusion": (conclusion or "").strip()[:TEXT_MAX],
                "funding_advice": (funding_advice or "").strip()[:TEXT_MAX],
                "report": report,
            },
        )
    project.refresh_from_db()
    return done.step_result


def unit_record(unit) -> list[PostEvaluation]:
    """The unit's recorded post-evaluations, newest first: the basis for next year's funding (第四十六条)."""
    return list(
        PostEvaluation.objects.filter(project__lead_unit=unit, recorded_at__isnull=False)
        .select_related("project", "ordering_agency", "report")
        .order_by("-recorded_at")
    )


# -- to-do, page links ----------------------------------------------------------------------------


def evaluation_todo(user):
    today = timezone.localdate()
    units = roles.units_of(user)
    items = []
    if units:
        items += _window_open_todo(units, today)
    if people.is_ndrc(user):
        items += _overdue_todo(units, today)
    items += _post_evaluation_todo(user)
    return items


def _window_open_todo(units, today: dt.date) -> list[todo.TodoItem]:
    """The unit's cases whose 12-month window has opened, the longest in operation (the nearest deadline)
    first."""
    waiting = operation_starts().filter(project__lead_unit__in=units, decided_on__lte=opened_by(today))
    oldest = waiting.order_by("decided_on", "project_id")
    rows = list(oldest.values_list("project_id", "project__name", "decided_on")[: todo.SHOWN])
    dues = due_dates(started for *_rest, started in rows)
    # The SQL cutoff asks the same question; asking it again of the shown rows costs nothing and keeps the
    # rule where a reader looks for it.
    items = [
        todo.TodoItem(
            _("自评价：%(name)s") % {"name": name},
            reverse("delivery:evaluation", args=[project_id]),
            _("评价"),
            due=dues[started],
            detail=_("项目投入运行后12至24个月内开展自评价"),
        )
        for project_id, name, started in rows
        if add_months(started, WINDOW_OPENS_MONTHS) <= today
    ]
    return items + todo.more(
        waiting,
        what=_("待开展自评价的项目"),
        url=_operating_list(),
        category=_("评价"),
    )


def _overdue_todo(units, today: dt.date) -> list[todo.TodoItem]:
    """NDRC: the province's cases past their deadline, the most overdue first. A case of the user's own
    unit is already on the list as the unit's."""
    late = operation_starts().filter(decided_on__lte=overdue_by(today)).exclude(project__lead_unit__in=units)
    rows = list(
        late.select_related("project__lead_unit")
        .only("decided_on", "project__name", "project__lead_unit__name", "project__lead_unit__short_name")
        .order_by("decided_on", "project_id")[: todo.SHOWN]
    )
    dues = due_dates(row.decided_on for row in rows)
    items = [
        todo.TodoItem(
            _("逾期未自评价：%(name)s") % {"name": row.project.name},
            reverse("delivery:evaluation", args=[row.project_id]),
            _("评价"),
            due=dues[row.decided_on],
            detail=row.project.lead_unit.display_name,
        )
        for row in rows
        if dues[row.decided_on] < today
    ]
    return items + todo.more(
        late,
        what=_("逾期未自评价的项目"),
        url=_operating_list(),
        category=_("评价"),
    )


def _operating_list() -> str:
    return reverse("projects:list") + f"?state={State.IN_OPERATION}"


def _post_evaluation_todo(user) -> list[todo.TodoItem]:
    codes = people.agency_codes(user) & {people.NDRC, people.FINANCE}
    if not codes:
        return []
    open_evaluations = (
        PostEvaluation.objects.filter(recorded_at__isnull=True, ordering_agency__code__in=codes)
        .select_related("project")
        .only("project__name", "evaluator")
        .order_by("ordered_at")[: todo.SHOWN]
    )
    return [
        todo.TodoItem(
            _("记录后评价结果：%(name)s") % {"name": evaluation.project.name},
            reverse("delivery:evaluation", args=[evaluation.project_id]),
            _("评价"),
            detail=evaluation.evaluator,
        )
        for evaluation in open_evaluations
    ]


def evaluation_links(user, project) -> list[page_links.PageLink]:
    if project.state not in EVALUATION_STATES:
        return []
    return [page_links.PageLink(str(_("自评价与后评价")), reverse("delivery:evaluation", args=[project.pk]))]


def register() -> None:
    actions.register("delivery.evaluation.self_filed", gettext_lazy("提交自评价"))
    actions.register("delivery.evaluation.post_ordered", gettext_lazy("组织后评价"))
    actions.register("delivery.evaluation.post_recorded", gettext_lazy("记录后评价结果"))
    workflow.register(
        workflow.Step(
            PROJECT,
            "self_evaluate",
            gettext_lazy("提交自评价"),
            "delivery.evaluation.self_filed",
            who=WHO_SELF,
            rules=("R-EVA-1",),
            guard=r_eva_1_window_open,
            effect=_self_evaluated,
            details=_self_details,
        ),
        workflow.Step(
            PROJECT,
            "post_evaluate",
            gettext_lazy("记录后评价结果"),
            "delivery.evaluation.post_recorded",
            who=WHO_POST,
            rules=("R-EVA-2",),
            guard=r_eva_2_ordered,
            effect=_post_recorded,
            details=_post_details,
        ),
    )
    todo.register(evaluation_todo)
    page_links.register(evaluation_links)
