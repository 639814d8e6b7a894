"""Monitoring reports, trial operation, acceptance and evaluation (R-BLD-4, R-ACC-1 … R-ACC-4, R-EVA-1/2),
the security findings and reminders of the years after construction (R-APP-4, 第五十一条).

The project's state carries where the case is (``projects.Project.state``: trial_operation …
evaluated); these rows are the facts each step records — the recorded start of the trial, each
acceptance application with the materials it carried, its review round and 验收意见, the reports and
evaluations — so the case reads the same years later. Nothing here is edited after the step that made
it, except through a later step (an extension decided, a finding cleared, an acceptance 报备).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from govinfo.workflow import fsm_permission

__all__ = [
    "REQUIRED_MATERIALS",
    "Acceptance",
    "AcceptanceExtension",
    "AcceptanceMaterial",
    "AcceptanceMaterialKind",
    "MonitoringReport",
    "PostEvaluation",
    "Reminder",
    "SecurityFinding",
    "SelfEvaluation",
    "TrialRun",
]

YUAN_HELP = _("以元为单位存储，页面按万元填写和显示。")


class MonitoringReport(models.Model):
    """绩效监控报告 (R-BLD-4, 川办法 第四十五条): one per project and year, to NDRC and Finance by 31 December."""

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="monitoring_reports",
        verbose_name=_("项目"),
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    project_state = models.CharField(_("报告时项目状态"), max_length=32)
    progress = models.TextField(_("项目实施进度"))
    fund_execution = models.TextField(_("资金计划执行情况"))
    funds_spent = models.DecimalField(
        _("累计完成投资"), max_digits=16, decimal_places=2, null=True, blank=True, help_text=YUAN_HELP
    )
    trial_results = models.TextField(_("试运行效果及遇到的问题"), blank=True)
    user_unit_name = models.CharField(_("征求意见的使用单位"), max_length=128)
    user_unit_opinion = models.TextField(_("使用单位意见"))
    supervisor_name = models.CharField(_("征求意见的监理单位"), max_length=128)
    supervisor_opinion = models.TextField(_("监理单位意见"))
    due_date = models.DateField(_("提交期限"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("绩效监控报告")
        verbose_name_plural = _("绩效监控报告")
        ordering = ["project", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="monitoring_report_one_per_year")
        ]

    def __str__(self) -> str:
        return gettext("%(project)s %(year)s年度绩效监控报告") % {
            "project": self.project.name,
            "year": self.year,
        }

    @property
    def is_late(self) -> bool:
        return self.submitted_at.date() > self.due_date


class TrialRun(models.Model):
    """试运行 (R-ACC-1, 川办法 第三十一条): construction complete, trial operation from a recorded date."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="trial_run", verbose_name=_("项目")
    )
    started_on = models.DateField(_("试运行开始日期"))
    completion_note = models.TextField(_("建设内容完成情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("试运行")
        verbose_name_plural = _("试运行")

    def __str__(self) -> str:
        return gettext("%(project)s 试运行") % {"project": self.project.name}


class AcceptanceMaterialKind(models.TextChoices):
    """验收资料 (R-ACC-2, 川办法 第三十一条), and the unit's own acceptance report of a 购买服务 project."""

    SUMMARY = "summary", _("项目建设总结")
    FINANCIAL = "financial", _("财务报告")
    AUDIT = "audit", _("第三方审计报告")
    SHARING = "sharing", _("信息资源共享报告")
    TESTING = "testing", _("第三方测评报告（功能和性能）")
    SECURITY = "security", _("安全风险评估报告（等保/分保测评、数据安全风险评估）")
    CRYPTO = "crypto", _("密码应用安全性评估报告")
    UNIT_ACCEPTANCE = "unit_acceptance", _("项目单位验收报告（购买服务项目）")
    RECTIFICATION = "rectification", _("整改报告")
    THIRD_PARTY_REVIEW = "third_party_review", _("第三方评估报告")
    SELF_EVALUATION = "self_evaluation", _("自评价报告")
    POST_EVALUATION = "post_evaluation", _("后评价报告")
    OTHER = "other", _("其他验收材料")


# The seven materials 第三十一条 lists for a 建设项目 (R-ACC-2), in the article's order.
REQUIRED_MATERIALS = (
    AcceptanceMaterialKind.SUMMARY,
    AcceptanceMaterialKind.FINANCIAL,
    AcceptanceMaterialKind.AUDIT,
    AcceptanceMaterialKind.SHARING,
    AcceptanceMaterialKind.TESTING,
    AcceptanceMaterialKind.SECURITY,
    AcceptanceMaterialKind.CRYPTO,
)


def acceptance_upload_to(instance: AcceptanceMaterial, filename: str) -> str:
    # The stored name never comes from the user (as for application materials).
    return f"delivery/{instance.project_id}/acceptance/{uuid.uuid4().hex}.{instance.file_format}"


class AcceptanceMaterial(models.Model):
    """A 验收资料 document, checked as application materials are (``projects.materials.check_upload``).
    A re-upload adds a version; earlier versions stay, and each application keeps the versions it carried."""

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="acceptance_materials",
        verbose_name=_("项目"),
    )
    kind = models.CharField(_("材料类型"), max_length=24, choices=AcceptanceMaterialKind.choices)
    version = models.PositiveIntegerField(_("版本"), default=1)
    file = models.FileField(_("文件"), upload_to=acceptance_upload_to, max_length=255)
    file_format = models.CharField(_("格式"), max_length=8)
    display_name = models.CharField(_("文件名"), max_length=160)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("验收材料")
        verbose_name_plural = _("验收材料")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "version"], name="acceptance_material_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} · {self.display_name}"


class Acceptance(models.Model):
    """One application for acceptance (R-ACC-1 … R-ACC-4): the first, or a re-application after rectification.

    It opens a ``approvals.ReviewRound`` of stage 验收 (NDRC may invite experts on it or record a third
    party) and ends with NDRC's 验收意见 — 验收合格 (the project enters operation) or 验收不合格 with the
    rectification items. A 购买服务 project is accepted by its unit, and NDRC issues an 审核意见 on that result.
    """

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("竣工验收（省发展改革委组织）")
        PURCHASE = "purchase", _("购买服务项目验收结果审核")

    class Method(models.TextChoices):
        NONE = "", _("—")
        DEPARTMENTS = "departments", _("组织相关部门")
        EXPERTS = "experts", _("组织专家")
        THIRD_PARTY = "third_party", _("委托第三方机构")

    class Outcome(models.TextChoices):
        PENDING = "", _("审核中")
        PASSED = "passed", _("验收合格")
        FAILED = "failed", _("验收不合格")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("项目")
    )
    number = models.PositiveSmallIntegerField(_("申请次序"))
    kind = models.CharField(_("验收方式"), max_length=16, choices=Kind.choices)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    applied_at = models.DateTimeField(_("申请时间"))
    note = models.TextField(_("申请说明"), blank=True)
    # 购买服务 (第三十一条): the unit accepted the service itself; NDRC reviews that result.
    unit_accepted_on = models.DateField(_("项目单位验收日期"), null=True, blank=True)
    unit_conclusion = models.TextField(_("项目单位验收结论"), blank=True)
    rectification_report = models.TextField(_("整改情况"), blank=True)
    materials = models.ManyToManyField(
        AcceptanceMaterial, related_name="acceptances", verbose_name=_("验收材料")
    )
    round = models.OneToOneField(
        "approvals.ReviewRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptance",
        verbose_name=_("审查轮次"),
    )
    method = models.CharField(_("评估方式"), max_length=16, choices=Method.choices, blank=True)
    third_party_name = models.CharField(_("第三方机构名称"), max_length=128, blank=True)
    departments = models.CharField(_("参加验收的部门"), max_length=255, blank=True)
    outcome = models.CharField(_("验收结论"), max_length=8, choices=Outcome.choices, blank=True)
    opinion = models.TextField(_("验收意见"), blank=True)
    rectification_items = models.TextField(_("整改事项"), blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签发人"),
    )
    decided_on = models.DateField(_("验收意见日期"), null=True, blank=True)
    document = models.OneToOneField(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("验收意见文件"),
    )
    # 第三十一条: the unit reports the acceptance to the 领导小组办公室 through the platform.
    office_reported_at = models.DateTimeField(_("向领导小组办公室报备时间"), null=True, blank=True)
    office_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报备人"),
    )
    office_report_note = models.TextField(_("报备说明"), blank=True)

    class Meta:
        verbose_name = _("验收申请")
        verbose_name_plural = _("验收申请")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="acceptance_number")]

    def __str__(self) -> str:
        return gettext("%(project)s 第%(n)d次验收申请") % {"project": self.project.name, "n": self.number}

    @property
    def is_pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING

    @property
    def passed(self) -> bool:
        return self.outcome == self.Outcome.PASSED

    @property
    def items(self) -> list[str]:
        return [line.strip() for line in self.rectification_items.splitlines() if line.strip()]


def _may(model: str, name: str):
    return fsm_permission(f"delivery.{model}", name)


class AcceptanceExtension(models.Model):
    """延期验收申请 (R-ACC-3, 川办法 第三十一条): the reason and the new date; NDRC agrees or not."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已同意")
        DECLINED = "declined", _("不同意")

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="acceptance_extensions",
        verbose_name=_("项目"),
    )
    reason = models.TextField(_("延期理由"))
    previous_due = models.DateField(_("原应申请验收日期"), null=True, blank=True)
    requested_due = models.DateField(_("申请延期至"))
    status = FSMField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING, protected=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("延期验收申请")
        verbose_name_plural = _("延期验收申请")
        ordering = ["project", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(status="pending"), name="extension_one_pending"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(project)s 延期验收申请") % {"project": self.project.name}

    # -- lifecycle (rows in delivery/acceptance.py): NDRC agrees (the deadline moves) or does not

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.APPROVED,
        permission=_may("AcceptanceExtension", "approve"),
    )
    def approve(self, *, by, note: str = "") -> None:
        self._decided(by, note)

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.DECLINED,
        permission=_may("AcceptanceExtension", "decline"),
    )
    def decline(self, *, by, note: str = "") -> None:
        self._decided(by, note)

    def _decided(self, by, note: str) -> None:
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note


class SelfEvaluation(models.Model):
    """自评价 (R-EVA-1, 川办法 第四十六条): filed 12 to 24 months after the project entered operation."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="self_evaluation", verbose_name=_("项目")
    )
    operation_started_on = models.DateField(_("投入运行日期"))
    due_date = models.DateField(_("应完成自评价日期"))
    goals_achieved = models.TextField(_("绩效目标实现情况"))
    resource_use = models.TextField(_("资源利用和信息资源共享情况"))
    security = models.TextField(_("安全风险情况"))
    problems = models.TextField(_("存在问题和改进措施"), blank=True)
    report = models.ForeignKey(
        AcceptanceMaterial,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("自评价报告"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    filed_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("自评价")
        verbose_name_plural = _("自评价")

    def __str__(self) -> str:
        return gettext("%(project)s 自评价") % {"project": self.project.name}

    @property
    def is_late(self) -> bool:
        return self.filed_at.date() > self.due_date


class PostEvaluation(models.Model):
    """后评价 (R-EVA-2, 川办法 第四十六条): ordered by NDRC or Finance, done by experts or a third party;
    its result is on the unit's record as a basis for next year's funding."""

    class Method(models.TextChoices):
        EXPERTS = "experts", _("组织专家")
        THIRD_PARTY = "third_party", _("委托第三方机构")

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("优")
        GOOD = "good", _("良")
        FAIR = "fair", _("中")
        POOR = "poor", _("差")

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="post_evaluation", verbose_name=_("项目")
    )
    ordering_agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织机关")
    )
    method = models.CharField(_("评价方式"), max_length=16, choices=Method.choices)
    evaluator = models.CharField(_("评价专家或第三方机构"), max_length=255)
    scope = models.TextField(_("评价内容"), blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织人")
    )
    ordered_at = models.DateTimeField(_("组织时间"))
    rating = models.CharField(_("评价等级"), max_length=12, choices=Rating.choices, blank=True)
    conclusion = models.TextField(_("评价结论"), blank=True)
    funding_advice = models.TextField(_("对下一年度经费安排的建议"), blank=True)
    report = models.ForeignKey(
        AcceptanceMaterial,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("后评价报告"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后评价")
        verbose_name_plural = _("后评价")

    def __str__(self) -> str:
        return gettext("%(project)s 后评价") % {"project": self.project.name}

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None


class SecurityFinding(models.Model):
    """A recorded security non-compliance (川办法 第五十一条): 不符合密码应用和网络安全要求 or 重大安全隐患.

    Recorded by NDRC or 省委网信办; while open, the unit may not start new systems (R-APP-4); cleared by
    them when rectified.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("未整改")
        CLEARED = "cleared", _("已整改销号")

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="security_findings", verbose_name=_("项目单位")
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="security_findings",
        verbose_name=_("涉及项目"),
    )
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("认定机关")
    )
    finding = models.TextField(_("问题"))
    status = FSMField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, protected=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("销号人"),
    )
    cleared_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    clear_note = models.TextField(_("整改情况"), blank=True)

    class Meta:
        verbose_name = _("安全不合规记录")
        verbose_name_plural = _("安全不合规记录")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"], name="security_finding_unit_idx")]

    def __str__(self) -> str:
        return gettext("%(unit)s 安全不合规记录") % {"unit": self.unit.display_name}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    # -- lifecycle (row in delivery/blocking.py): NDRC or 网信办 clears it once rectified

    @transition(
        field=status, source=Status.OPEN, target=Status.CLEARED, permission=_may("SecurityFinding", "clear")
    )
    def clear(self, *, by, note: str) -> None:
        self.cleared_by = by
        self.cleared_at = timezone.now()
        self.clear_note = note


class Reminder(models.Model):
    """One reminder sent (item 8): unique per (object, kind, period), so the daily run never sends it twice.

    ``period`` says which occurrence it is — the report year, the due date — so that a moved deadline or
    next year's report is a new reminder, while the same one is never repeated.
    """

    key = models.CharField(_("提醒标识"), max_length=200, unique=True)
    kind = models.CharField(_("提醒类型"), max_length=48)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", verbose_name=_("对象类型")
    )
    target_id = models.CharField(_("对象编号"), max_length=64)
    period = models.CharField(_("期次"), max_length=32)
    due_date = models.DateField(_("期限"), null=True, blank=True)
    subject = models.CharField(_("标题"), max_length=255)
    recipients = models.JSONField(_("收件人"), default=list)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "kind", "period"], name="reminder_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return self.subject
