"""Organisations: reviewing agencies, project units, and who acts for which, in what role.

Each agency and unit owns a permission group. Object permissions are granted to that group,
never to single people, so a clerk who joins a unit sees its cases at once (ARCHITECTURE.md).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .credit_code import validate_credit_code


class Role(models.TextChoices):
    APPLICANT = "applicant", _("项目单位经办人")
    REVIEWER = "reviewer", _("审核人员")
    SIGNER = "signer", _("签发人（机构负责人）")
    AUDITOR = "auditor", _("审计人员")
    EXPERT = "expert", _("评审专家")
    ADMIN = "admin", _("系统管理员")


UNIT_ROLES = {Role.APPLICANT}
AGENCY_ROLES = {Role.REVIEWER, Role.SIGNER}


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Organisation(models.Model):
    """What agencies and units share: a name, a permission group, and being switched on or off."""

    name = models.CharField(_("名称"), max_length=128, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, editable=False, related_name="+")
    is_active = models.BooleanField(_("启用"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    group_prefix = "org"

    def save(self, *args, **kwargs):
        if self.group_id is None:
            with transaction.atomic():
                self.group = Group.objects.create(name=f"{self.group_prefix}:{self.name}")
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Agency(Organisation):
    """A reviewing or supervising body: 发展改革委, 财政厅, 网信办, 大数据中心, 审计厅, …

    Agencies are rows, not code: adding a reviewing agency needs no migration.
    """

    class Kind(models.TextChoices):
        LEAD = "lead", _("牵头审批机关")
        REVIEWER = "reviewer", _("会签审核机关")
        OVERSIGHT = "oversight", _("监督审计机关")

    group_prefix = "agency"

    code = models.SlugField(_("机构代码"), max_length=32, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.REVIEWER)
    doc_prefix = models.CharField(
        _("发文字号前缀"),
        max_length=16,
        blank=True,
        help_text=_("如“川发改审”，发文字号形如 川发改审〔2026〕12号"),
    )
    reviews_by_default = models.BooleanField(
        _("默认参与会签"), default=False, help_text=_("受理审查时默认为该机构开启审核任务（R-REV-1）")
    )
    review_focus = models.CharField(
        _("审核职责"), max_length=64, blank=True, help_text=_("按职能职责审核的内容，如“网络安全等级保护”")
    )
    opinion_title = models.CharField(
        _("出具意见类型"),
        max_length=64,
        blank=True,
        help_text=_("第二十二条规定的意见类型，如“信息安全审核意见”；用于审核意见书标题和审查页面"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["sort_order", "code"]

    @property
    def opinion_kind(self) -> str:
        """The kind of opinion this agency writes (第二十二条), or plain 审核意见 for one NDRC added."""
        return self.opinion_title or str(_("审核意见"))


class Unit(Organisation):
    """项目单位: a provincial department that files projects, identified by its 统一社会信用代码."""

    group_prefix = "unit"

    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    head = models.CharField(_("单位负责人"), max_length=64, blank=True)
    contact = models.CharField(_("联系人"), max_length=64, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("项目单位")
        verbose_name_plural = _("项目单位")
        ordering = ["name"]

    def clean(self) -> None:
        self.credit_code = (self.credit_code or "").strip().upper()


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A person acting in a role, for a unit (applicants) or an agency (reviewers, signers)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("项目单位"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("机构"),
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("成员与角色")
        verbose_name_plural = _("成员与角色")
        constraints = [
            models.CheckConstraint(
                name="membership_role_matches_organisation",
                condition=(
                    Q(role=Role.APPLICANT, unit__isnull=False, agency__isnull=True)
                    | Q(role__in=[Role.REVIEWER, Role.SIGNER], agency__isnull=False, unit__isnull=True)
                    | Q(role__in=[Role.AUDITOR, Role.EXPERT, Role.ADMIN], unit__isnull=True)
                ),
                violation_error_message=_(
                    "项目单位经办人须选择项目单位；审核人员和签发人须选择机构；审计、专家、管理员不隶属项目单位。"
                ),
            ),
            # One row per person, role and organisation (three partial constraints because NULLs differ).
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="membership_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="membership_unique_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(unit__isnull=True, agency__isnull=True),
                name="membership_unique_unattached",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit or self.agency
        return f"{self.user} · {self.get_role_display()}" + (f" · {where}" if where else "")

    @property
    def organisation(self) -> Agency | Unit | None:
        return self.unit or self.agency

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_group()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            self.is_active = False
            self.sync_group()
            return result

    def sync_group(self) -> None:
        """Keep the user in the organisation's permission group exactly while any active membership holds."""
        organisation = self.organisation
        if organisation is None:
            return
        still_member = (
            Membership.objects.active()
            .filter(user_id=self.user_id, unit_id=self.unit_id, agency_id=self.agency_id)
            .exists()
        )
        if still_member:
            self.user.groups.add(organisation.group)
        else:
            self.user.groups.remove(organisation.group)
