from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.models import Unit

from .classification import Category
from .exchange import WorkbookError, check_workbook
from .models import DataItem, Feedback, Resource, ShareType
from .naming import normalise_item_name
from .services import RESOURCE_FIELDS


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = RESOURCE_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "share_condition": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
        }


class ProviderChoiceForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("资源提供方"), empty_label=None)

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])


class BaseItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen: dict[str, str] = {}
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            name = form.cleaned_data.get("name", "")
            key = normalise_item_name(name)
            if key in seen:
                form.add_error(
                    "name", _("与“%(other)s”重复：同一资源中信息项名称不能重复。") % {"other": seen[key]}
                )
            seen[key] = name


ItemFormSet = inlineformset_factory(
    Resource,
    DataItem,
    formset=BaseItemFormSet,
    fields=["name", "data_type", "length", "description"],
    extra=3,
    can_delete=True,
)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("名称或代码"), required=False)
    provider = forms.ModelChoiceField(
        queryset=Unit.objects.all(), label=_("提供单位"), required=False, empty_label=_("全部单位")
    )
    item = forms.CharField(label=_("信息项"), required=False)
    category = forms.ChoiceField(
        label=_("分类"), choices=[("", _("全部"))] + Category.choices, required=False
    )
    share_type = forms.ChoiceField(
        label=_("共享类型"), choices=[("", _("全部"))] + ShareType.choices, required=False
    )


class UnitChoiceMixin:
    def set_units(self, units: list[Unit]):
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk


class ShareRequestForm(UnitChoiceMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("申请单位"), empty_label=None)
    purpose = forms.CharField(label=_("用途及依据"), widget=forms.Textarea(attrs={"rows": 3}))
    items = forms.ModelMultipleChoiceField(
        queryset=DataItem.objects.none(),
        label=_("所需信息项"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选即申请全部信息项"),
    )

    def __init__(self, *args, resource: Resource, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = resource.items.all()
        self.set_units(units)


class AnswerRequestForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("答复"),
        choices=[("approve", _("同意共享")), ("refuse", _("不同意共享"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("答复意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不同意共享须说明理由（R-CAT-3）"),
    )


class FeedbackForm(UnitChoiceMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("提出单位"), empty_label=None)
    kind = forms.ChoiceField(label=_("类别"), choices=Feedback.Kind.choices)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))
    items = forms.ModelMultipleChoiceField(
        queryset=DataItem.objects.none(),
        label=_("涉及信息项"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, resource: Resource, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = resource.items.all()
        self.set_units(units)


class TextForm(forms.Form):
    text = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    class Mode:
        ALL = "all"
        ROWS = "rows"

    file = forms.FileField(
        label=_("XLSX 文件"), help_text=_("使用“下载导入模板”得到的格式：两个工作表“资源”和“信息项”")
    )
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=[
            (Mode.ALL, _("全部成功才导入（任何一行有错则全部不导入）")),
            (Mode.ROWS, _("逐行导入（导入正确的行，跳过并列出有错的行）")),
        ],
        initial=Mode.ALL,
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        try:
            check_workbook(upload)
        except WorkbookError as refused:
            raise forms.ValidationError(str(refused)) from None
        return upload
