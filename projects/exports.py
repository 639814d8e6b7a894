"""The project register as an export: one row per case the user may see (``projects.access``).

Columns downstream apps know better are added by them with ``registry.extend("projects", …)``:
approvals adds the 批复 number and date and the agency filter, delivery its filing and acceptance dates.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govinfo import workflow
from govinfo.exports import registry
from govinfo.exports.registry import AMOUNT, CHOICE, CHOICES, DATE, NUMBER, Column
from govinfo.formats import series

from . import access
from .models import (
    ApplicationStage,
    ApprovalPath,
    Category,
    FundChannel,
    Mode,
    Project,
    ProjectParticipant,
    State,
    stage_of,
)


class _Fields:
    """The plain values ``stage_of`` reads, from a values() row."""

    def __init__(self, row: dict):
        self.implementation_mode = row["implementation_mode"]
        self.approval_path = row["approval_path"]
        self.two_step_stage = row["two_step_stage"]


def _next_steps_by_state() -> dict[str, str]:
    """What can happen next to a project in each state: the labels of the lifecycle table's rows."""
    found: dict[str, list[str]] = {}
    for row in workflow.table():
        if row.model != "projects.Project":
            continue
        for source in row.sources:
            found.setdefault(source, []).append(str(row.label))
    return {state: series(dict.fromkeys(labels)) for state, labels in found.items()}


def of_unit(unit, path: str = "") -> Q:
    """Rows whose case ``unit`` leads or takes part in; ``path`` leads from the row to its project
    (``"project__"``, ``"task__round__project__"``), empty for projects themselves."""
    participating = ProjectParticipant.objects.filter(unit=unit).values("project_id")
    return Q(**{f"{path}lead_unit": unit}) | Q(**{f"{path}pk__in": participating})


@registry.register
class ProjectExporter(registry.Exporter):
    identifier = "projects"
    verbose_name = _("项目清单")
    description = _("项目单位、类型、投资（万元）、经费渠道、状态、关键日期和当前环节。")
    filters = ("year", "unit", "state", "amount_min", "amount_max", "date_from", "date_to")
    date_field = "first_submitted_at"
    date_label = _("首次申报日期")
    amount_field = "total_investment"
    ordering = ("-year", "code", "pk")
    state_choices = tuple(State.choices)

    def base_queryset(self, user):
        return access.visible(user)

    def filter_unit(self, qs, unit):
        return qs.filter(of_unit(unit))

    def base_columns(self) -> list[Column]:
        stages = {value: str(label) for value, label in ApplicationStage.choices}

        def stage(value, row):
            return stages[stage_of(_Fields(row))]

        next_steps: dict[str, str] = {}

        def current_step(value, row):
            if not next_steps:
                next_steps.update(_next_steps_by_state() or {"": ""})
            return next_steps.get(value, "")

        return [
            Column("code", _("项目代码"), width=18),
            Column("name", _("项目名称"), width=40),
            Column("lead_unit__name", _("项目单位"), width=28),
            Column("lead_unit__credit_code", _("统一社会信用代码"), width=20),
            Column("year", _("申报年度"), kind=NUMBER, width=10),
            Column("category", _("项目类型"), kind=CHOICE, choices=Category.choices, width=18),
            Column("implementation_mode", _("实施方式"), kind=CHOICE, choices=Mode.choices, width=10),
            Column("approval_path", _("审批方式"), kind=CHOICE, choices=ApprovalPath.choices, width=18),
            Column("two_step_stage", _("申报阶段"), render=stage, width=16),
            Column("total_investment", _("总投资（万元）"), kind=AMOUNT, width=14),
            Column("om_funding", _("年度运维经费（万元）"), kind=AMOUNT, width=14),
            Column("fund_channels", _("经费渠道"), kind=CHOICES, choices=FundChannel.choices, width=24),
            Column("state", _("状态"), kind=CHOICE, choices=State.choices, width=10),
            Column("state", _("后续环节"), render=current_step, width=24),
            Column("created_at", _("创建日期"), kind=DATE, width=14),
            Column("first_submitted_at", _("首次申报日期"), kind=DATE, width=14),
            Column("submitted_at", _("最近申报日期"), kind=DATE, width=14),
        ]

    def link(self, row: dict) -> str | None:
        return reverse("projects:detail", args=[row["pk"]])


def _documents_of_unit(qs, unit):
    """Issued documents about the unit's projects (a document keeps its project's code)."""
    codes = Project.objects.filter(lead_unit=unit).exclude(code=None).values("code")
    return qs.filter(project_code__in=codes)


registry.extend("documents", filters={"unit": _documents_of_unit})
