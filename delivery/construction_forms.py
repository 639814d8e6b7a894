"""Forms of filing, start, changes and supervision. They check what was typed; the rules are the services'
(each refusal with its rule and article), so a page and an API client are refused alike."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.money import WanYuanField

from .models import ChangeReason, Procurement, SupervisionBasis

TEXT = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilingForm(forms.Form):
    system_name = forms.CharField(label=_("纳入系统目录的信息系统名称"), max_length=200)
    construction_months = forms.IntegerField(
        label=_("批复建设期限（月）"),
        min_value=1,
        max_value=120,
        help_text=_(
            "按批复文件的建设期限填写；应申请验收日期 = 开工日期 + 建设期限 + 3个月试运行（第三十一条）"
        ),
    )
    note = forms.CharField(label=_("备案说明"), required=False, widget=TEXT, max_length=1000)


class FactsForm(forms.Form):
    responsible_person = forms.CharField(
        label=_("项目责任人"), max_length=64, help_text=_("项目单位主要负责人（川办法 第二十六条）")
    )
    supervisor_name = forms.CharField(label=_("工程监理单位"), max_length=200)
    supervisor_contact = forms.CharField(label=_("监理单位联系人及电话"), max_length=100, required=False)


class ProcurementForm(forms.Form):
    name = forms.CharField(label=_("采购项目名称"), max_length=200)
    subject = forms.ChoiceField(
        label=_("采购标的属性"),
        choices=Procurement.Subject.choices,
        widget=forms.RadioSelect,
        help_text=_("无法确定属于货物或者服务的，由采购人按照有利于项目实施的原则确定（第三十九条）"),
    )
    method = forms.ChoiceField(label=_("采购方式"), choices=Procurement.Method.choices)
    evaluation = forms.ChoiceField(
        label=_("评标方法"),
        choices=Procurement.Evaluation.choices,
        required=False,
        help_text=_("公开招标、邀请招标应当采用综合评分法"),
    )
    price_weight = forms.IntegerField(
        label=_("价格分值占总分值比重（%）"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("除单一来源外：货物30%，服务10%"),
    )
    amount = WanYuanField(label=_("合同金额（万元）"))
    supplier = forms.CharField(label=_("中标（成交）供应商"), max_length=200, required=False)
    is_om_service = forms.BooleanField(label=_("属于运行维护服务"), required=False)
    om_term_months = forms.IntegerField(
        label=_("服务履行期限（月）"), min_value=1, max_value=600, required=False, help_text=_("不超过36个月")
    )
    om_budget_assured = forms.BooleanField(label=_("年度预算能够保障"), required=False)
    om_contract_per_year = forms.BooleanField(label=_("分年签订政府采购合同"), required=False)


class StartForm(forms.Form):
    started_on = forms.DateField(label=_("开工日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()


YES_NO = [("yes", _("是")), ("no", _("否"))]


class ChangeForm(forms.Form):
    content = forms.CharField(
        label=_("调整内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("写明调整的建设内容及对应的资金变化"),
    )
    reason = forms.ChoiceField(label=_("调整原因"), choices=ChangeReason.choices, widget=forms.RadioSelect)
    reason_detail = forms.CharField(
        label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    goals_unchanged = forms.ChoiceField(label=_("建设目标是否不变"), choices=YES_NO, widget=forms.RadioSelect)
    new_total = WanYuanField(label=_("调整后总投资（万元）"))
    adjusted_amount = WanYuanField(
        label=_("资金调整数额（万元）"), help_text=_("各项建设内容之间调整的资金合计，含总投资的增减")
    )
    carried_out = forms.BooleanField(
        label=_("调整已实施（事后报告）"),
        required=False,
        help_text=_("未经批准擅自调整导致超概算的，不受理事后调整申请（第二十八条）"),
    )

    def cleaned(self) -> dict:
        data = dict(self.cleaned_data)
        data["goals_unchanged"] = data["goals_unchanged"] == "yes"
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), widget=TEXT, required=False, max_length=2000)


class ApprovalDraftForm(forms.Form):
    """NDRC's text of a 调整批复 (its "有关要求"), saved with the version the form showed."""

    note = forms.CharField(
        label=_("有关要求（调整批复正文第四部分）"),
        widget=TEXT,
        required=False,
        max_length=2000,
        help_text=_("留空时使用标准表述。保存后预览样稿，核对无误后签发。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("理由"), widget=TEXT, max_length=2000)


class DeadlineMixin(forms.Form):
    working_days = forms.IntegerField(
        label=_("整改期限（工作日）"), min_value=1, max_value=250, required=False
    )
    due_date = forms.DateField(label=_("或截止日期"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if (data.get("working_days") is None) == (data.get("due_date") is None):
            raise forms.ValidationError(_("整改期限请填写工作日数或截止日期（二选一）。"))
        return data


class RectifyForm(DeadlineMixin):
    basis = forms.ChoiceField(label=_("问题类别"), choices=SupervisionBasis.choices)
    issues = forms.CharField(
        label=_("存在问题和整改要求"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    field_order = ["basis", "issues", "working_days", "due_date"]


class ReopenForm(DeadlineMixin):
    note = forms.CharField(label=_("整改不到位的问题"), widget=TEXT, max_length=2000)
    field_order = ["note", "working_days", "due_date"]


class ReportForm(forms.Form):
    report = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class SuspendForm(forms.Form):
    basis = forms.ChoiceField(label=_("暂停原因类别"), choices=SupervisionBasis.choices)
    reason = forms.CharField(label=_("暂停理由"), widget=TEXT, max_length=2000)


class TerminationForm(forms.Form):
    progress = forms.CharField(
        label=_("已实施内容和实质性进展"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    reason = forms.CharField(
        label=_("难以继续实施的原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("外部环境变化或不可抗因素导致难以继续实施、无法完成总体目标的情况（第三十条）"),
    )


class GroupConsentForm(forms.Form):
    doc_number = forms.CharField(label=_("领导小组意见文号"), max_length=64)
    date = forms.DateField(label=_("领导小组意见日期"), widget=DATE)


class GroupDeclineForm(GroupConsentForm):
    note = forms.CharField(label=_("说明"), widget=TEXT, required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "decline")
        super().__init__(*args, **kwargs)
