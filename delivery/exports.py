"""The years after the 批复 as exports: changes (调整), acceptances (验收) and evaluations (自评价 and 后评价),
and what delivery adds to the project register — its 备案号, filing date and the date it passed acceptance.

Every row belongs to a case the user may see (``projects.access``); the unit filter takes the lead unit and
participating units, as the project register does.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govinfo.exports import registry
from govinfo.exports.registry import AMOUNT, CHOICE, DATE, NUMBER, Column
from projects import access
from projects.exports import of_unit

from .models import Acceptance, ChangeReason, ChangeRequest, Filing, PostEvaluation, SelfEvaluation


class _CaseExporter(registry.Exporter):
    """Rows that hang off one project (``project`` foreign key): visibility, year and unit filters, the case's
    code, name and unit as the first columns, and a link to the project's page."""

    model = None
    extra_values = ("project_id",)

    def base_queryset(self, user):
        return self.model.objects.filter(project__in=access.visible(user).values("pk"))

    def filter_year(self, qs, value):
        return qs.filter(project__year=value)

    def filter_unit(self, qs, unit):
        return qs.filter(of_unit(unit, "project__"))

    def case_columns(self) -> list[Column]:
        return [
            Column("project__code", _("项目代码"), width=18),
            Column("project__name", _("项目名称"), width=36),
            Column("project__lead_unit__name", _("项目单位"), width=24),
        ]

    def link(self, row: dict) -> str | None:
        return reverse("projects:detail", args=[row["project_id"]])


@registry.register
class ChangeExporter(_CaseExporter):
    identifier = "changes"
    verbose_name = _("项目变更")
    description = _(
        "报备和调整申请：调整内容和原因、批复总投资、调整前后总投资和调整数额（万元）、状态、调整批复文号。"
    )
    model = ChangeRequest
    filters = ("year", "unit", "state", "amount_min", "amount_max", "date_from", "date_to")
    date_field = "filed_at"
    date_label = _("报告日期")
    amount_field = "adjusted_amount"
    ordering = ("-filed_at", "-pk")
    state_choices = tuple(ChangeRequest.Status.choices)

    def filter_state(self, qs, value):
        return qs.filter(status=value)

    def base_columns(self) -> list[Column]:
        return [
            *self.case_columns(),
            Column("number", _("序号"), kind=NUMBER, width=6),
            Column("kind", _("类别"), kind=CHOICE, choices=ChangeRequest.Kind.choices, width=10),
            Column("status", _("状态"), kind=CHOICE, choices=ChangeRequest.Status.choices, width=10),
            Column("content", _("调整内容"), width=48),
            Column("reason", _("调整原因"), kind=CHOICE, choices=ChangeReason.choices, width=20),
            Column("reason_detail", _("调整理由"), width=40),
            Column("approved_total", _("批复总投资（万元）"), kind=AMOUNT, width=14),
            Column("total_before", _("调整前总投资（万元）"), kind=AMOUNT, width=14),
            Column("new_total", _("调整后总投资（万元）"), kind=AMOUNT, width=14),
            Column("adjusted_amount", _("资金调整数额（万元）"), kind=AMOUNT, width=14),
            Column("filed_by__full_name", _("报告人"), width=10),
            Column("filed_at", _("报告日期"), kind=DATE, width=14),
            Column("decided_by__full_name", _("审批人"), width=10),
            Column("decided_at", _("审批日期"), kind=DATE, width=14),
            Column("document__doc_number", _("调整批复文号"), width=22),
        ]


@registry.register
class AcceptanceExporter(_CaseExporter):
    identifier = "acceptances"
    verbose_name = _("项目验收")
    description = _(
        "验收申请和结论：申请次序、验收方式、评估方式、验收结论、整改事项和期限、验收意见文号、向领导小组办公室报备日期。"
    )
    model = Acceptance
    filters = ("year", "unit", "state", "date_from", "date_to")
    date_field = "applied_at"
    date_label = _("申请日期")
    ordering = ("-applied_at", "-pk")
    state_choices = tuple((value, label) for value, label in Acceptance.Outcome.choices if value)

    def filter_state(self, qs, value):
        return qs.filter(outcome=value)

    def base_columns(self) -> list[Column]:
        return [
            *self.case_columns(),
            Column("number", _("申请次序"), kind=NUMBER, width=8),
            Column("kind", _("验收方式"), kind=CHOICE, choices=Acceptance.Kind.choices, width=22),
            Column("applied_at", _("申请日期"), kind=DATE, width=14),
            Column("method", _("评估方式"), kind=CHOICE, choices=Acceptance.Method.choices, width=14),
            Column("third_party_name", _("第三方机构名称"), width=24),
            Column("outcome", _("验收结论"), kind=CHOICE, choices=Acceptance.Outcome.choices, width=12),
            Column("opinion", _("验收意见"), width=48),
            Column("rectification_items", _("整改事项"), width=40),
            Column("rectify_by", _("整改期限"), kind=DATE, width=14),
            Column("decided_by__full_name", _("签发人"), width=10),
            Column("decided_on", _("验收意见日期"), kind=DATE, width=14),
            Column("document__doc_number", _("验收意见文号"), width=22),
            Column("office_reported_at", _("向领导小组办公室报备日期"), kind=DATE, width=16),
        ]


@registry.register
class SelfEvaluationExporter(_CaseExporter):
    identifier = "self_evaluations"
    verbose_name = _("项目自评价")
    description = _(
        "投入运行日期、应完成日期、提交日期、是否逾期，以及绩效目标实现、资源共享、安全风险和存在问题。"
    )
    model = SelfEvaluation
    filters = ("year", "unit", "date_from", "date_to")
    date_field = "filed_at"
    date_label = _("提交日期")
    ordering = ("-filed_at", "-pk")
    extra_values = ("project_id", "due_date")

    def base_columns(self) -> list[Column]:
        late, on_time = str(_("逾期")), str(_("按期"))

        def timeliness(value, row):
            return late if value and row["due_date"] and value.date() > row["due_date"] else on_time

        return [
            *self.case_columns(),
            Column("operation_started_on", _("投入运行日期"), kind=DATE, width=14),
            Column("due_date", _("应完成自评价日期"), kind=DATE, width=14),
            Column("filed_at", _("提交日期"), kind=DATE, width=14),
            Column("filed_at", _("是否按期"), render=timeliness, width=8),
            Column("goals_achieved", _("绩效目标实现情况"), width=40),
            Column("resource_use", _("资源利用和信息资源共享情况"), width=40),
            Column("security", _("安全风险情况"), width=30),
            Column("problems", _("存在问题和改进措施"), width=30),
            Column("filed_by__full_name", _("提交人"), width=10),
        ]


@registry.register
class PostEvaluationExporter(_CaseExporter):
    identifier = "post_evaluations"
    verbose_name = _("项目后评价")
    description = _("组织机关、评价方式、评价专家或第三方机构、评价等级和结论、对下一年度经费安排的建议。")
    model = PostEvaluation
    filters = ("year", "unit", "agency", "state", "date_from", "date_to")
    date_field = "ordered_at"
    date_label = _("组织日期")
    ordering = ("-ordered_at", "-pk")
    state_choices = tuple(PostEvaluation.Rating.choices)

    def filter_agency(self, qs, agency):
        return qs.filter(ordering_agency=agency)

    def filter_state(self, qs, value):
        return qs.filter(rating=value)

    def base_columns(self) -> list[Column]:
        return [
            *self.case_columns(),
            Column("ordering_agency__name", _("组织机关"), width=20),
            Column("method", _("评价方式"), kind=CHOICE, choices=PostEvaluation.Method.choices, width=14),
            Column("evaluator", _("评价专家或第三方机构"), width=28),
            Column("ordered_at", _("组织日期"), kind=DATE, width=14),
            Column("rating", _("评价等级"), kind=CHOICE, choices=PostEvaluation.Rating.choices, width=8),
            Column("conclusion", _("评价结论"), width=48),
            Column("funding_advice", _("对下一年度经费安排的建议"), width=40),
            Column("recorded_at", _("记录日期"), kind=DATE, width=14),
        ]


def _passed_acceptance():
    return Acceptance.objects.filter(project=OuterRef("pk"), outcome=Acceptance.Outcome.PASSED).order_by(
        "-decided_on", "-pk"
    )


def _filing():
    return Filing.objects.filter(project=OuterRef("pk"))


registry.extend(
    "projects",
    columns=[
        Column("filing_number", _("备案号"), expression=Subquery(_filing().values("number")[:1]), width=18),
        Column(
            "filed_on",
            _("备案日期"),
            kind=DATE,
            expression=Subquery(_filing().values("filed_at")[:1]),
            width=14,
        ),
        Column(
            "accepted_on",
            _("验收合格日期"),
            kind=DATE,
            expression=Subquery(_passed_acceptance().values("decided_on")[:1]),
            width=14,
        ),
    ],
)
