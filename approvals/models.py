"""Issued documents (审核意见书, 批复, 验收意见) and the counters that number them.

Two different SHA-256 values belong to every issued document, and they answer different questions:

- ``content_fingerprint`` — SHA-256 over the document's canonical content (number, kind, agency, title,
  addressee, body, project, 抄送, signer, date; see ``approvals.documents.canonical_content``). It is
  printed on the PDF itself: a PDF cannot contain the hash of its own bytes, so what it carries is the
  fingerprint of what it says. Anyone can recompute it from the record.
- ``sha256`` — SHA-256 of the exact PDF bytes stored at issue. The verification page compares an
  uploaded file against it: equal means the file is byte-for-byte the one that was issued.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.models import Agency


class DocumentCounter(models.Model):
    """The last 发文字号 number one agency used in one year (R-REV-6).

    ``approvals.numbering.next_number`` locks this row and increments it in the same transaction that
    creates the document, so a number exists exactly when its document does: no gap, no duplicate.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    year = models.PositiveSmallIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("已用最大序号"), default=0)

    class Meta:
        verbose_name = _("发文字号计数器")
        verbose_name_plural = _("发文字号计数器")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="document_counter_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.last_number}"


class DocumentImmutableError(Exception):
    """Raised when code tries to change or delete an issued document (it is append-only)."""


# Fields fixed at issue. Nothing may change them afterwards; a correction is a new document.
FROZEN_FIELDS = (
    "kind",
    "agency_id",
    "year",
    "number",
    "doc_number",
    "title",
    "target_type_id",
    "target_id",
    "project_code",
    "project_name",
    "issued_at",
    "issued_by_id",
    "pdf",
    "sha256",
    "content",
    "content_fingerprint",
    "verification_token",
)


class IssuedDocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise DocumentImmutableError("已签发的公文不能修改；如需更正，请另行签发新文件。")

    def delete(self):
        raise DocumentImmutableError("已签发的公文不能删除。")

    def for_target(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))


def _pdf_path(instance: IssuedDocument, filename: str) -> str:
    # The storage name never carries user text: year and a random name only.
    return f"documents/{instance.year}/{filename}"


class IssuedDocument(models.Model):
    """One issued 公文: numbered, rendered once to PDF, stored with its SHA-256, append-only.

    ``sha256`` is the hash of the stored PDF file (what the verification upload is compared with);
    ``content_fingerprint`` is the hash of the canonical content, the value printed on the page.
    """

    class Kind(models.TextChoices):
        OPINION = "opinion", _("审核意见书")
        APPROVAL = "approval", _("批复")
        ACCEPTANCE = "acceptance", _("验收意见")

    kind = models.CharField(_("文种"), max_length=16, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("发文机关")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    doc_number = models.CharField(_("发文字号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=255)
    # What the document decides (an opinion, a project, …), without approvals' engine importing it.
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("对象类型"),
    )
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    project_code = models.CharField(_("项目代码"), max_length=64, blank=True)
    project_name = models.CharField(_("项目名称"), max_length=255, blank=True)
    issued_at = models.DateTimeField(_("签发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("签发人")
    )
    pdf = models.FileField(_("PDF 文件"), upload_to=_pdf_path, max_length=200)
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64, unique=True)
    content = models.JSONField(_("规范化内容"), default=dict)
    content_fingerprint = models.CharField(_("内容指纹（SHA-256）"), max_length=64)
    verification_token = models.CharField(_("核验码"), max_length=64, unique=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("已签发公文")
        verbose_name_plural = _("已签发公文")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="issued_document_agency_year_number"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="issued_document_target_idx")]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}"

    @property
    def issue_date(self):
        """成文日期 as printed on the document (stored in the canonical content)."""
        from datetime import date

        return date.fromisoformat(self.content["date"]) if self.content.get("date") else None

    @property
    def issuing_agency_name(self) -> str:
        return self.content.get("agency_name") or self.agency.name

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values(*FROZEN_FIELDS).first()
            if stored is not None:
                current = {name: getattr(self, name) for name in FROZEN_FIELDS}
                current["pdf"] = self.pdf.name if self.pdf else ""
                changed = [name for name in FROZEN_FIELDS if stored[name] != current[name]]
                if changed:
                    raise DocumentImmutableError(
                        f"已签发的公文不能修改（{', '.join(changed)}）；如需更正，请另行签发新文件。"
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DocumentImmutableError("已签发的公文不能删除。")


# -- the review workflow (issue 5): rounds, agency tasks, signed opinions, experts ------------------


class ReviewStage(models.TextChoices):
    """What a round reviews (川办法 第十八、十九条): the 实施方案 once, or 可研 then 初步设计."""

    IMPLEMENTATION = "implementation", _("实施方案")
    FEASIBILITY = "feasibility", _("可行性研究报告")
    PRELIMINARY_DESIGN = "preliminary_design", _("初步设计方案")
    SERVICE_PLAN = "service_plan", _("服务需求方案")


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

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("项目")
    )
    stage = models.CharField(_("审查阶段"), max_length=24, choices=ReviewStage.choices)
    number = models.PositiveSmallIntegerField(_("轮次"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
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
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
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


class Conclusion(models.TextChoices):
    AGREE = "agree", _("同意")
    AGREE_WITH_CHANGES = "agree_with_changes", _("原则同意（附修改意见）")
    DISAGREE = "disagree", _("不同意")


class OpinionImmutableError(Exception):
    """A signed opinion cannot change (R-REV-2): a correction is a new opinion that supersedes it."""


class OpinionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(status=Opinion.Status.SIGNED).exists():
            raise OpinionImmutableError("已签署的审核意见不能修改（R-REV-2）；如需更正，请另行出具新意见。")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Opinion.Status.SIGNED).exists():
            raise OpinionImmutableError("已签署的审核意见不能删除（R-REV-2）。")
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
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
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
        return f"{self.task.agency.display_name}：{self.get_conclusion_display()}"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def tag(self) -> str:
        """CSS tag class of the conclusion (ok / warn / danger)."""
        return {Conclusion.AGREE: "ok", Conclusion.AGREE_WITH_CHANGES: "warn"}.get(self.conclusion, "danger")

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.SIGNED:
                raise OpinionImmutableError(
                    "已签署的审核意见不能修改（R-REV-2）；如需更正，请另行出具新意见。"
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_signed:
            raise OpinionImmutableError("已签署的审核意见不能删除（R-REV-2）。")
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
