"""Filing, construction start, procurement facts, changes and supervision (R-BLD-1 … R-BLD-3, R-PRC-1/2).

Each fact is a row of its own, never more fields on ``Project`` (ARCHITECTURE.md): the project carries only
its state and ``acceptance_due``. The rows with a lifecycle of their own (a change application, a
rectification order, a termination request) move through ``govinfo.workflow`` rows registered by
``delivery.changes`` and ``delivery.supervision``; their transitions are declared here.

Amounts are stored in yuan (Decimal) and shown in 万元, as on the project.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from govinfo.counters import YearCounter
from govinfo.documents.models import IssuedDocument
from govinfo.workflow import fsm_permission
from projects.models import YUAN_HELP, Project

__all__ = [
    "ChangeReason",
    "ChangeRequest",
    "Construction",
    "Filing",
    "FilingCounter",
    "Procurement",
    "SupervisionBasis",
    "Rectification",
    "Suspension",
    "TerminationRequest",
]


def _amount(label, **kwargs):
    return models.DecimalField(label, max_digits=16, decimal_places=2, help_text=YUAN_HELP, **kwargs)


def _person(label, **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=label, **kwargs
    )


# -- 备案 and 开工 (R-BLD-1) ------------------------------------------------------------------------


class FilingCounter(YearCounter):
    """The last 备案号 sequence number of a year; locked while a number is issued (no gap, no repeat)."""

    class Meta:
        verbose_name = _("备案号计数器")
        verbose_name_plural = _("备案号计数器")

    @classmethod
    def issue(cls, year: int) -> str:
        return f"川政信备-{year}-{cls.next_number(year):04d}"


class Filing(models.Model):
    """省大数据中心 registers an approved project in the system list (备案登记, 川办法 第五条、第九条).

    What the construction is measured against is fixed here: the approved total investment and the
    approved construction period (建设期限) of the 批复.
    """

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="filing", verbose_name=_("项目")
    )
    number = models.CharField(_("备案号"), max_length=32, unique=True)
    system_name = models.CharField(_("纳入系统目录的信息系统名称"), max_length=200)
    approved_total = _amount(_("批复总投资"))
    construction_months = models.PositiveSmallIntegerField(
        _("批复建设期限（月）"), help_text=_("按批复文件确定的建设期限，以月计")
    )
    approval_document = models.ForeignKey(
        IssuedDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批复文件"),
    )
    note = models.TextField(_("备案说明"), blank=True)
    filed_by = _person(_("备案人"))
    filed_at = models.DateTimeField(_("备案时间"), default=timezone.now)

    class Meta:
        verbose_name = _("备案登记")
        verbose_name_plural = _("备案登记")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.system_name}"


class Construction(models.Model):
    """The start of construction (R-BLD-1, 川办法 第二十六条): the responsible person is the unit's head,
    the 监理 unit is named, the start date fixes the acceptance deadline (R-APP-4)."""

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="construction", verbose_name=_("项目")
    )
    responsible_person = models.CharField(
        _("项目责任人"), max_length=64, help_text=_("项目单位主要负责人（川办法 第二十六条）")
    )
    supervisor_name = models.CharField(_("工程监理单位"), max_length=200)
    supervisor_contact = models.CharField(_("监理单位联系人及电话"), max_length=100, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    # The deadline as set at the start; the project's own ``acceptance_due`` is the one in force (it moves
    # with suspensions and granted extensions).
    first_acceptance_due = models.DateField(_("开工时确定的应申请验收日期"), null=True, blank=True)
    recorded_by = _person(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    started_by = _person(_("开工登记人"), null=True, blank=True)

    class Meta:
        verbose_name = _("建设登记")
        verbose_name_plural = _("建设登记")

    def __str__(self) -> str:
        return f"{self.project} · {self.responsible_person}"


class Procurement(models.Model):
    """A procurement of the project as recorded by the unit, checked against R-PRC-1 and R-PRC-2."""

    class Method(models.TextChoices):
        # 川办法 第三十九条 names these four for 政务信息系统; 第四十三条 the unit's own procurement below the limit.
        OPEN_TENDER = "open_tender", _("公开招标")
        INVITED_TENDER = "invited_tender", _("邀请招标")
        CONSULTATION = "consultation", _("竞争性磋商")
        SINGLE_SOURCE = "single_source", _("单一来源采购")
        SELF_ORGANISED = "self_organised", _("自行组织采购（集中采购目录以外且限额标准以下）")

    class Subject(models.TextChoices):
        GOODS = "goods", _("货物")
        SERVICES = "services", _("服务")

    class Evaluation(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合评分法")
        LOWEST_PRICE = "lowest_price", _("最低评标价法")
        NONE = "", _("不适用")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="procurements", verbose_name=_("项目")
    )
    name = models.CharField(_("采购项目名称"), max_length=200)
    subject = models.CharField(
        _("采购标的属性"),
        max_length=16,
        choices=Subject.choices,
        help_text=_("无法确定属于货物或者服务的，由采购人按照有利于项目实施的原则确定（川办法 第三十九条）"),
    )
    method = models.CharField(_("采购方式"), max_length=16, choices=Method.choices)
    evaluation = models.CharField(_("评标方法"), max_length=16, choices=Evaluation.choices, blank=True)
    price_weight = models.PositiveSmallIntegerField(_("价格分值占总分值比重（%）"), null=True, blank=True)
    amount = _amount(_("合同金额"))
    supplier = models.CharField(_("中标（成交）供应商"), max_length=200, blank=True)
    is_om_service = models.BooleanField(_("属于运行维护服务"), default=False)
    om_term_months = models.PositiveSmallIntegerField(_("服务履行期限（月）"), null=True, blank=True)
    om_budget_assured = models.BooleanField(_("年度预算能够保障"), default=False)
    om_contract_per_year = models.BooleanField(_("分年签订政府采购合同"), default=False)
    recorded_by = _person(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("采购情况")
        verbose_name_plural = _("采购情况")
        ordering = ["project", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_method_display()}）"


# -- 变更 (R-BLD-2) -------------------------------------------------------------------------------


class ChangeReason(models.TextChoices):
    """川办法 第二十九条 (一)–(三): the only reasons a change may be made by 报备."""

    DEPLOYMENT = "deployment", _("根据党中央、国务院和省委、省政府部署，确需改变建设内容")
    OPTIMISATION = "optimisation", _("确需对原项目技术方案进行完善优化")
    BUSINESS = "business", _("根据业务发展需要，在已批复项目建设规划的框架下调整相关建设内容及进度")
    OTHER = "other", _("其他原因")


def _may_change(name: str):
    return fsm_permission("delivery.ChangeRequest", name)


class ChangeRequest(ConcurrentTransitionMixin, models.Model):
    """A change of content and amount described by the unit and classified by the system (R-BLD-2).

    A 报备 (第二十九条) is effective when filed (``recorded``) and shown to NDRC, who marks it read; anything
    else is an application (第二十八条) that waits (``pending``) for NDRC's 调整批复 (``approved``, with its
    own numbered document) or refusal. The figures the classification used are kept on the row, so the
    record reads the same after later changes.
    """

    class Kind(models.TextChoices):
        FILING = "filing", _("报备")
        APPLICATION = "application", _("调整申请")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("已报备")
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="changes", verbose_name=_("项目")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    status = FSMField(_("状态"), max_length=12, choices=Status.choices, protected=True)
    content = models.TextField(_("调整内容"))
    reason = models.CharField(_("调整原因"), max_length=16, choices=ChangeReason.choices)
    reason_detail = models.TextField(_("调整理由"))
    goals_unchanged = models.BooleanField(_("建设目标不变"))
    carried_out = models.BooleanField(_("调整已实施"), default=False)
    approved_total = _amount(_("批复总投资"))
    total_before = _amount(_("调整前总投资"))
    new_total = _amount(_("调整后总投资"))
    adjusted_amount = _amount(_("资金调整数额"))
    adjusted_before = _amount(_("此前已报备的资金调整数额"), default=0)
    findings = models.JSONField(_("分类依据"), default=list, blank=True)
    filed_by = _person(_("报告人"))
    filed_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    acknowledged_by = _person(_("阅知人"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("阅知时间"), null=True, blank=True)
    decided_by = _person(_("审批人"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # NDRC's text of the 调整批复 before it is issued (its "有关要求"): saved, previewed as a 样稿 and
    # confirmed by version, as the 批复 is (approvals.decisions); the confirmation posts the version it showed.
    draft_note = models.TextField(_("调整批复文稿（有关要求）"), blank=True)
    draft_version = models.PositiveIntegerField(_("文稿版本"), default=0)
    drafted_by = _person(_("文稿修改人"), null=True, blank=True)
    drafted_at = models.DateTimeField(_("文稿修改时间"), null=True, blank=True)
    document = models.ForeignKey(
        IssuedDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调整批复"),
    )

    class Meta:
        verbose_name = _("项目变更")
        verbose_name_plural = _("项目变更")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="change_number_per_project"),
            # One application at a time: the next change is classified against the decided figures.
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(status="pending"), name="change_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(project)s 第%(number)d号变更（%(kind)s）") % {
            "project": self.project.name,
            "number": self.number,
            "kind": self.get_kind_display(),
        }

    @property
    def is_effective(self) -> bool:
        return self.status in (self.Status.RECORDED, self.Status.APPROVED)

    # -- lifecycle (rows in delivery/changes.py): an application is approved or refused by NDRC --------

    @transition(
        field=status, source=Status.PENDING, target=Status.APPROVED, permission=_may_change("approve")
    )
    def approve(self, *, by, note: str | None = None) -> None:
        """``note`` None: the saved draft's text is the decision's (the confirmed 调整批复)."""
        self._decide(by, self.draft_note if note is None else note)

    @transition(field=status, source=Status.PENDING, target=Status.REFUSED, permission=_may_change("refuse"))
    def refuse(self, *, by, note: str) -> None:
        self._decide(by, note)

    def _decide(self, by, note: str) -> None:
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note


# -- 监督 (R-BLD-3) -------------------------------------------------------------------------------


class SupervisionBasis(models.TextChoices):
    """What the rectification or suspension answers (川办法 第三十条、第四十七条)."""

    OVERDUE = "overdue", _("工程严重逾期")
    LOSS = "loss", _("投资重大损失")
    PROCUREMENT = "procurement", _("招标采购")
    QUALITY = "quality", _("建设质量")
    PROGRESS = "progress", _("实施进度")
    FUNDS = "funds", _("资金使用")
    BUDGET = "budget", _("概算控制")
    SHARING = "sharing", _("信息共享")
    CRYPTO = "crypto", _("密码应用")
    SECURITY = "security", _("网络安全")
    NOT_RECTIFIED = "not_rectified", _("逾期不整改或整改后仍不符合要求")
    OTHER = "other", _("其他违反规定或批复要求的情形")


def _may_rectify(name: str):
    return fsm_permission("delivery.Rectification", name)


class Rectification(ConcurrentTransitionMixin, models.Model):
    """NDRC's order to rectify by a deadline (限期整改, 川办法 第三十条、第四十七条), the unit's report and
    NDRC's check: confirmed, or sent back with a new deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        REPORTED = "reported", _("已报告整改情况")
        CLOSED = "closed", _("整改完成")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("项目")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    basis = models.CharField(_("问题类别"), max_length=16, choices=SupervisionBasis.choices)
    issues = models.TextField(_("存在问题和整改要求"))
    due_date = models.DateField(_("整改期限"))
    due_working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"), null=True, blank=True)
    status = FSMField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, protected=True)
    ordered_by = _person(_("下达人"))
    ordered_at = models.DateTimeField(_("下达时间"), default=timezone.now)
    report = models.TextField(_("整改情况报告"), blank=True)
    reported_by = _person(_("报告人"), null=True, blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    closed_by = _person(_("确认人"), null=True, blank=True)
    closed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    check_note = models.TextField(_("核查意见"), blank=True)

    class Meta:
        verbose_name = _("限期整改")
        verbose_name_plural = _("限期整改")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="rectification_number_per_project")
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="rectification_due_idx")]

    def __str__(self) -> str:
        return gettext("%(project)s 第%(number)d号整改") % {
            "project": self.project.name,
            "number": self.number,
        }

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()

    @property
    def counted_in_working_days(self) -> bool:
        """The deadline was counted on the working-day calendar (not a date NDRC chose): while the order is
        open it is provisional when the count ran through a year whose 调休 is not entered (R-CAT-3's mark)."""
        return self.due_working_days is not None and self.status != self.Status.CLOSED

    # -- lifecycle (rows in delivery/supervision.py) ------------------------------------------------

    @transition(
        field=status, source=Status.OPEN, target=Status.REPORTED, permission=_may_rectify("report_done")
    )
    def report_done(self, *, by, report: str) -> None:
        self.report = report
        self.reported_by = by
        self.reported_at = timezone.now()

    @transition(
        field=status, source=Status.REPORTED, target=Status.CLOSED, permission=_may_rectify("confirm")
    )
    def confirm(self, *, by, note: str) -> None:
        self.closed_by = by
        self.closed_at = timezone.now()
        self.check_note = note

    @transition(field=status, source=Status.REPORTED, target=Status.OPEN, permission=_may_rectify("reopen"))
    def reopen(self, *, note: str, due_date, due_working_days) -> None:
        self.check_note = note
        self.due_date = due_date
        self.due_working_days = due_working_days


class Suspension(models.Model):
    """A suspension of construction by NDRC and, once lifted, its resumption (R-BLD-3).

    The acceptance deadline moves by the days the project stood still: the unit cannot build while
    NDRC holds it, so the wait is not the unit's delay (R-APP-4).
    """

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("项目")
    )
    basis = models.CharField(_("暂停原因类别"), max_length=16, choices=SupervisionBasis.choices)
    reason = models.TextField(_("暂停理由"))
    suspended_by = _person(_("决定人"))
    suspended_at = models.DateTimeField(_("暂停时间"), default=timezone.now)
    resumed_by = _person(_("恢复决定人"), null=True, blank=True)
    resumed_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    resume_note = models.TextField(_("恢复建设说明"), blank=True)
    days_added = models.PositiveIntegerField(_("顺延验收期限（天）"), default=0)

    class Meta:
        verbose_name = _("暂停建设")
        verbose_name_plural = _("暂停建设")
        ordering = ["project", "suspended_at", "id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_basis_display()}"


def _may_terminate(name: str):
    return fsm_permission("delivery.TerminationRequest", name)


class TerminationRequest(ConcurrentTransitionMixin, models.Model):
    """The unit's application to terminate (川办法 第三十条): NDRC submits it to the 领导小组 (核报), and
    termination takes effect when the 领导小组's consent is recorded with its document no. and date."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("已申请")
        SUBMITTED = "submitted", _("已报领导小组")
        CONSENTED = "consented", _("领导小组已同意")
        DECLINED = "declined", _("未同意终止")
        WITHDRAWN = "withdrawn", _("已撤回")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="termination_requests", verbose_name=_("项目")
    )
    status = FSMField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.APPLIED, protected=True
    )
    reason = models.TextField(_("难以继续实施的原因"))
    progress = models.TextField(_("已实施内容和实质性进展"))
    applied_by = _person(_("申请人"))
    applied_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    submitted_by = _person(_("核报人"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("核报时间"), null=True, blank=True)
    submission_note = models.TextField(_("核报意见"), blank=True)
    group_doc_number = models.CharField(_("领导小组意见文号"), max_length=64, blank=True)
    group_date = models.DateField(_("领导小组意见日期"), null=True, blank=True)
    decided_by = _person(_("登记人"), null=True, blank=True)
    decided_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    decision_note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("终止申请")
        verbose_name_plural = _("终止申请")
        ordering = ["project", "applied_at", "id"]
        constraints = [
            # One open request at a time.
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(status__in=["applied", "submitted"]),
                name="termination_one_open",
            )
        ]

    def __str__(self) -> str:
        return gettext("%(project)s 终止申请") % {"project": self.project.name}

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.APPLIED, self.Status.SUBMITTED)

    # -- lifecycle (rows in delivery/supervision.py) ------------------------------------------------

    @transition(
        field=status,
        source=Status.APPLIED,
        target=Status.SUBMITTED,
        permission=_may_terminate("submit_to_group"),
    )
    def submit_to_group(self, *, by, note: str) -> None:
        self.submitted_by = by
        self.submitted_at = timezone.now()
        self.submission_note = note

    @transition(field=status, source=Status.SUBMITTED, target=Status.CONSENTED)
    def consent(self, *, by, doc_number: str, date) -> None:
        self._decide(by, doc_number, date, "")

    @transition(
        field=status, source=Status.SUBMITTED, target=Status.DECLINED, permission=_may_terminate("decline")
    )
    def decline(self, *, by, doc_number: str, date, note: str) -> None:
        self._decide(by, doc_number, date, note)

    @transition(
        field=status, source=Status.APPLIED, target=Status.WITHDRAWN, permission=_may_terminate("withdraw")
    )
    def withdraw(self, *, by) -> None:
        self.decided_by = by
        self.decided_at = timezone.now()

    def _decide(self, by, doc_number: str, date, note: str) -> None:
        self.group_doc_number = doc_number
        self.group_date = date
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note
