"""Forms of the monitoring, acceptance, evaluation and unit pages. Forms validate input; services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.models import Role
from projects.money import WanYuanField

from .models import Acceptance, AcceptanceMaterialKind, PostEvaluation

TEXTAREA = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartTrialForm(forms.Form):
    started_on = forms.DateField(label=_("试运行开始日期"), widget=DATE)
    completion_note = forms.CharField(label=_("建设内容完成情况"), widget=TEXTAREA, max_length=3000)
    construction_complete = forms.BooleanField(label=_("项目已完成批复的全部建设内容"), required=False)


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"))
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, purchase: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        hidden = {AcceptanceMaterialKind.THIRD_PARTY_REVIEW, AcceptanceMaterialKind.SELF_EVALUATION,
                  AcceptanceMaterialKind.POST_EVALUATION}  # fmt: skip
        if not purchase:
            hidden.add(AcceptanceMaterialKind.UNIT_ACCEPTANCE)
        self.fields["kind"].choices = [(k, v) for k, v in AcceptanceMaterialKind.choices if k not in hidden]


class ApplyForm(forms.Form):
    note = forms.CharField(label=_("申请说明"), widget=TEXTAREA, required=False, max_length=1500)


class PurchaseApplyForm(ApplyForm):
    unit_accepted_on = forms.DateField(label=_("项目单位验收日期"), widget=DATE)
    unit_conclusion = forms.CharField(label=_("项目单位验收结论"), widget=TEXTAREA, max_length=1500)


class ReapplyForm(forms.Form):
    rectification_report = forms.CharField(
        label=_("整改情况"), widget=TEXTAREA, max_length=3000, help_text=_("逐项说明对整改要求的落实情况")
    )


class ExtensionForm(forms.Form):
    reason = forms.CharField(label=_("延期理由"), widget=TEXTAREA, max_length=1500)
    new_date = forms.DateField(label=_("申请延期至"), widget=DATE)


class ExtensionDecisionForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), widget=TEXTAREA, required=False, max_length=1500)


class MethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("评估方式"), choices=[c for c in Acceptance.Method.choices if c[0]], widget=forms.RadioSelect
    )
    departments = forms.CharField(label=_("参加验收的部门"), required=False, max_length=255)
    third_party_name = forms.CharField(label=_("第三方机构名称"), required=False, max_length=128)
    report = forms.FileField(label=_("第三方评估报告"), required=False)


class InviteExpertForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("专家"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = (
            get_user_model()
            .objects.filter(memberships__role=Role.EXPERT, memberships__is_active=True)
            .distinct()
            .order_by("username")
        )
        self.fields["expert"].label_from_instance = lambda user: user.display_name


class PassForm(forms.Form):
    opinion = forms.CharField(
        label=_("验收意见（补充）"),
        widget=TEXTAREA,
        required=False,
        max_length=1500,
        help_text=_("写入验收意见正文“验收结论”部分，可不填"),
    )


class FailForm(forms.Form):
    items = forms.CharField(label=_("整改要求"), widget=TEXTAREA, max_length=3000, help_text=_("每行一项"))
    rectify_by = forms.DateField(label=_("整改期限"), widget=DATE, required=False)
    opinion = forms.CharField(label=_("验收意见（补充）"), widget=TEXTAREA, required=False, max_length=1500)


class OfficeReportForm(forms.Form):
    note = forms.CharField(label=_("报备说明"), widget=TEXTAREA, required=False, max_length=1500)


class MonitoringReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("报告年度"), coerce=int)
    progress = forms.CharField(label=_("项目实施进度"), widget=TEXTAREA, max_length=4000)
    fund_execution = forms.CharField(label=_("资金计划执行情况"), widget=TEXTAREA, max_length=4000)
    funds_spent = WanYuanField(label=_("累计完成投资（万元）"), required=False)
    trial_results = forms.CharField(
        label=_("试运行效果及遇到的问题"),
        widget=TEXTAREA,
        required=False,
        max_length=4000,
        help_text=_("已投入试运行的项目必填"),
    )
    user_unit_name = forms.CharField(label=_("征求意见的使用单位"), max_length=128)
    user_unit_opinion = forms.CharField(label=_("使用单位意见"), widget=TEXTAREA, max_length=4000)
    supervisor_name = forms.CharField(label=_("征求意见的监理单位"), max_length=128)
    supervisor_opinion = forms.CharField(label=_("监理单位意见"), widget=TEXTAREA, max_length=4000)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, _("%(year)s年度") % {"year": y}) for y in years]


class SelfEvaluationForm(forms.Form):
    goals_achieved = forms.CharField(label=_("绩效目标实现情况"), widget=TEXTAREA, max_length=4000)
    resource_use = forms.CharField(label=_("资源利用和信息资源共享情况"), widget=TEXTAREA, max_length=4000)
    security = forms.CharField(label=_("安全风险情况"), widget=TEXTAREA, max_length=4000)
    problems = forms.CharField(
        label=_("存在问题和改进措施"), widget=TEXTAREA, required=False, max_length=4000
    )
    report = forms.FileField(label=_("自评价报告"), required=False)


class OrderPostEvaluationForm(forms.Form):
    method = forms.ChoiceField(
        label=_("评价方式"), choices=PostEvaluation.Method.choices, widget=forms.RadioSelect
    )
    evaluator = forms.CharField(label=_("评价专家或第三方机构"), max_length=255)
    scope = forms.CharField(label=_("评价内容"), widget=TEXTAREA, required=False, max_length=4000)


class RecordPostEvaluationForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价等级"), choices=PostEvaluation.Rating.choices)
    conclusion = forms.CharField(label=_("评价结论"), widget=TEXTAREA, max_length=4000)
    funding_advice = forms.CharField(
        label=_("对下一年度经费安排的建议"), widget=TEXTAREA, required=False, max_length=4000
    )
    report = forms.FileField(label=_("后评价报告"))


class SecurityFindingForm(forms.Form):
    project = forms.ModelChoiceField(label=_("涉及项目"), queryset=None, required=False)
    finding = forms.CharField(label=_("问题"), widget=TEXTAREA, max_length=3000)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ClearFindingForm(forms.Form):
    note = forms.CharField(label=_("整改情况"), widget=TEXTAREA, max_length=3000)


def today_iso() -> str:
    return timezone.localdate().isoformat()
