"""Forms of the review pages. Each validates what the user typed; the services decide the rest."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.models import Agency, Membership, Role

from . import decisions, letters
from .models import Conclusion, ReviewRound


def _too_long(limit: int):
    def check(value: str) -> None:
        if len(value.strip()) > limit:
            raise forms.ValidationError(
                _("不超过%(limit)d字（现为%(n)d字）。"), params={"limit": limit, "n": len(value.strip())}
            )

    return check


class OpinionForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("审核结论"), choices=Conclusion.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("审核意见"),
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[_too_long(letters.OPINION_TEXT_LIMIT)],
    )
    conditions = forms.CharField(
        label=_("修改意见或批复条件"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[_too_long(letters.OPINION_CONDITIONS_LIMIT)],
        help_text=_("结论为“原则同意（附修改意见）”时必填；摘要列入批复稿的“有关要求”。"),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("conclusion") == Conclusion.AGREE_WITH_CHANGES
            and not (data.get("conditions") or "").strip()
        ):
            self.add_error("conditions", _("结论为“原则同意（附修改意见）”时，须写明修改意见。"))
        return data


class DecisionDraftForm(forms.Form):
    """NDRC's text of a 批复 or 不予批复函: the parts of ``decisions.PARTS``, checked by ``decisions.problems``
    (required parts, at most ``letters.DECISION_FIELD_LIMIT`` characters each, the 抄送 list)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, outcome: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome = outcome
        for part in decisions.PARTS[outcome]:
            rows = 3 if part.name in ("schedule", "cc") else 7
            self.fields[part.name] = forms.CharField(
                label=part.label,
                required=False,
                help_text=part.help,
                # The text of a 公文 is Chinese whatever the interface language.
                widget=forms.Textarea(
                    attrs={"rows": rows, "maxlength": letters.DECISION_FIELD_LIMIT, "lang": "zh-Hans"}
                ),
            )

    def clean(self):
        data = super().clean()
        for name, problem in decisions.problems(self.outcome, data).items():
            self.add_error(name, problem)
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 4}))


def _members(agency: Agency):
    return (
        get_user_model()
        .objects.filter(
            memberships__agency=agency,
            memberships__role__in=[Role.REVIEWER, Role.SIGNER],
            memberships__is_active=True,
        )
        .distinct()
        .order_by("username")
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("承办人"), queryset=get_user_model().objects.none(), empty_label=_("请选择承办人")
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _members(agency)
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class AddAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("增派审核机构"), queryset=Agency.objects.none(), empty_label=_("请选择机构")
    )

    def __init__(self, *args, round: ReviewRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            Agency.objects.active()
            .filter(kind=Agency.Kind.REVIEWER)
            .exclude(doc_prefix="")
            .exclude(review_tasks__round=round)
            .order_by("sort_order", "code")
        )


class InviteExpertForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("评估专家"), queryset=get_user_model().objects.none(), empty_label=_("请选择专家")
    )

    def __init__(self, *args, round: ReviewRound, **kwargs):
        super().__init__(*args, **kwargs)
        experts = Membership.objects.active().filter(role=Role.EXPERT).values("user")
        self.fields["expert"].queryset = (
            get_user_model()
            .objects.filter(pk__in=experts)
            .exclude(expert_invitations__round=round)
            .order_by("username")
        )
        self.fields["expert"].label_from_instance = lambda user: user.display_name


class ExpertOpinionForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("评估结论"), choices=Conclusion.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 6}))
