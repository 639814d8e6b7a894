"""Forms of the review pages. Each validates what the user typed; the services decide the rest."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.models import Agency, Membership, Role

from .models import Conclusion, ReviewRound


class OpinionForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("审核结论"), choices=Conclusion.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 6}))
    conditions = forms.CharField(
        label=_("修改意见或批复条件"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("结论为“原则同意（附修改意见）”时必填；写入批复的“审核意见落实要求”。"),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("conclusion") == Conclusion.AGREE_WITH_CHANGES
            and not (data.get("conditions") or "").strip()
        ):
            self.add_error("conditions", _("结论为“原则同意（附修改意见）”时，须写明修改意见。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 4}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不予批复理由"), widget=forms.Textarea(attrs={"rows": 4}))


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
