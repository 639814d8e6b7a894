"""信息资源目录: resources, their data items, share requests and feedback (DOMAIN.md §3 R-CAT, §5).

Project links (produced / used) live in the projects app; see catalogue/links.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from govinfo.orgs.models import Unit
from govinfo.workflow import fsm_permission

from . import rules
from .classification import SUBJECT_CHOICES, SUBJECTS_BY_CATEGORY, Category
from .codes import CODE_HELP, class_digit, normalise_code, split_codes, validate_resource_code
from .naming import normalise_item_name


class ShareType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NONE = "none", _("不予共享")


class ShareMethod(models.TextChoices):
    API = "api", _("共享平台·接口")
    TABLE = "table", _("共享平台·库表")
    FILE = "file", _("共享平台·文件")
    OTHER = "other", _("其他方式")


class OpenAttribute(models.TextChoices):
    OPEN = "open", _("无条件开放")
    CONDITIONAL = "conditional", _("有条件开放")
    CLOSED = "closed", _("不予开放")


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")


class ResourceFormat(models.TextChoices):
    FILE = "file", _("电子文件")
    SPREADSHEET = "spreadsheet", _("电子表格")
    DATABASE = "database", _("数据库类")
    IMAGE = "image", _("图形图像类")
    STREAM = "stream", _("流媒体类")
    SELF_DESCRIBING = "self_describing", _("自描述")


class Secrecy(models.TextChoices):
    NON_SECRET = "non_secret", _("非涉密")
    SECRET = "secret", _("涉密")


def _may(model: str, name: str):
    """The lifecycle table's ``who`` for a transition, as django-fsm's ``permission=``."""
    return fsm_permission(f"catalogue.{model}", name)


class ProtectedStateMixin(FSMModelMixin):
    """``state`` is protected (only transitions change it), so validation must not write it back."""

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        exclude = set(exclude or ()) | {"state"}
        return super().full_clean(
            exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_constraints
        )


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Resource.State.PUBLISHED)

    def for_list(self):
        """What a list row shows, in one query however many rows."""
        # A correlated count, worked out for the rows of the page only (a join and GROUP BY would
        # aggregate the whole catalogue before the LIMIT).
        items = DataItem.objects.filter(resource=OuterRef("pk")).order_by().values("resource")
        return self.select_related("provider").annotate(
            item_count=Coalesce(
                Subquery(items.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()
            )
        )

    def search(self, *, q="", provider=None, item="", category="", share_type=""):
        qs = self
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(summary__icontains=q))
        if provider:
            qs = qs.filter(provider=provider)
        if item:
            # Exists, not a join: a resource matching on several items is still one row.
            qs = qs.filter(
                Exists(
                    DataItem.objects.filter(resource=OuterRef("pk")).filter(
                        Q(name__icontains=item) | Q(normalized_name__icontains=normalise_item_name(item))
                    )
                )
            )
        if category:
            qs = qs.filter(category=category)
        if share_type:
            qs = qs.filter(share_type=share_type)
        return qs


class Resource(ProtectedStateMixin, models.Model):
    """One entry of the 信息资源目录, with every field of DOMAIN.md §5."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待发布")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已停用")

    category = models.CharField(_("信息资源分类（类）"), max_length=1, choices=Category.choices)
    subject = models.CharField(
        _("子类"),
        max_length=3,
        choices=SUBJECT_CHOICES,
        blank=True,
        help_text=_("基础类、主题类须选择子类；部门类以提供部门为子类，不选"),
    )
    name = models.CharField(_("资源名称"), max_length=200)
    code = models.CharField(
        _("资源代码"), max_length=40, unique=True, validators=[validate_resource_code], help_text=CODE_HELP
    )
    provider = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="catalogue_resources", verbose_name=_("资源提供方")
    )
    summary = models.TextField(_("资源摘要"))
    format = models.CharField(_("资源格式"), max_length=16, choices=ResourceFormat.choices)
    format_detail = models.CharField(
        _("格式说明"), max_length=64, blank=True, help_text=_("如 OFD、WPS、XML、XLSX、MySQL")
    )
    share_type = models.CharField(_("共享类型"), max_length=16, choices=ShareType.choices)
    share_condition = models.TextField(_("共享条件"), blank=True, help_text=_("有条件共享时必填"))
    share_scope = models.CharField(_("共享范围"), max_length=200, blank=True, help_text=_("有条件共享时必填"))
    legal_basis = models.TextField(
        _("相关依据"), blank=True, help_text=_("不予共享时必填：法律、行政法规或党中央、国务院政策依据")
    )
    share_method = models.CharField(_("共享方式"), max_length=16, choices=ShareMethod.choices)
    open_attribute = models.CharField(_("开放属性"), max_length=16, choices=OpenAttribute.choices)
    update_cycle = models.CharField(_("更新周期"), max_length=16, choices=UpdateCycle.choices)
    published_on = models.DateField(_("发布日期"), null=True, blank=True, editable=False)
    secrecy = models.CharField(
        _("涉密属性"), max_length=16, choices=Secrecy.choices, default=Secrecy.NON_SECRET
    )
    related_codes = models.CharField(
        _("关联资源代码"), max_length=400, blank=True, help_text=_("多个代码以逗号或空格分隔")
    )
    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True)
    return_reason = models.TextField(_("退回意见"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("信息资源")
        verbose_name_plural = _("信息资源")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["state", "code"]),
            models.Index(fields=["provider", "state"]),
            # The publication queue (the Big-data centre's to-do): waiting longest first.
            models.Index(fields=["state", "updated_at", "id"], name="catalogue_resource_queue_idx"),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s（%(code)s）") % {"name": self.name, "code": self.code}

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.sync_item_sources()

    def sync_item_sources(self) -> None:
        """Its items carry the provider while it is published (``DataItem.published_provider``); one
        UPDATE of the items that differ, none when nothing changed."""
        if self.pk is None:
            return
        from .conflicts import recounting

        provider = self.provider_id if self.is_published else None
        stale = self.items.exclude(published_provider_id=provider)
        keys = set(stale.values_list("normalized_name", "data_type"))
        if keys:
            with recounting(keys):
                stale.update(published_provider_id=provider)

    @property
    def subject_label(self) -> str:
        if self.category == Category.DEPARTMENT:
            return self.provider.display_name if self.provider_id else ""
        return str(SUBJECTS_BY_CATEGORY.get(self.category, {}).get(self.subject, ""))

    @property
    def related_code_list(self) -> list[str]:
        return split_codes(self.related_codes)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def clean(self) -> None:
        errors: dict[str, list] = {}
        self.code = normalise_code(self.code)
        digit = class_digit(self.code)
        if digit and self.category and digit != self.category:
            errors.setdefault("code", []).append(
                _("资源代码首位（类）为“%(digit)s”，与所选分类“%(category)s”（类代码 %(expected)s）不一致。")
                % {"digit": digit, "category": Category(self.category).label, "expected": self.category}
            )
        subjects = SUBJECTS_BY_CATEGORY.get(self.category, {})
        if self.category and subjects and self.subject not in subjects:
            errors.setdefault("subject", []).append(
                _("“%(category)s”须选择其下的子类。") % {"category": Category(self.category).label}
            )
        if self.category == Category.DEPARTMENT:
            self.subject = ""
        errors_for_sharing = rules.sharing_attribute_errors(
            self.share_type, self.share_condition, self.share_scope, self.legal_basis
        )
        for field, message in errors_for_sharing.items():
            errors.setdefault(field, []).append(message)
        bad = [code for code in self.related_code_list if not _code_ok(code)]
        if bad:
            errors.setdefault("related_codes", []).append(
                gettext("关联资源代码格式不正确：%(codes)s。%(help)s")
                % {"codes": pgettext("list separator", "、").join(bad), "help": CODE_HELP}
            )
        if errors:
            raise ValidationError(errors)

    # --- workflow: draft → submitted → published → retired (submitted → draft when returned) ---

    def r_cat_2_sharing_attributes_complete(self) -> bool:
        return not rules.sharing_attribute_errors(
            self.share_type, self.share_condition, self.share_scope, self.legal_basis
        )

    def has_data_items(self) -> bool:
        return self.items.exists()

    # Sources and targets here; who may take each step, its rules and its audit event: catalogue/lifecycle.py.
    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        conditions=[has_data_items, r_cat_2_sharing_attributes_complete],
        permission=_may("Resource", "submit"),
    )
    def submit(self) -> None:
        self.return_reason = ""

    @transition(
        field=state, source=State.SUBMITTED, target=State.DRAFT, permission=_may("Resource", "send_back")
    )
    def send_back(self, reason: str) -> None:
        self.return_reason = reason

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.PUBLISHED,
        conditions=[has_data_items, r_cat_2_sharing_attributes_complete],
        permission=_may("Resource", "publish"),
    )
    def publish(self, on: dt.date) -> None:
        self.published_on = on

    @transition(
        field=state, source=State.PUBLISHED, target=State.RETIRED, permission=_may("Resource", "retire")
    )
    def retire(self) -> None:
        pass


def _code_ok(code: str) -> bool:
    try:
        validate_resource_code(code)
    except ValidationError:
        return False
    return True


class ResourceUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key permission table (guardian): no generic object_pk scans."""

    content_object = models.ForeignKey(Resource, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("信息资源用户权限")


class ResourceGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Resource, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("信息资源单位权限")


class DataType(models.TextChoices):
    STRING = "string", _("字符型")
    NUMBER = "number", _("数值型")
    DATE = "date", _("日期型")
    DATETIME = "datetime", _("日期时间型")
    BOOLEAN = "boolean", _("布尔型")
    BINARY = "binary", _("二进制")


class DataItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(resource__state=Resource.State.PUBLISHED)


class DataItem(models.Model):
    """信息项: one field of a resource. ``normalized_name`` + ``data_type`` identify it for 一数一源."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="items", verbose_name=_("资源")
    )
    name = models.CharField(_("信息项名称"), max_length=100)
    normalized_name = models.CharField(max_length=100, editable=False, db_index=True)
    data_type = models.CharField(_("数据类型"), max_length=16, choices=DataType.choices)
    length = models.PositiveIntegerField(_("长度"), null=True, blank=True)
    description = models.CharField(_("说明"), max_length=400, blank=True)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    # The provider while the resource is published, else empty: what 一数一源 compares (R-CAT-1). Kept
    # here, not read through the resource, so the conflicts page walks one index in key order and stops
    # at its page instead of joining every item of the catalogue to its resource. Resource.save() and
    # save() below keep it in step; nothing else writes it.
    published_provider = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )

    objects = DataItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("信息项")
        verbose_name_plural = _("信息项")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "normalized_name"],
                name="catalogue_item_unique_per_resource",
                violation_error_message=_("同一资源中信息项名称不能重复。"),
            )
        ]
        indexes = [
            models.Index(fields=["normalized_name", "data_type"]),
            models.Index(
                fields=["normalized_name", "data_type", "published_provider"],
                name="catalogue_item_published_idx",
                condition=models.Q(published_provider__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalise_item_name(self.name)
        published = self.resource.is_published
        self.published_provider_id = self.resource.provider_id if published else None
        if not published:
            # A draft's items (every page edit): nothing published changes, so no 一数一源 recount.
            return super().save(*args, **kwargs)
        from .conflicts import recounting

        keys = {(self.normalized_name, self.data_type)}
        if self.pk is not None:
            keys |= set(DataItem.objects.filter(pk=self.pk).values_list("normalized_name", "data_type"))
        with recounting(keys):
            super().save(*args, **kwargs)

    def clean(self) -> None:
        self.normalized_name = normalise_item_name(self.name)
        if self.name and not self.normalized_name:
            raise ValidationError({"name": _("信息项名称不能只含空格或标点。")})


class ConflictKey(models.Model):
    """一数一源 (R-CAT-1): an item — normalised name and data type — that more than one provider publishes.

    Kept by ``catalogue.conflicts.recounting`` whenever a published item appears, changes or goes, so the
    conflicts page reads a page of keys here instead of grouping every item of the catalogue."""

    normalized_name = models.CharField(max_length=100)
    data_type = models.CharField(max_length=16, choices=DataType.choices)
    providers = models.PositiveIntegerField()
    sources = models.PositiveIntegerField()
    # The ids of the items the conflicts page lists (the first few by provider), kept by the recount so
    # the page reads what it shows and not every source of an item a hundred providers hold.
    first_sources = models.JSONField(default=list)

    class Meta:
        ordering = ["normalized_name", "data_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_name", "data_type"], name="catalogue_conflict_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.normalized_name}（{self.get_data_type_display()}）"


class ShareRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=ShareRequest.State.PENDING)

    def overdue(self, today: dt.date | None = None):
        return self.pending().filter(due_date__lt=today or timezone.localdate())


class ShareRequest(ProtectedStateMixin, models.Model):
    """共享申请 (R-CAT-3). 有条件 requests wait for the provider; 无条件 ones are granted on creation."""

    class State(models.TextChoices):
        PENDING = "pending", _("待答复")
        APPROVED = "approved", _("已同意共享")
        REFUSED = "refused", _("不同意共享")
        GRANTED = "granted", _("无条件共享·已登记")

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="share_requests", verbose_name=_("资源")
    )
    requester = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="catalogue_share_requests", verbose_name=_("申请单位")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    purpose = models.TextField(_("用途"))
    items = models.ManyToManyField(DataItem, related_name="share_requests", verbose_name=_("所需信息项"))
    state = FSMField(_("状态"), default=State.PENDING, choices=State.choices, protected=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复人"),
    )
    answer = models.TextField(_("答复意见"), blank=True)

    objects = ShareRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("共享申请")
        verbose_name_plural = _("共享申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "due_date"])]
        constraints = [
            # R-CAT-3 as permissions.why_cannot_request words it: a unit has at most one request for a
            # resource that is waiting or in force. The database holds the rule when requests race.
            models.UniqueConstraint(
                fields=["resource", "requester"],
                condition=models.Q(state__in=["pending", "approved", "granted"]),
                name="catalogue_one_live_share_request",
            )
        ]

    def __str__(self) -> str:
        return gettext("%(unit)s 申请 %(resource)s") % {
            "unit": self.requester.display_name,
            "resource": self.resource.name,
        }

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def grants_use(self) -> bool:
        return self.state in {self.State.APPROVED, self.State.GRANTED}

    @transition(
        field=state, source=State.PENDING, target=State.APPROVED, permission=_may("ShareRequest", "approve")
    )
    def approve(self, by, text: str) -> None:
        self._answered(by, text)

    @transition(
        field=state, source=State.PENDING, target=State.REFUSED, permission=_may("ShareRequest", "refuse")
    )
    def refuse(self, by, text: str) -> None:
        self._answered(by, text)

    @transition(field=state, source=State.PENDING, target=State.GRANTED)
    def grant_unconditionally(self) -> None:
        self.answered_at = timezone.now()

    def _answered(self, by, text: str) -> None:
        self.answered_by = by
        self.answered_at = timezone.now()
        self.answer = text


class FeedbackQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=Feedback.State.OPEN)


class Feedback(ProtectedStateMixin, models.Model):
    """使用反馈、数据纠错与数据异议 (R-CAT-4), answered by the provider."""

    class Kind(models.TextChoices):
        USAGE = "usage", _("使用情况反馈")
        ERROR = "error", _("数据错误")
        OBJECTION = "objection", _("数据异议")

    class State(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("资源")
    )
    reporter = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="catalogue_feedback", verbose_name=_("提出单位")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提出人")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    items = models.ManyToManyField(
        DataItem, blank=True, related_name="feedback", verbose_name=_("涉及信息项")
    )
    text = models.TextField(_("内容"))
    state = FSMField(_("状态"), default=State.OPEN, choices=State.choices, protected=True)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    due_date = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复人"),
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("数据反馈与异议")
        verbose_name_plural = _("数据反馈与异议")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return gettext("%(kind)s：%(resource)s") % {
            "kind": self.get_kind_display(),
            "resource": self.resource.name,
        }

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    @transition(
        field=state, source=State.OPEN, target=State.ANSWERED, permission=_may("Feedback", "answer_with")
    )
    def answer_with(self, by, text: str) -> None:
        self.answer = text
        self.answered_by = by
        self.answered_at = timezone.now()


class SharingViolationQuerySet(models.QuerySet):
    def standing(self):
        """Confirmed and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class SharingViolation(models.Model):
    """A sharing violation the Big-data centre confirmed (R-CAT-1, 川办法 第三十三条): today a 重复采集 —
    the provider collects data items another department already publishes (一数一源 flagged them; the
    flag alone is not a violation). 第三十三条: "未按要求共享数据资源或重复采集数据的，省发展改革委不予审批次
    年度该项目单位其他新建、改建、扩建政务信息系统" — so a violation confirmed in year N bars the unit's other
    new projects of year N+1 (R-APP-4; the projects app asks ``barring``). A confirmation made in error is
    withdrawn with a reason; both stay on record.
    """

    class Kind(models.TextChoices):
        DUPLICATE_COLLECTION = "duplicate_collection", _("重复采集数据")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="sharing_violations", verbose_name=_("违规单位")
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="sharing_violations", verbose_name=_("信息资源")
    )
    kind = models.CharField(_("违规类型"), max_length=32, choices=Kind.choices)
    items = models.JSONField(_("重复采集的信息项"), default=list, blank=True)
    reason = models.TextField(_("认定理由"))
    year = models.PositiveSmallIntegerField(_("认定年度"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("认定人")
    )
    confirmed_at = models.DateTimeField(_("认定时间"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤销理由"), blank=True)

    objects = SharingViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("数据共享违规")
        verbose_name_plural = _("数据共享违规")
        ordering = ["-confirmed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="sharing_violation_one_standing_per_resource",
            )
        ]
        indexes = [models.Index(fields=["unit", "year"], name="sharing_violation_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()} · {self.resource.name}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None

    @property
    def bars_year(self) -> int:
        """The year whose new projects of the unit this violation bars (第三十三条 "次年度")."""
        return self.year + 1


class DataAggregationShortfallQuerySet(models.QuerySet):
    def standing(self):
        return self.filter(cleared_at__isnull=True)


class DataAggregationShortfall(models.Model):
    """The Big-data centre records that a unit has not completed its 数据归集 as the technical requirements
    ask (R-APP-12, 川办法 第十二条 "项目单位未落实相关技术要求完成数据归集的，原则上不得申报新增项目");
    while the record stands the unit files no new project. Cleared (with a note) once the data is in."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="aggregation_shortfalls", verbose_name=_("项目单位")
    )
    reason = models.TextField(_("未完成数据归集的情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("解除人"),
    )
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    cleared_note = models.TextField(_("完成归集情况"), blank=True)

    objects = DataAggregationShortfallQuerySet.as_manager()

    class Meta:
        verbose_name = _("数据归集未完成记录")
        verbose_name_plural = _("数据归集未完成记录")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(cleared_at__isnull=True),
                name="aggregation_shortfall_one_standing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.reason[:20]}"

    @property
    def is_standing(self) -> bool:
        return self.cleared_at is None
