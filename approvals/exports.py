"""The review's exports: signed (and, for those who may see them, draft) opinions; and what the review
adds to the project register — the 批复 number and date, and the agency filter."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govinfo.exports import registry
from govinfo.exports.registry import AMOUNT, CHOICE, DATE, NUMBER, Column
from govinfo.orgs import roles
from govinfo.orgs.models import Role
from projects import access
from projects.exports import of_unit

from .models import Conclusion, Opinion, ReviewRound, ReviewStage, ReviewTask


@registry.register
class OpinionExporter(registry.Exporter):
    identifier = "opinions"
    verbose_name = _("审核意见")
    description = _("各机构对各项目各轮审查的审核意见：结论、意见、签署人和日期、审核意见书文号。")
    filters = ("year", "unit", "agency", "state", "amount_min", "amount_max", "date_from", "date_to")
    date_field = "signed_at"
    date_label = _("签署日期")
    amount_field = "task__round__project__total_investment"
    ordering = ("-task__round__project__year", "task__round__project__code", "task__round__number", "pk")
    state_choices = tuple(Opinion.Status.choices)
    extra_values = ("task__round__project_id",)

    def base_queryset(self, user):
        opinions = Opinion.objects.filter(task__round__project__in=access.visible(user).values("pk"))
        if roles.is_auditor(user):
            return opinions
        # Drafts stay inside the drafting agency (approvals.permissions.may_see_drafts).
        agencies = [agency.pk for agency in roles.agencies_of(user, Role.REVIEWER, Role.SIGNER)]
        return opinions.filter(Q(status=Opinion.Status.SIGNED) | Q(task__agency_id__in=agencies))

    def filter_year(self, qs, value):
        return qs.filter(task__round__project__year=value)

    def filter_unit(self, qs, unit):
        return qs.filter(of_unit(unit, "task__round__project__"))

    def filter_agency(self, qs, agency):
        return qs.filter(task__agency=agency)

    def filter_state(self, qs, value):
        return qs.filter(status=value)

    def base_columns(self) -> list[Column]:
        return [
            Column("task__round__project__code", _("项目代码"), width=18),
            Column("task__round__project__name", _("项目名称"), width=36),
            Column("task__round__project__lead_unit__name", _("项目单位"), width=24),
            Column("task__round__project__total_investment", _("总投资（万元）"), kind=AMOUNT, width=14),
            Column("task__round__stage", _("审查阶段"), kind=CHOICE, choices=ReviewStage.choices, width=16),
            Column("task__round__number", _("轮次"), kind=NUMBER, width=6),
            Column("task__agency__name", _("审核机构"), width=20),
            Column("conclusion", _("审核结论"), kind=CHOICE, choices=Conclusion.choices, width=18),
            Column("status", _("状态"), kind=CHOICE, choices=Opinion.Status.choices, width=8),
            Column("text", _("审核意见"), width=60),
            Column("conditions", _("修改意见或批复条件"), width=40),
            Column("drafted_by__full_name", _("起草人"), width=10),
            Column("drafted_at", _("起草日期"), kind=DATE, width=14),
            Column("signed_by__full_name", _("签署人"), width=10),
            Column("signed_at", _("签署日期"), kind=DATE, width=14),
            Column("document__doc_number", _("审核意见书文号"), width=22),
            Column("supersedes_id", _("更正的意见编号"), kind=NUMBER, width=10),
        ]

    def link(self, row: dict) -> str | None:
        return reverse("approvals:project", args=[row["task__round__project_id"]])


def _approval_round():
    return ReviewRound.objects.filter(project=OuterRef("pk"), outcome=ReviewRound.Outcome.APPROVED).order_by(
        "-closed_at", "-id"
    )


def _reviewed_by(qs, agency):
    return qs.filter(Exists(ReviewTask.objects.filter(round__project=OuterRef("pk"), agency=agency)))


registry.extend(
    "projects",
    columns=[
        Column(
            "approval_doc_number",
            _("批复文号"),
            expression=Subquery(_approval_round().values("decision_document__doc_number")[:1]),
            width=22,
        ),
        Column(
            "approval_date",
            _("批复日期"),
            kind=DATE,
            expression=Subquery(_approval_round().values("closed_at")[:1]),
            width=14,
        ),
    ],
    filters={"agency": _reviewed_by},
)
