"""The audit trail as an export (auditors only), with the trail browser's filters: actor, unit, agency,
case, action and time. Rows in chain order, each with its hash, so a copy can be checked later."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from govinfo.exports import registry
from govinfo.exports.registry import MOMENT, NUMBER, Column
from govinfo.orgs import roles
from govinfo.orgs.models import Membership

from . import actions
from .models import AuditEvent


def parse_case(text: str) -> tuple[ContentType, str] | None:
    """``projects.project:12`` → (the content type, "12"); None when it names nothing."""
    label, _sep, pk = (text or "").strip().partition(":")
    app_label, _dot, model = label.partition(".")
    if not (app_label and model and pk):
        return None
    found = ContentType.objects.filter(app_label=app_label, model=model.lower()).first()
    return (found, pk) if found else None


def case_key(obj) -> str:
    """How a case is named in the trail browser's address: ``projects.project:12``."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return f"{content_type.app_label}.{content_type.model}:{obj.pk}"


class ActionChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=self._choices_now, **kwargs)

    @staticmethod
    def _choices_now():
        return [
            ("", _("全部")),
            *[
                (name, _("%(label)s（%(code)s）") % {"label": label, "code": name})
                for name, label in actions.registered().items()
            ],
        ]


@registry.register
class AuditTrailExporter(registry.Exporter):
    identifier = "audit-trail"
    verbose_name = _("审计记录")
    description = _("全部审计事件：时间、操作人、操作、对象、所属案件、IP 地址、详情，以及链序号和哈希。")
    filters = ("actor", "unit", "agency", "case", "action", "date_from", "date_to")
    date_field = "created_at"
    date_label = _("时间")
    ordering = ("seq",)
    extra_values = ("case_type__app_label",)

    def allowed(self, user) -> bool:
        return roles.is_auditor(user)

    def base_queryset(self, user):
        return AuditEvent.objects.all() if self.allowed(user) else AuditEvent.objects.none()

    def filter_fields(self) -> dict[str, forms.Field]:
        return {
            "actor": forms.CharField(label=_("操作人（用户名或姓名）"), required=False, max_length=150),
            "case": forms.CharField(
                label=_("案件"), required=False, max_length=120, help_text=_("如 projects.project:12")
            ),
            "action": ActionChoiceField(label=_("操作"), required=False),
        }

    def filter_actor(self, qs, text):
        users = get_user_model().objects.filter(Q(username=text) | Q(full_name=text)).values("pk")
        return qs.filter(actor_id__in=users)

    def _members(self, **where):
        return Exists(Membership.objects.filter(user_id=OuterRef("actor_id"), **where))

    def filter_unit(self, qs, unit):
        return qs.filter(self._members(unit=unit))

    def filter_agency(self, qs, agency):
        return qs.filter(self._members(agency=agency))

    def filter_case(self, qs, text):
        parsed = parse_case(text)
        if parsed is None:
            return qs.none()
        case_type, pk = parsed
        return qs.filter(case_type=case_type, case_id=pk)

    def filter_action(self, qs, action):
        return qs.filter(action=action)

    def base_columns(self) -> list[Column]:
        labels = actions.registered()

        def action_label(value, row):
            return labels.get(value, value)

        def case(value, row):
            return f"{row['case_type__app_label']}.{value}:{row['case_id']}" if value else ""

        def details(value, row):
            return json.dumps(value or {}, ensure_ascii=False, sort_keys=True)

        def actor(value, row):
            return value or row["actor__username"] or ""

        return [
            Column("seq", _("链序号"), kind=NUMBER, width=10),
            Column("created_at", _("时间"), kind=MOMENT, width=22),
            Column("actor__full_name", _("操作人"), render=actor, width=12),
            Column("actor__username", _("用户名"), width=14),
            Column("action", _("操作"), render=action_label, width=20),
            Column("action", _("操作代码"), width=30),
            Column("target_repr", _("对象"), width=36),
            Column("from_state", _("原状态"), width=12),
            Column("to_state", _("新状态"), width=12),
            Column("case_type__model", _("所属案件"), render=case, width=26),
            Column("case_id", _("案件编号"), width=10),
            Column("ip_address", _("IP 地址"), width=16),
            Column("details", _("详情"), render=details, width=60),
            Column("prev_hash", _("前一条哈希"), width=66),
            Column("hash", _("本条哈希"), width=66),
        ]
