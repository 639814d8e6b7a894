"""The project (政务信息化项目), its lifecycle, participating units, materials and permission rows.

项目代码 (the project's lifetime id, DOMAIN §5a) is issued on first submission, never before and never
again: ``川政信-<year>-<NNNN>``, e.g. ``川政信-2026-0001`` — 川 (Sichuan) · 政信 (政务信息化) · the year of
first submission · a four-digit sequence per year (five digits once a year passes 9999), issued
without gaps by ``ProjectCodeCounter`` under a row lock. The national investment-project code
(GB/T 40058-2021, 24 characters) is kept separately in ``national_code`` when the unit has one.

Amounts are stored in yuan (Decimal) and shown in 万元.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from govinfo.counters import YearCounter
from govinfo.orgs.models import Unit
from govinfo.workflow import fsm_permission

CODE_PREFIX = "川政信"
# 川办法 第十八条(三): up to 2000万元 a project may merge 可研 and 初步设计 into one 实施方案.
ONE_STEP_LIMIT_YUAN = Decimal("20000000")
NATIONAL_CODE_LENGTH = 24
NATIONAL_CODE_CHARSET = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-")


def validate_national_code(value: str) -> None:
    """全国投资项目在线审批监管平台 code (GB/T 40058-2021): 24 characters, digits, capitals and hyphens."""
    code = (value or "").strip().upper()
    if len(code) != NATIONAL_CODE_LENGTH:
        raise ValidationError(
            _("投资项目统一代码应为24位（GB/T 40058-2021），当前为%(n)d位。"),
            code="length",
            params={"n": len(code)},
        )
    bad = sorted({char for char in code if char not in NATIONAL_CODE_CHARSET})
    if bad:
        raise ValidationError(
            _("投资项目统一代码只能包含数字、大写字母和连字符，不能包含：%(chars)s"),
            code="charset",
            params={"chars": " ".join(bad)},
        )


YUAN_HELP = _("以元为单位存储，页面按万元填写和显示。")


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已申报")
    RETURNED = "returned", _("退回修改")
    IN_REVIEW = "in_review", _("审查中")
    EVALUATION = "evaluation", _("评估论证")
    APPROVED = "approved", _("已批复")
    REJECTED = "rejected", _("不予批复")
    FILED = "filed", _("已备案")
    IN_CONSTRUCTION = "in_construction", _("建设中")
    SUSPENDED = "suspended", _("暂停")
    TERMINATED = "terminated", _("已终止")
    TRIAL_OPERATION = "trial_operation", _("试运行")
    ACCEPTANCE_REVIEW = "acceptance_review", _("验收中")
    ACCEPTANCE_FAILED = "acceptance_failed", _("验收不合格")
    IN_OPERATION = "in_operation", _("运行中")
    SELF_EVALUATED = "self_evaluated", _("已自评价")
    EVALUATED = "evaluated", _("已后评价")


# The unit may change the application only while it holds it.
EDITABLE_STATES = (State.DRAFT, State.RETURNED)
# A project counts as accepted (验收合格) from in_operation on (R-APP-3).
ACCEPTED_STATES = (State.IN_OPERATION, State.SELF_EVALUATED, State.EVALUATED)
# Where an acceptance deadline can run out (R-APP-4).
AWAITING_ACCEPTANCE_STATES = (State.IN_CONSTRUCTION, State.TRIAL_OPERATION)


class Category(models.TextChoices):
    """Project types of 川办法 第二条."""

    INFRASTRUCTURE = "infrastructure", _("政务信息化基础设施")
    RESOURCE_BASE = "resource_base", _("信息资源库")
    SUPPORT_PLATFORM = "support_platform", _("共性支撑平台")
    BUSINESS_SYSTEM = "business_system", _("重点业务信息系统")
    STANDARDS = "standards", _("电子政务标准化体系")
    SUPPORTING = "supporting", _("相关支撑体系")


class Mode(models.TextChoices):
    """川办法 第三条."""

    SELF_BUILD = "self_build", _("自行建设")
    PURCHASE = "purchase", _("购买服务")


class ApprovalPath(models.TextChoices):
    ONE_STEP = "one_step", _("合并（编报实施方案）")
    TWO_STEP = "two_step", _("两步（可行性研究报告、初步设计方案）")


class PathOverride(models.TextChoices):
    """川办法 第十八条(一)(二): reasons a project above 2000万元 may still take the one-step path."""

    NONE = "", _("无")
    CENTRAL_REQUIREMENT = "central_requirement", _("党中央、国务院和省委、省政府有明确要求")
    URGENT_SECURITY = "urgent_security", _("涉及国家安全等特殊原因，情况紧急")


class TwoStepStage(models.TextChoices):
    FEASIBILITY = "feasibility", _("可行性研究报告")
    PRELIMINARY_DESIGN = "preliminary_design", _("初步设计方案")


class ApplicationStage(models.TextChoices):
    """What a submission asks NDRC to approve (川办法 第十八、十九条); approvals' review stages use the
    same values."""

    IMPLEMENTATION = "implementation", _("实施方案")
    FEASIBILITY = "feasibility", _("可行性研究报告")
    PRELIMINARY_DESIGN = "preliminary_design", _("初步设计方案")
    SERVICE_PLAN = "service_plan", _("服务需求方案")


def stage_of(project) -> str:
    """The application's stage from its own fields: 购买服务 → 服务需求方案; a two-step project → 可研 or
    初步设计 per ``two_step_stage``; otherwise 实施方案. Reads plain field values only, so a migration's
    historical model works too."""
    if project.implementation_mode == Mode.PURCHASE:
        return ApplicationStage.SERVICE_PLAN
    if project.approval_path == ApprovalPath.TWO_STEP:
        if project.two_step_stage == TwoStepStage.PRELIMINARY_DESIGN:
            return ApplicationStage.PRELIMINARY_DESIGN
        return ApplicationStage.FEASIBILITY
    return ApplicationStage.IMPLEMENTATION


class FundChannel(models.TextChoices):
    """经费渠道 (川办法 第十六条(三))."""

    CAPITAL_BUDGET = "capital_budget", _("预算内基本建设资金")
    CENTRAL_SPECIAL = "central_special", _("中央专项资金")
    PROVINCIAL_FISCAL = "provincial_fiscal", _("省级财政资金")
    SELF_RAISED = "self_raised", _("单位自有资金")
    OTHER = "other", _("其他")


class SecurityLevel(models.TextChoices):
    """等级保护 (非涉密) or 分级保护 (涉密) level the system is designed to."""

    MLPS_2 = "mlps_2", _("网络安全等级保护第二级")
    MLPS_3 = "mlps_3", _("网络安全等级保护第三级")
    MLPS_4 = "mlps_4", _("网络安全等级保护第四级")
    CLASSIFIED_SECRET = "classified_secret", _("涉密信息系统分级保护（秘密级）")
    CLASSIFIED_CONFIDENTIAL = "classified_confidential", _("涉密信息系统分级保护（机密级）")


class SecureReliableStatus(models.TextChoices):
    """第五十条: at 报批 the application states how far its software and hardware products are 安全可靠."""

    ALL = "all", _("软硬件产品均采用安全可靠产品")
    PARTLY = "partly", _("部分产品尚未采用安全可靠产品（须说明原因和替代计划）")
    NONE = "none", _("不涉及软硬件产品采购（须说明）")


def r_app_8_feasibility_stage(project: Project) -> bool:
    """R-APP-8: only a two-step project still at its 可研 stage gets a 可研 批复 before the 初步设计."""
    return (
        project.approval_path == ApprovalPath.TWO_STEP and project.two_step_stage == TwoStepStage.FEASIBILITY
    )


def r_app_9_major_design_change(project: Project) -> bool:
    """R-APP-9: a 初步设计 the unit marked as a major change of its approved 可研 may go back to 可研 approval."""
    return (
        project.approval_path == ApprovalPath.TWO_STEP
        and project.two_step_stage == TwoStepStage.PRELIMINARY_DESIGN
        and bool(project.design_change_is_major)
    )


def _may(name: str):
    """The lifecycle table's ``who`` for this transition, as django-fsm's ``permission=``."""
    return fsm_permission("projects.Project", name)


class ProjectQuerySet(models.QuerySet):
    def with_list_data(self):
        return self.select_related("lead_unit")


class Project(ConcurrentTransitionMixin, models.Model):
    """A 政务信息化项目 from its first draft to archive; ``state`` follows DOMAIN §2."""

    code = models.CharField(_("项目代码"), max_length=32, unique=True, null=True, blank=True, editable=False)
    national_code = models.CharField(
        _("投资项目统一代码"),
        max_length=NATIONAL_CODE_LENGTH,
        blank=True,
        validators=[validate_national_code],
        help_text=_("四川省投资项目在线审批监管平台赋予的24位代码（GB/T 40058-2021），已取得的填写"),
    )
    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    # 基本情况 (川办法 第十六条(一))
    name = models.CharField(_("项目名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("申报年度"), db_index=True)
    category = models.CharField(_("项目类型"), max_length=32, choices=Category.choices, blank=True)
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("项目单位（牵头单位）")
    )
    lead_scope = models.TextField(
        _("牵头单位建设范围"), blank=True, help_text=_("跨部门共建项目须写明牵头单位承担的建设内容")
    )
    main_tasks = models.TextField(_("主要任务"), blank=True)
    basis_and_necessity = models.TextField(_("建设依据和必要性"), blank=True)
    performance_goals = models.TextField(_("绩效目标"), blank=True)
    implementation_mode = models.CharField(_("实施方式"), max_length=16, choices=Mode.choices, blank=True)
    mode_reason = models.TextField(_("采用该实施方式的主要原因"), blank=True)
    is_upgrade = models.BooleanField(_("属于升级改造项目"), default=False)
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="upgrades",
        verbose_name=_("原项目（本系统内）"),
    )
    predecessor_name = models.CharField(_("原项目名称（本系统外）"), max_length=200, blank=True)
    predecessor_acceptance_ref = models.CharField(
        _("原项目验收意见文号"), max_length=64, blank=True, help_text=_("原项目不在本系统内时填写")
    )

    # 技术方案 (川办法 第十六条(二)); the documents themselves are materials.
    application_summary = models.TextField(_("应用系统建设内容"), blank=True)
    cloud_requirement = models.TextField(_("政务云资源需求"), blank=True)
    security_level = models.CharField(
        _("等级保护/分级保护级别"), max_length=32, choices=SecurityLevel.choices, blank=True
    )
    crypto_summary = models.TextField(_("密码应用要点"), blank=True)
    includes_civil_works = models.BooleanField(_("含新建土建工程"), default=False)
    energy_intensive = models.BooleanField(_("属于高能耗项目"), default=False)
    # R-APP-11 (川办法 第五十条): the 安全可靠 statement at 报批.
    secure_reliable_status = models.CharField(
        _("软硬件产品安全可靠情况"), max_length=16, choices=SecureReliableStatus.choices, blank=True
    )
    secure_reliable_note = models.TextField(
        _("安全可靠情况说明"),
        blank=True,
        help_text=_("说明拟采用的服务器、操作系统、数据库、中间件、密码产品等软硬件产品的安全可靠情况"),
    )
    # R-APP-12 (川办法 第十二条): a project that by law cannot share its data needs the 领导小组's approval.
    data_sharing_exempt = models.BooleanField(_("依据有关要求不能进行信息共享"), default=False)
    sharing_exemption_basis = models.TextField(_("不能共享的依据"), blank=True)
    leading_group_approval_no = models.CharField(_("领导小组审核批准文号"), max_length=64, blank=True)
    leading_group_approval_date = models.DateField(_("领导小组审核批准日期"), null=True, blank=True)

    # 资金来源 (川办法 第十六条(三)), in yuan
    total_investment = models.DecimalField(
        _("总投资"), max_digits=16, decimal_places=2, null=True, blank=True, help_text=YUAN_HELP
    )
    om_funding = models.DecimalField(
        _("年度运行维护经费"), max_digits=16, decimal_places=2, null=True, blank=True, help_text=YUAN_HELP
    )
    fund_channels = models.JSONField(_("经费渠道"), default=list, blank=True)
    funding_note = models.TextField(_("资金来源说明"), blank=True)

    # Approval path (R-APP-8), kept current by save()
    approval_path = models.CharField(
        _("审批方式"),
        max_length=16,
        choices=ApprovalPath.choices,
        default=ApprovalPath.ONE_STEP,
        editable=False,
    )
    path_override = models.CharField(
        _("按合并方式报批的特殊情形"), max_length=32, choices=PathOverride.choices, blank=True
    )
    path_override_reason = models.TextField(_("特殊情形说明"), blank=True)
    two_step_stage = models.CharField(
        _("两步审批所处阶段"),
        max_length=24,
        choices=TwoStepStage.choices,
        default=TwoStepStage.FEASIBILITY,
        help_text=_("可研批复后由审批流程推进到初步设计阶段"),
    )
    # R-APP-9: recorded when the 可研 批复 is issued; the 初步设计 is compared with it.
    feasibility_approved_investment = models.DecimalField(
        _("可研批复总投资"), max_digits=16, decimal_places=2, null=True, blank=True, help_text=YUAN_HELP
    )
    # Asked on the 初步设计 form (None: not answered yet): content, scale, technical plan or investment.
    design_exceeds_feasibility = models.BooleanField(
        _("初步设计方案内容或投资调整超出可研批复"), null=True, blank=True
    )
    design_change_is_major = models.BooleanField(_("属于重大变更"), default=False)
    # R-APP-9: when a major change sent the project back to 可研 approval (the 可研 is then submitted anew).
    returned_to_feasibility_at = models.DateTimeField(_("重新报批可研时间"), null=True, blank=True)

    # 不予立项 checklist (R-APP-5): {item code: {"answer": "yes"|"no", "basis": "..."}}
    exclusion_answers = models.JSONField(_("不予立项情形自查"), default=dict, blank=True)

    # 购买服务 conditions (R-APP-7, 川办法 第十九条)
    purchase_not_goods_or_works = models.BooleanField(
        _("不属于货物和工程，也未将工程和服务打包"), null=True, blank=True
    )
    purchase_cheaper_than_self_build = models.BooleanField(
        _("使用期限内服务费总额明显小于自行建设和运维经费总额"), null=True, blank=True
    )
    purchase_multiple_suppliers = models.BooleanField(_("存在多家潜在服务提供商"), null=True, blank=True)
    purchase_no_secrecy_conflict = models.BooleanField(
        _("不违反政务信息系统与信息资源安全保密要求"), null=True, blank=True
    )
    purchase_comparison = models.TextField(_("自建与购买服务经济性比较"), blank=True)

    # R-APP-4: the deadline to apply for acceptance, set when construction starts (later issues)
    acceptance_due = models.DateField(_("应申请验收日期"), null=True, blank=True)

    last_return_reason = models.TextField(_("最近一次退回理由"), blank=True)
    first_submitted_at = models.DateTimeField(_("首次申报时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近申报时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-updated_at", "-id"]
        permissions = [("submit_project", _("提交申报"))]
        indexes = [
            models.Index(fields=["lead_unit", "state"], name="project_unit_state_idx"),
            # Every list of cases is newest first: the page is the first rows of this index.
            models.Index(fields=["-updated_at", "-id"], name="project_updated_idx"),
            # To-do lists: the cases in one state, longest waiting first.
            models.Index(fields=["state", "updated_at"], name="project_state_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    # -- derived values ------------------------------------------------------------------------

    def computed_approval_path(self) -> str:
        """R-APP-8 (川办法 第十八条): 合并 up to 2000万元 or with a recorded special case; else 两步.

        Once a 可研 has been approved the path is fixed at 两步: the second stage stays a 初步设计 whatever its
        概算 (and a project sent back to 可研 approval by a major change, R-APP-9, has its 可研 approved anew).
        """
        if self.path_is_fixed:
            return ApprovalPath.TWO_STEP
        if self.path_override and self.path_override_reason.strip():
            return ApprovalPath.ONE_STEP
        if self.total_investment is not None and self.total_investment > ONE_STEP_LIMIT_YUAN:
            return ApprovalPath.TWO_STEP
        return ApprovalPath.ONE_STEP

    @property
    def path_is_fixed(self) -> bool:
        """R-APP-8: a 可研 批复 has been issued (``approve_feasibility`` records its total investment)."""
        return self.feasibility_approved_investment is not None

    @property
    def names_predecessor(self) -> bool:
        """R-APP-3: an earlier project is named (in this system, or outside it by name)."""
        return self.predecessor_id is not None or bool((self.predecessor_name or "").strip())

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_purchase(self) -> bool:
        return self.implementation_mode == Mode.PURCHASE

    @property
    def needs_prior_approvals(self) -> bool:
        """R-APP-10 (川办法 第二十三条)."""
        return self.includes_civil_works or self.energy_intensive

    def save(self, *args, **kwargs):
        self.approval_path = self.computed_approval_path()
        # R-APP-3: naming an earlier project makes the application an upgrade, whatever the tick says.
        if self.names_predecessor:
            self.is_upgrade = True
        if self.national_code:
            self.national_code = self.national_code.strip().upper()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "approval_path", "is_upgrade", "updated_at"}
        super().save(*args, **kwargs)

    # -- lifecycle: sources and targets here; who, rules, audit and effects in the lifecycle table ---
    # (``govinfo.workflow``; the rows are in projects/lifecycle.py and approvals/lifecycle.py). Take a
    # step through ``workflow.perform``, never by calling these methods.

    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED, permission=_may("submit"))
    def submit(self) -> None:
        now = timezone.now()
        self.first_submitted_at = self.first_submitted_at or now
        self.submitted_at = now
        if not self.code:
            self.code = ProjectCodeCounter.issue(timezone.localtime(self.first_submitted_at).year)

    @transition(field=state, source=State.RETURNED, target=State.SUBMITTED, permission=_may("resubmit"))
    def resubmit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=[State.SUBMITTED, State.IN_REVIEW, State.EVALUATION],
        target=State.RETURNED,
        permission=_may("return_for_revision"),
    )
    def return_for_revision(self, reason: str) -> None:
        self.last_return_reason = reason

    @transition(
        field=state, source=State.SUBMITTED, target=State.IN_REVIEW, permission=_may("accept_for_review")
    )
    def accept_for_review(self) -> None:
        """NDRC accepts the application into review (R-REV-1 opens the agency tasks in approvals)."""

    @transition(field=state, source=State.IN_REVIEW, target=State.EVALUATION)
    def to_evaluation(self) -> None:
        """Every required opinion of the round is signed: NDRC's evaluation and decision (R-REV-4)."""

    @transition(field=state, source=State.EVALUATION, target=State.APPROVED, permission=_may("approve"))
    def approve(self) -> None:
        """The final 批复 is issued (one step; or the 初步设计 of a two-step project)."""

    @transition(
        field=state,
        source=State.EVALUATION,
        target=State.DRAFT,
        conditions=[r_app_8_feasibility_stage],
        permission=_may("approve_feasibility"),
    )
    def approve_feasibility(self) -> None:
        """R-APP-8: the 可研 批复 is issued; the unit now prepares and submits the 初步设计 (R-APP-9), whose
        comparison with this 批复 it answers afresh."""
        self.two_step_stage = TwoStepStage.PRELIMINARY_DESIGN
        self.feasibility_approved_investment = self.total_investment
        self.design_exceeds_feasibility = None
        self.design_change_is_major = False

    @transition(
        field=state,
        source=[State.DRAFT, State.RETURNED],
        target=State.DRAFT,
        conditions=[r_app_9_major_design_change],
        permission=_may("return_to_feasibility"),
    )
    def return_to_feasibility(self) -> None:
        """R-APP-9 (第二十五条 "存在重大变更的，原则上应重新审批项目可行性研究报告"): the 初步设计 changes the
        approved 可研 so much that the 可研 is submitted and approved again; the path stays 两步 (R-APP-8)."""
        self.two_step_stage = TwoStepStage.FEASIBILITY
        self.returned_to_feasibility_at = timezone.now()
        self.design_exceeds_feasibility = None
        self.design_change_is_major = False

    @transition(field=state, source=State.EVALUATION, target=State.REJECTED, permission=_may("reject"))
    def reject(self) -> None:
        """不予批复 (final)."""

    # -- filing, construction, changes and supervision (rows in delivery/; R-BLD-1 … R-BLD-3) ---------

    # (construction transitions go here)

    @transition(field=state, source=State.APPROVED, target=State.FILED, permission=_may("file"))
    def file(self) -> None:
        """省大数据中心 registers the approved project in the system list (备案, 川办法 第五条、第九条)."""

    @transition(field=state, source=State.FILED, target=State.IN_CONSTRUCTION, permission=_may("start_build"))
    def start_build(self, acceptance_due) -> None:
        """Construction starts (R-BLD-1); the acceptance deadline runs from here (R-APP-4)."""
        self.acceptance_due = acceptance_due

    @transition(field=state, source=State.IN_CONSTRUCTION, target=State.SUSPENDED, permission=_may("suspend"))
    def suspend(self) -> None:
        """NDRC suspends construction (R-BLD-3, 川办法 第三十条、第四十七条)."""

    @transition(field=state, source=State.SUSPENDED, target=State.IN_CONSTRUCTION, permission=_may("resume"))
    def resume(self) -> None:
        """NDRC lets construction go on (its row's effect adds the time suspended to the acceptance date)."""

    @transition(
        field=state,
        source=[State.IN_CONSTRUCTION, State.SUSPENDED],
        target=State.TERMINATED,
        permission=_may("terminate"),
    )
    def terminate(self) -> None:
        """The 领导小组 consented to the unit's termination request (R-BLD-3, 川办法 第三十条). Final."""

    # -- trial operation, acceptance and evaluation (rows in delivery/; R-ACC-*, R-EVA-*) -------------

    # (acceptance and evaluation transitions go here)

    @transition(
        field=state,
        source=State.IN_CONSTRUCTION,
        target=State.TRIAL_OPERATION,
        permission=_may("start_trial"),
    )
    def start_trial(self) -> None:
        """All construction is complete; trial operation runs from a recorded date (R-ACC-1)."""

    @transition(
        field=state,
        source=State.TRIAL_OPERATION,
        target=State.ACCEPTANCE_REVIEW,
        permission=_may("apply_acceptance"),
    )
    def apply_acceptance(self) -> None:
        """The unit applies for acceptance after at least 3 months of trial (R-ACC-1, R-ACC-2)."""

    @transition(
        field=state,
        source=State.ACCEPTANCE_REVIEW,
        target=State.IN_OPERATION,
        permission=_may("pass_acceptance"),
    )
    def pass_acceptance(self) -> None:
        """NDRC's 验收意见: accepted; the project enters operation (R-ACC-4)."""

    @transition(
        field=state,
        source=State.ACCEPTANCE_REVIEW,
        target=State.ACCEPTANCE_FAILED,
        permission=_may("fail_acceptance"),
    )
    def fail_acceptance(self) -> None:
        """NDRC's 验收意见: not accepted, with rectification items (R-ACC-4)."""

    @transition(
        field=state,
        source=State.ACCEPTANCE_FAILED,
        target=State.ACCEPTANCE_REVIEW,
        permission=_may("reapply"),
    )
    def reapply(self) -> None:
        """The unit has rectified and applies again (R-ACC-4)."""

    @transition(
        field=state, source=State.IN_OPERATION, target=State.SELF_EVALUATED, permission=_may("self_evaluate")
    )
    def self_evaluate(self) -> None:
        """The unit files its self-evaluation 12 to 24 months into operation (R-EVA-1)."""

    @transition(
        field=state, source=State.SELF_EVALUATED, target=State.EVALUATED, permission=_may("post_evaluate")
    )
    def post_evaluate(self) -> None:
        """The post-evaluation NDRC or Finance ordered is recorded; the case is archived (R-EVA-2)."""


class ProjectParticipant(models.Model):
    """A participating unit (参建单位) of a cross-department project with its own scope (R-APP-6)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="participations", verbose_name=_("参建单位")
    )
    scope = models.TextField(_("建设范围和责任"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("参建单位")
        verbose_name_plural = _("参建单位")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], name="participant_unique_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.unit}"


class ProjectResource(models.Model):
    """A 信息资源目录 entry the project produces or uses (R-APP-2, 川办法 第二十条; DOMAIN §5 关联项目).

    The resource is PROTECTed: a catalogue entry a project points to is retired, never deleted, so the
    link (and the catalogue's 关联项目 list) survives the retirement.
    """

    class Relation(models.TextChoices):
        PRODUCED = "produced", _("产生")
        USED = "used", _("使用")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="resource_links")
    resource = models.ForeignKey(
        "catalogue.Resource",
        on_delete=models.PROTECT,
        related_name="project_links",
        verbose_name=_("信息资源"),
    )
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目关联资源")
        verbose_name_plural = _("项目关联资源")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "resource", "relation"], name="project_resource_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_relation_display()} · {self.resource}"


class MaterialKind(models.TextChoices):
    FEASIBILITY = "feasibility", _("可行性研究报告")
    PRELIMINARY_DESIGN = "preliminary_design", _("初步设计方案（含投资概算）")
    IMPLEMENTATION_PLAN = "implementation_plan", _("实施方案")
    SERVICE_PLAN = "service_plan", _("服务需求方案")
    SECURITY_PLAN = "security_plan", _("等级保护/分级保护方案")
    CRYPTO_PLAN = "crypto_plan", _("密码应用方案")
    CLOUD_PLAN = "cloud_plan", _("政务云需求方案")
    CATALOGUE_EXPORT = "catalogue_export", _("信息资源目录（导出表）")
    DESIGN_CHANGE = "design_change", _("初步设计调整内容及理由（独立章节）")
    PRIOR_APPROVALS = "prior_approvals", _("节能评估、规划选址、用地预审、环境影响评价审批文件")
    OTHER = "other", _("其他材料")


def material_upload_to(instance: Material, filename: str) -> str:
    # The stored name never comes from the user: a fresh uuid with the extension the content showed.
    return f"projects/{instance.project_id}/materials/{uuid.uuid4().hex}.{instance.file_format}"


class MaterialQuerySet(models.QuerySet):
    def current(self):
        """The latest version of each kind ("other" keeps every upload: each is a separate document)."""
        newer = Material.objects.filter(
            project=models.OuterRef("project"),
            kind=models.OuterRef("kind"),
            version__gt=models.OuterRef("version"),
        ).exclude(kind=MaterialKind.OTHER)
        return self.exclude(models.Exists(newer))


class Material(models.Model):
    """An application document. A re-upload adds a version; earlier versions stay."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        OFD = "ofd", "OFD"
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", "XLSX"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("材料类型"), max_length=32, choices=MaterialKind.choices)
    version = models.PositiveIntegerField(_("版本"), default=1)
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=255)
    file_format = models.CharField(_("格式"), max_length=8, choices=Format.choices)
    display_name = models.CharField(_("文件名"), max_length=160)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "version"], name="material_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} · {self.display_name}"


class ProjectCodeCounter(YearCounter):
    """The last 项目代码 sequence number issued per year; locked while a code is issued."""

    class Meta:
        verbose_name = _("项目代码计数器")
        verbose_name_plural = _("项目代码计数器")

    @classmethod
    def issue(cls, year: int) -> str:
        """The next 项目代码 of the year, gap-free."""
        return f"{CODE_PREFIX}-{year}-{cls.next_number(year):04d}"


class RevisionImmutableError(Exception):
    """An application revision is what reviewers signed against: it is never changed or deleted."""


class ApplicationRevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RevisionImmutableError(gettext("申报版本一经形成不能修改。"))

    def delete(self):
        raise RevisionImmutableError(gettext("申报版本不能删除。"))


class ApplicationRevision(models.Model):
    """A frozen copy of the application as submitted (all sections, current material versions, linked
    catalogue entries), one per submission, numbered 1, 2, … per project (``projects.revisions``).

    ``content`` carries the labels and display values as shown at submission, so the revision reads the
    same after the code or the choices change; ``content_sha256`` is the SHA-256 of its canonical JSON.
    Append-only in code (``save``, ``delete`` and the queryset refuse) and in the database (migration
    triggers).
    """

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("项目")
    )
    number = models.PositiveIntegerField(_("版本号"))
    stage = models.CharField(_("申报阶段"), max_length=24, choices=ApplicationStage.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申报人")
    )
    submitted_at = models.DateTimeField(_("申报时间"))
    content = models.JSONField(_("申报内容"))
    content_sha256 = models.CharField(_("内容 SHA-256"), max_length=64)
    backfilled = models.BooleanField(
        _("补录"), default=False, help_text=_("启用申报版本前已申报的项目，按补录时的申报内容形成")
    )

    objects = ApplicationRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报版本")
        verbose_name_plural = _("申报版本")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="application_revision_number")
        ]

    def __str__(self) -> str:
        return gettext("%(project)s 第%(number)d版") % {"project": self.project, "number": self.number}

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RevisionImmutableError(gettext("申报版本一经形成不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RevisionImmutableError(gettext("申报版本不能删除。"))


# Direct foreign-key permission tables (django-guardian): a project's grants are a few indexed rows.
class ProjectUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Project, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("项目用户权限")
        verbose_name_plural = _("项目用户权限")


class ProjectGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("项目组权限")
        verbose_name_plural = _("项目组权限")
