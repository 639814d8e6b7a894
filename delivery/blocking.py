"""Blocked units (R-APP-4, 川办法 第三十二、三十三、五十一条): why a unit may not get new projects now.

A unit is barred, at submission and at NDRC's approval alike, while any of these holds:

- one of its projects is past its acceptance deadline (``Project.acceptance_due``, set when construction
  starts; moved by an agreed 延期验收申请, R-ACC-3) and has not applied for acceptance (第三十二条 未进行验收);
- one of its projects failed acceptance and has not passed since (第三十二条 验收不合格; a re-application
  under review does not lift it — the rectification is not yet accepted);
- a confirmed sharing violation (``catalogue.compliance``: an overdue share request or objection, produced
  data not catalogued, …): 第三十三条 bars the unit's other projects *of the following year* — a violation
  of year Y bars projects of 申报年度 Y+1 on, while it lasts;
- a security non-compliance NDRC or 省委网信办 recorded and has not cleared (第五十一条).

Each bar lifts by itself when what caused it is resolved (nothing to reset). ``unit_bars(unit)`` is the one
function; it is registered with ``projects.bars`` so the submit check, NDRC's review page and the approval
guard all ask the same question without importing this app.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.compliance import sharing_violations
from govinfo import workflow
from govinfo.audit import actions, trail
from govinfo.errors import Failure, Refused
from govinfo.formats import display_date
from govinfo.home import nav
from govinfo.orgs.models import Agency, Role, Unit
from projects import bars, checks, page_links
from projects.models import AWAITING_ACCEPTANCE_STATES, Project, State

from . import people
from .models import Acceptance, AcceptanceExtension, SecurityFinding

RULE = "R-APP-4"
ART_ACCEPTANCE = "第三十二条"
ART_SHARING = "第三十三条"
ART_SECURITY = "第五十一条"


def _label(project: Project) -> str:
    return f"{project.code} {project.name}" if project.code else project.name


def _acceptance_url(project: Project) -> str:
    return reverse("delivery:acceptance", args=[project.pk])


def acceptance_bars(unit: Unit, today: dt.date, exclude_project=None) -> list[Failure]:
    """第三十二条: projects past their acceptance deadline, and failed acceptances not yet passed (one query,
    and one more only when a project is overdue)."""
    failed = Acceptance.objects.filter(outcome=Acceptance.Outcome.FAILED).values("project_id")
    projects = (
        Project.objects.filter(lead_unit=unit)
        .filter(
            Q(state__in=AWAITING_ACCEPTANCE_STATES, acceptance_due__lt=today)
            | Q(state=State.ACCEPTANCE_FAILED)
            | Q(state=State.ACCEPTANCE_REVIEW, pk__in=failed)
        )
        .only("pk", "name", "code", "state", "acceptance_due")
        .order_by("pk")
    )
    if exclude_project is not None:
        projects = projects.exclude(pk=exclude_project.pk)
    projects = list(projects)
    overdue = [p for p in projects if p.state in AWAITING_ACCEPTANCE_STATES]
    pending = (
        set(
            AcceptanceExtension.objects.filter(
                project__in=[p.pk for p in overdue], status=AcceptanceExtension.Status.PENDING
            ).values_list("project_id", flat=True)
        )
        if overdue
        else set()
    )
    failures = []
    for project in sorted(overdue, key=lambda p: (p.acceptance_due, p.pk)):
        message = _(
            "本单位项目“%(project)s”已超过应申请验收日期（%(date)s）仍未申请验收，暂停本单位新增项目；"
            "如确需延期，应提出延期验收申请。"
        ) % {"project": _label(project), "date": display_date(project.acceptance_due)}
        if project.pk in pending:
            message += _("（延期验收申请待省发展改革委审核）")
        failures.append(Failure(RULE, ART_ACCEPTANCE, message, url=_acceptance_url(project)))
    for project in projects:
        if project.state in AWAITING_ACCEPTANCE_STATES:
            continue
        failures.append(
            Failure(
                RULE,
                ART_ACCEPTANCE,
                _("本单位项目“%(project)s”验收不合格且尚未整改通过，暂停本单位新增项目。")
                % {"project": _label(project)},
                url=_acceptance_url(project),
            )
        )
    return failures


def sharing_bars(unit: Unit, today: dt.date, year: int | None) -> list[Failure]:
    """第三十三条: a violation that began in year Y bars the unit's projects of 申报年度 Y+1 on, while it lasts."""
    failures = []
    for violation in sharing_violations(unit, today):
        began = (violation.due or today).year
        if year is not None and year <= began:
            continue
        failures.append(
            Failure(
                RULE,
                ART_SHARING,
                _(
                    "本单位存在数据共享违规（%(rule)s）：%(problem)s。%(year)s年度起本单位其他新建、改建、扩建项目不予审批，整改后解除。"
                )
                % {
                    "rule": violation.rule,
                    "problem": str(violation.message).rstrip("。."),
                    "year": began + 1,
                },
                url=violation.url,
            )
        )
    return failures


def security_bars(unit: Unit) -> list[Failure]:
    findings = (
        SecurityFinding.objects.filter(unit=unit, status=SecurityFinding.Status.OPEN)
        .select_related("agency", "project")
        .order_by("recorded_at", "pk")
    )
    url = reverse("delivery:unit", args=[unit.pk])
    return [
        Failure(
            RULE,
            ART_SECURITY,
            _(
                "%(agency)s于%(date)s认定本单位%(project)s不符合密码应用和网络安全要求或存在重大安全隐患："
                "%(finding)s。整改销号前本单位不得新建、改建、扩建政务信息系统。"
            )
            % {
                "agency": finding.agency.display_name,
                "date": display_date(finding.recorded_at),
                "project": _("项目“%(name)s”") % {"name": finding.project.name} if finding.project else "",
                "finding": finding.finding.rstrip("。."),
            },
            url=f"{url}#finding-{finding.pk}",
        )
        for finding in findings
    ]


def unit_bars(
    unit: Unit, *, year: int | None = None, exclude_project=None, today: dt.date | None = None
) -> list[Failure]:
    """Every reason ``unit`` may not get new projects now (see the module docstring); [] when it may.

    ``year``: the 申报年度 of the project being filed or approved (None: any year, as the unit's page
    shows it); ``exclude_project``: that project, which never bars itself.
    """
    today = today or timezone.localdate()
    return [
        *acceptance_bars(unit, today, exclude_project),
        *sharing_bars(unit, today, year),
        *security_bars(unit),
    ]


def r_app_4_unit_not_barred(project: Project) -> list[Failure]:
    """The submit check: the lead unit is not barred (R-APP-4)."""
    return unit_bars(project.lead_unit, year=project.year, exclude_project=project)


# -- security findings (第五十一条): NDRC or 网信办 records and clears them --------------------------

WHO_SECURITY = people.who_security_agency(RULE, ART_SECURITY)


def _recording_agency(user) -> Agency:
    codes = people.agency_codes(user) & {people.NDRC, people.CYBERSPACE}
    return Agency.objects.get(code=sorted(codes)[0])


def record_finding(unit: Unit, *, by, finding: str, project: Project | None = None) -> SecurityFinding:
    """NDRC or 网信办 records a security non-compliance of ``unit`` (optionally of one of its projects)."""
    people.require(WHO_SECURITY(by, unit), by)
    finding = (finding or "").strip()
    if not finding:
        raise Refused(_("请写明不符合密码应用和网络安全要求的具体问题。"))
    if project is not None and project.lead_unit_id != unit.pk:
        raise Refused(_("所选项目不属于该单位。"))
    with transaction.atomic():
        if project is not None:
            workflow.hold(project, doing=_("记录安全不合规问题"), expected_state=None)
        else:
            workflow.hold(unit, doing=_("记录安全不合规问题"), expected_state=None)
        row = SecurityFinding.objects.create(
            unit=unit, project=project, agency=_recording_agency(by), finding=finding, recorded_by=by
        )
        trail.record(
            "delivery.security.recorded",
            actor=by,
            target=project or unit,
            details={"unit": unit.name, "agency": row.agency.name, "finding": finding},
        )
    return row


def clear_finding(finding: SecurityFinding, *, by, note: str) -> SecurityFinding:
    note = (note or "").strip()
    if not note:
        raise Refused(_("销号须写明整改情况。"))
    return workflow.perform(finding, "clear", by=by, kwargs={"by": by, "note": note})


def _finding_case(finding: SecurityFinding):
    return finding.project if finding.project_id else finding.unit


def _cleared_details(finding: SecurityFinding) -> dict:
    return {"unit": finding.unit.name, "finding": finding.finding, "note": finding.clear_note}


def unit_page_link(user, project) -> list[page_links.PageLink]:
    from .unit_views import may_view_unit

    if not may_view_unit(user, project.lead_unit):
        return []
    # No query here: the project page's cost stays flat; the unit's page lists its bars.
    return [page_links.PageLink(str(_("单位情况")), reverse("delivery:unit", args=[project.lead_unit_id]))]


def register() -> None:
    checks.register(r_app_4_unit_not_barred, after=checks.r_app_3_predecessor_accepted)
    checks.register_block(r_app_4_unit_not_barred)
    bars.register(unit_bars)
    page_links.register(unit_page_link)
    nav.register(
        nav.NavEntry(
            gettext_lazy("项目单位"),
            "delivery:units",
            nav.with_role(Role.APPLICANT, Role.REVIEWER, Role.SIGNER, Role.AUDITOR, Role.ADMIN),
            order=40,
            match_prefix="/delivery/units/",
        )
    )
    actions.register("delivery.security.recorded", gettext_lazy("认定安全不合规问题（第五十一条）"))
    actions.register("delivery.security.cleared", gettext_lazy("安全不合规问题整改销号"))
    workflow.register(
        workflow.Step(
            "delivery.SecurityFinding",
            "clear",
            gettext_lazy("整改销号"),
            "delivery.security.cleared",
            who=WHO_SECURITY,
            rules=(RULE,),
            case=_finding_case,
            noun=gettext_lazy("安全不合规记录"),
            details=_cleared_details,
        )
    )
