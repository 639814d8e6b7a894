"""Forms of NDRC's 评估论证 and 省政府审定 sections on the review page (R-REV-4). They validate what was typed;
``approvals.evaluation`` decides the rest."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govinfo.formats import series
from projects.materials import ALLOWED_FORMATS, check_upload, max_bytes

from .models import Evaluation


class EvaluationForm(forms.Form):
    method = forms.ChoiceField(
        label=_("评估论证方式"), choices=Evaluation.Method.choices, widget=forms.RadioSelect
    )
    institution = forms.CharField(
        label=_("第三方咨询评估机构名称"),
        required=False,
        max_length=128,
        help_text=_("委托具备资质的第三方咨询评估机构时必填"),
    )
    report = forms.FileField(
        label=_("评估报告"),
        required=False,
        help_text=_("委托第三方机构时必传；只接受 %(allowed)s 格式（按文件内容识别），不超过 %(mb)d MB。"),
    )
    note = forms.CharField(
        label=_("评估论证情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("组织相关部门评估论证时必填：参加的部门及其意见；其他方式可写评估结论摘要"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].help_text = self.fields["report"].help_text % {
            "allowed": series(ALLOWED_FORMATS),
            "mb": max_bytes() // (1024 * 1024),
        }

    def clean_report(self):
        upload = self.cleaned_data.get("report")
        if upload:
            check_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == Evaluation.Method.THIRD_PARTY:
            if not (data.get("institution") or "").strip():
                self.add_error("institution", _("委托第三方咨询评估机构的，须填写机构名称。"))
            if not data.get("report") and "report" not in self.errors:
                self.add_error("report", _("委托第三方咨询评估机构的，须上传其评估报告。"))
        if method == Evaluation.Method.DEPARTMENTS and not (data.get("note") or "").strip():
            self.add_error("note", _("组织相关部门评估论证的，须写明参加的部门及其意见。"))
        return data


class GovernmentFlagForm(forms.Form):
    reason = forms.CharField(
        label=_("报省政府审定的依据"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：按规定须报省政府审定的重大项目（第二十四条）"),
    )


class GovernmentClearForm(forms.Form):
    reason = forms.CharField(label=_("撤销标记的理由"), widget=forms.Textarea(attrs={"rows": 2}))


class GovernmentConsentForm(forms.Form):
    doc_number = forms.CharField(
        label=_("省政府同意文号"), max_length=64, help_text=_("如：川府函〔2026〕15号")
    )
    date = forms.DateField(label=_("省政府同意日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date and date > timezone.localdate():
            raise forms.ValidationError(_("省政府同意日期不能晚于今天。"))
        return date
