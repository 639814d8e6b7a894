"""The review workflow (issue 5): rounds, agency tasks, signed opinions, experts.

The documents a review issues (审核意见书, 批复) are the platform's ``govinfo.documents.IssuedDocument``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from govinfo.documents.models import IssuedDocument
from govinfo.orgs.models import Agency
from govinfo.workflow import fsm_permission


def _may(model: str, name: str):
    """The lifecycle table's ``who`` for a transition, as django-fsm's ``permission=``."""
    return fsm_permission(f"approvals.{model}", name)


# -- the review workflow (issue 5): rounds, agency tasks, signed opinions, experts ------------------


class ReviewStage(models.TextChoices):
    """What a round reviews (川办法 第十八、十九条): the 实施方案 once, or 可研 then 初步设计."""

    IMPLEMENTATION = "implementation", _("实施方案")
    FEASIBILITY = "feasibility", _("可行性研究报告")
    PRELIMINARY_DESIGN = "preliminary_design", _("初步设计方案")
    SERVICE_PLAN = "service_plan", _("服务需求方案")
    # 川办法 第三十一条: NDRC's acceptance review (竣工验收, or the 审核 of a 购买服务 project's own acceptance)
    # is a round too, opened by the unit's application (delivery.acceptance).
    ACCEPTANCE = "acceptance", _("验收")


class ReviewRound(models.Model):
    """One pass of the parallel agency review (会签) of one stage of a project (R-REV-1, R-REV-5).

    A round opens when NDRC accepts the application and closes when it is returned (the unit resubmits
    and the next acceptance opens round N+1) or decided. Rounds are never deleted: every round and its
    opinions stay on the project's review page.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("审查中")
        RETURNED = "returned", _("已退回")
        DECIDED = "decided", _("已决定")

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        APPROVED = "approved", _("批复")
        REJECTED = "rejected", _("不予批复")
        RETURNED = "returned", _("退回修改")
        ACCEPTED = "accepted", _("验收合格")
        NOT_ACCEPTED = "not_accepted", _("验收不合格")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("项目")
    )
    stage = models.CharField(_("审查阶段"), max_length=24, choices=ReviewStage.choices)
    number = models.PositiveSmallIntegerField(_("轮次"))
    status = FSMField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("受理人")
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理人"),
    )
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("退回或不予批复理由"), blank=True)
    decision_document = models.ForeignKey(
        IssuedDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批复文件"),
    )
    # What this round's reviewers signed against: the revision frozen at the submission it accepted.
    revision = models.ForeignKey(
        "projects.ApplicationRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_rounds",
        verbose_name=_("申报版本"),
    )

    class Meta:
        verbose_name = _("审查轮次")
        verbose_name_plural = _("审查轮次")
        ordering = ["project", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage", "number"], name="review_round_number"),
            # One open round per project at a time: a second acceptance cannot open a parallel review.
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(status="open"), name="review_round_one_open"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(stage)s第%(number)d轮") % {"stage": self.get_stage_display(), "number": self.number}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    # -- lifecycle (rows in approvals/lifecycle.py): a round ends when the project is returned or decided

    @transition(field=status, source=Status.OPEN, target=Status.RETURNED)
    def close_returned(self, *, by, reason: str) -> None:
        self._close(by, self.Outcome.RETURNED, reason)

    @transition(field=status, source=Status.OPEN, target=Status.DECIDED)
    def close_decided(self, *, by, outcome: str, reason: str = "", document=None) -> None:
        self._close(by, outcome, reason)
        self.decision_document = document

    def _close(self, by, outcome: str, reason: str) -> None:
        self.outcome = outcome
        self.reason = reason
        self.closed_at = timezone.now()
        self.closed_by = by


class ReviewTask(models.Model):
    """One agency's review of one round (R-REV-1): due in working days, optionally assigned."""

    class Status(models.TextChoices):
        OPEN = "open", _("待审核")
        SIGNED = "signed", _("已签署")
        CLOSED = "closed", _("已关闭")

    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("轮次")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="review_tasks", verbose_name=_("机构")
    )
    status = FSMField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField(_("办理期限"))
    added_by_ndrc = models.BooleanField(_("增派审核"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_tasks",
        verbose_name=_("承办人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审核任务")
        verbose_name_plural = _("审核任务")
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "agency"], name="review_task_one_per_agency")]
        indexes = [models.Index(fields=["agency", "status", "due_date"], name="review_task_agency_idx")]

    def __str__(self) -> str:
        return f"{self.round.project.name} · {self.agency.display_name}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()

    # -- lifecycle (rows in approvals/lifecycle.py): done when its opinion is signed, closed by a return

    # A correction (R-REV-2) is signed on a task that is already done: it stays done.
    @transition(field=status, source=[Status.OPEN, Status.SIGNED], target=Status.SIGNED)
    def mark_signed(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=Status.OPEN, target=Status.CLOSED)
    def close(self) -> None:
        self.closed_at = timezone.now()


class Conclusion(models.TextChoices):
    AGREE = "agree", _("同意")
    AGREE_WITH_CHANGES = "agree_with_changes", _("原则同意（附修改意见）")
    DISAGREE = "disagree", _("不同意")


class OpinionImmutableError(Exception):
    """A signed opinion cannot change (R-REV-2): a correction is a new opinion that supersedes it."""


class OpinionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(status=Opinion.Status.SIGNED).exists():
            raise OpinionImmutableError(
                gettext("已签署的审核意见不能修改（R-REV-2）；如需更正，请另行出具新意见。")
            )
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Opinion.Status.SIGNED).exists():
            raise OpinionImmutableError(gettext("已签署的审核意见不能删除（R-REV-2）。"))
        return super().delete()

    def signed(self):
        return self.filter(status=Opinion.Status.SIGNED)


class Opinion(models.Model):
    """An agency's 审核意见 on one task: drafted by a reviewer, signed by the agency's signer (R-REV-2).

    Once signed it never changes (``save`` and the queryset refuse); a correction is a new opinion on
    the same task with ``supersedes`` pointing at the signed one. Both are kept and shown; the latest
    signed opinion of a task is the agency's current opinion.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SIGNED = "signed", _("已签署")

    task = models.ForeignKey(
        ReviewTask, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("审核任务")
    )
    conclusion = models.CharField(_("审核结论"), max_length=24, choices=Conclusion.choices)
    text = models.TextField(_("审核意见"))
    conditions = models.TextField(_("修改意见或批复条件"), blank=True)
    status = FSMField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    # Each save of the draft counts up: the signer's confirmation names the version it previewed, and a
    # draft rewritten since then is not signed (Conflict) — nobody signs text they have not seen.
    version = models.PositiveIntegerField(_("草稿版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("更正的意见"),
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人")
    )
    drafted_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签署人"),
    )
    signed_at = models.DateTimeField(_("签署时间"), null=True, blank=True)
    document = models.OneToOneField(
        IssuedDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核意见书"),
    )

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["task", "drafted_at", "id"]
        constraints = [
            # One draft per task at a time; signed opinions accumulate.
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(status="draft"), name="opinion_one_draft"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(agency)s：%(conclusion)s") % {
            "agency": self.task.agency.display_name,
            "conclusion": self.get_conclusion_display(),
        }

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def tag(self) -> str:
        """CSS tag class of the conclusion (ok / warn / danger)."""
        return {Conclusion.AGREE: "ok", Conclusion.AGREE_WITH_CHANGES: "warn"}.get(self.conclusion, "danger")

    # -- lifecycle (row in approvals/lifecycle.py): the agency's signer signs; the 审核意见书 is issued

    @transition(field=status, source=Status.DRAFT, target=Status.SIGNED, permission=_may("Opinion", "sign"))
    def sign(self, *, by) -> None:
        self.signed_by = by
        self.signed_at = timezone.now()

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.SIGNED:
                raise OpinionImmutableError(
                    gettext("已签署的审核意见不能修改（R-REV-2）；如需更正，请另行出具新意见。")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_signed:
            raise OpinionImmutableError(gettext("已签署的审核意见不能删除（R-REV-2）。"))
        return super().delete(*args, **kwargs)


class ExpertInvitation(models.Model):
    """NDRC invites one expert to evaluate one project in one round (R-REV-4, 川办法 第二十四条)."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="expert_invitations", verbose_name=_("轮次")
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expert_invitations",
        verbose_name=_("专家"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请人")
    )
    invited_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    due_date = models.DateField(_("办理期限"))
    opinion = models.TextField(_("评估意见"), blank=True)
    recommendation = models.CharField(_("评估结论"), max_length=24, choices=Conclusion.choices, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评估邀请")
        verbose_name_plural = _("专家评估邀请")
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "expert"], name="expert_invited_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round.project.name} · {self.expert}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


# -- R-REV-4 (川办法 第二十四条): the 评估论证 before every 批复, and the 省政府审定 a project may need ------


def evaluation_report_upload_to(instance: Evaluation, filename: str) -> str:
    # The stored name never comes from the user (as for application materials).
    return f"approvals/{instance.round.project_id}/evaluations/{uuid.uuid4().hex}.{instance.report_format}"


class Evaluation(models.Model):
    """How NDRC had one round's application evaluated (评估论证) before deciding (R-REV-4, 第二十四条).

    The article allows three ways: 相关部门, 专家, or a qualified third-party consulting institution
    (委托具备资质的第三方咨询评估机构). Recorded by NDRC; a later record of the same round replaces it as
    the round's evaluation (``current_evaluation``) and the earlier one stays on record.
    """

    class Method(models.TextChoices):
        EXPERTS = "experts", _("组织专家评估论证")
        THIRD_PARTY = "third_party", _("委托第三方咨询评估机构")
        DEPARTMENTS = "departments", _("组织相关部门评估论证")

    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("轮次")
    )
    method = models.CharField(_("评估论证方式"), max_length=16, choices=Method.choices)
    institution = models.CharField(_("第三方咨询评估机构"), max_length=128, blank=True)
    report = models.FileField(
        _("评估报告"), upload_to=evaluation_report_upload_to, max_length=255, blank=True
    )
    report_format = models.CharField(_("报告格式"), max_length=8, blank=True)
    report_name = models.CharField(_("报告文件名"), max_length=160, blank=True)
    report_size = models.PositiveBigIntegerField(_("报告大小（字节）"), null=True, blank=True)
    report_sha256 = models.CharField(_("报告 SHA-256"), max_length=64, blank=True)
    note = models.TextField(_("评估论证情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("评估论证")
        verbose_name_plural = _("评估论证")
        ordering = ["round", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_method_display()}"


class GovernmentReview(models.Model):
    """省政府审定: NDRC marks a project that by the rules must go to the provincial government
    (第二十四条 "按规定需报省政府审定的项目，由省发展改革委核报省政府同意后按程序批复"), with the reason.

    While the flag stands, every 批复 of the project waits for the government's consent
    (``GovernmentConsent`` of the round being decided). NDRC may lift a flag set by mistake, with a reason,
    as long as no consent has been recorded under it; setting it again re-activates the same row (the
    audit trail keeps each setting and lifting).
    """

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="government_review", verbose_name=_("项目")
    )
    reason = models.TextField(_("报省政府审定的依据"))
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("标记人")
    )
    flagged_at = models.DateTimeField(_("标记时间"), default=timezone.now)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )
    cleared_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    cleared_reason = models.TextField(_("撤销理由"), blank=True)

    class Meta:
        verbose_name = _("省政府审定")
        verbose_name_plural = _("省政府审定")

    def __str__(self) -> str:
        return f"{self.project} · {self.reason[:20]}"

    @property
    def is_active(self) -> bool:
        return self.cleared_at is None


class GovernmentConsent(models.Model):
    """The provincial government's consent to one decision (the round's 批复), as NDRC records it."""

    round = models.OneToOneField(
        ReviewRound, on_delete=models.PROTECT, related_name="government_consent", verbose_name=_("轮次")
    )
    doc_number = models.CharField(_("省政府同意文号"), max_length=64)
    date = models.DateField(_("省政府同意日期"))
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("省政府同意")
        verbose_name_plural = _("省政府同意")

    def __str__(self) -> str:
        return f"{self.round} · {self.doc_number}"


class DecisionDraft(models.Model):
    """NDRC's text of a decision on one round, before it is issued (R-REV-6): the 批复 or the 不予批复函.

    Pre-filled from the application and the signed opinions — summarised, never a long unit text
    verbatim (``approvals.letters``) — and edited by NDRC. Previews render it marked 样稿, with no number;
    the confirmation posts the ``version`` it showed, so a draft changed since is not issued. One draft per
    round and outcome: NDRC may draft both a 批复 and a 不予批复 before deciding. After the decision the
    draft stays as it was issued (the document's canonical content is the record).
    """

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("批复")
        REJECTED = "rejected", _("不予批复")

    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="decision_drafts", verbose_name=_("轮次")
    )
    outcome = models.CharField(_("决定"), max_length=12, choices=Outcome.choices)
    construction = models.TextField(_("建设内容与规模"), blank=True)
    investment = models.TextField(_("总投资及资金来源"), blank=True)
    schedule = models.TextField(_("建设期限"), blank=True)
    requirements = models.TextField(_("有关要求"), blank=True)
    reasons = models.TextField(_("不予批复理由"), blank=True)
    cc = models.TextField(_("抄送"), blank=True, help_text=_("每行一个机关。"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("修改人")
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("决定文稿")
        verbose_name_plural = _("决定文稿")
        ordering = ["round", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["round", "outcome"], name="decision_draft_one_per_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_outcome_display()}"

    @property
    def cc_names(self) -> list[str]:
        return [line.strip() for line in self.cc.splitlines() if line.strip()]
