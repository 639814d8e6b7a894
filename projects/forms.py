"""The application form, one form per section. Forms validate; services save (views never save)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govinfo.formats import series
from govinfo.orgs.models import Unit

from . import exclusions
from .catalogue_gate import linkable_resources, why_cannot_link
from .materials import ALLOWED_FORMATS, check_upload, max_bytes
from .models import FundChannel, MaterialKind, Project, ProjectResource, SecureReliableStatus, State
from .money import WanYuanField

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class SectionForm(forms.ModelForm):
    """Hands the service a dict of field values instead of saving."""

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class BasicForm(SectionForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "year",
            "category",
            "national_code",
            "main_tasks",
            "basis_and_necessity",
            "performance_goals",
            "implementation_mode",
            "mode_reason",
            "is_upgrade",
            "predecessor",
            "predecessor_name",
            "predecessor_acceptance_ref",
        ]
        widgets = {
            "main_tasks": TEXTAREA,
            "basis_and_necessity": TEXTAREA,
            "performance_goals": TEXTAREA,
            "mode_reason": TEXTAREA,
            "implementation_mode": forms.RadioSelect,
        }

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget = forms.NumberInput(attrs={"min": 2000, "max": 2100})
        # An upgrade names an earlier project of the same unit (R-APP-3).
        others = Project.objects.filter(lead_unit=unit).exclude(state=State.DRAFT).order_by("-year", "name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["predecessor"].queryset = others
        self.fields["predecessor"].required = False

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not 2000 <= year <= 2100:
            raise forms.ValidationError(_("申报年度应为四位年份，如 2026。"))
        return year


class TechnicalForm(SectionForm):
    class Meta:
        model = Project
        fields = [
            "application_summary",
            "cloud_requirement",
            "security_level",
            "crypto_summary",
            "secure_reliable_status",
            "secure_reliable_note",
            "includes_civil_works",
            "energy_intensive",
            "data_sharing_exempt",
            "sharing_exemption_basis",
            "leading_group_approval_no",
            "leading_group_approval_date",
        ]
        widgets = {
            "application_summary": TEXTAREA,
            "cloud_requirement": TEXTAREA,
            "crypto_summary": TEXTAREA,
            "secure_reliable_status": forms.RadioSelect,
            "secure_reliable_note": TEXTAREA,
            "sharing_exemption_basis": TEXTAREA,
            "leading_group_approval_date": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "secure_reliable_status": _(
                "项目应采用安全可靠的软硬件产品；报批阶段须对产品的安全可靠情况进行说明（第五十条，R-APP-11）。"
            ),
            "includes_civil_works": _(
                "政务信息化项目原则上不再进行节能评估、规划选址、用地预审、环境影响评价等审批；含新建土建工程"
                "或属于高能耗项目的，须在申报材料中上传上述审批文件（第二十三条，R-APP-10）。"
            ),
            "data_sharing_exempt": _(
                "依据有关要求不能进行信息共享、但确有必要建设或保留的项目，须报领导小组审核批准，"
                "并填写批准文号和日期（第十二条，R-APP-12）。"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio list without the model's blank "---------" choice: the statement is required (R-APP-11).
        self.fields["secure_reliable_status"].choices = SecureReliableStatus.choices

    def clean_leading_group_approval_date(self):
        date = self.cleaned_data.get("leading_group_approval_date")
        if date and date > timezone.localdate():
            raise forms.ValidationError(_("领导小组审核批准日期不能晚于今天。"))
        return date


class DesignChangeForm(SectionForm):
    """R-APP-9 (第二十五条): how the 初步设计 compares with its 可研 批复 — asked, never inferred from the total."""

    class Meta:
        model = Project
        fields = ["design_exceeds_feasibility", "design_change_is_major"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["design_exceeds_feasibility"] = _yes_no(
            _("初步设计方案的建设内容、规模、技术方案或投资，是否超出可行性研究报告批复？")
        )
        self.fields["design_exceeds_feasibility"].help_text = _(
            "任一方面超出即选“是”，并在申报材料中上传“初步设计调整内容及理由”独立章节（R-APP-9）。"
        )
        self.fields["design_change_is_major"] = forms.TypedChoiceField(
            label=_("调整是否属于重大变更？"),
            choices=[("no", _("否")), ("yes", _("是"))],
            coerce=lambda value: value == "yes",
            required=False,
            widget=forms.RadioSelect,
            help_text=_("存在重大变更的，原则上应重新报批可行性研究报告（第二十五条）。"),
        )
        for name in self.Meta.fields:
            value = getattr(self.instance, name)
            self.initial[name] = "" if value is None else ("yes" if value else "no")

    def clean(self):
        data = super().clean()
        if data.get("design_change_is_major") and data.get("design_exceeds_feasibility") is False:
            self.add_error(
                "design_change_is_major", _("未超出可研批复的初步设计不存在重大变更，请核对两项回答。")
            )
        if data.get("design_change_is_major") is None:
            data["design_change_is_major"] = False
        return data


class FundingForm(SectionForm):
    total_investment = WanYuanField(label=_("总投资（万元）"), required=False)
    om_funding = WanYuanField(label=_("年度运行维护经费（万元）"), required=False)
    fund_channels = forms.MultipleChoiceField(
        label=_("经费渠道"), choices=FundChannel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Project
        fields = [
            "total_investment",
            "om_funding",
            "fund_channels",
            "funding_note",
            "path_override",
            "path_override_reason",
        ]
        widgets = {"funding_note": TEXTAREA, "path_override_reason": TEXTAREA}
        help_texts = {
            "path_override": _(
                "总投资不超过2000万元的按合并方式（编报实施方案）报批；超过的原则上分两步报批，"
                "除非属于第十八条（一）（二）所列情形并写明理由（R-APP-8）。"
            )
        }

    def clean(self):
        data = super().clean()
        if data.get("path_override") and not (data.get("path_override_reason") or "").strip():
            self.add_error(
                "path_override_reason",
                _(
                    "依据《四川省省级政务信息化项目管理办法》第十八条（R-APP-8），选择特殊情形须写明具体依据和理由。"
                ),
            )
        return data


class ExclusionsForm(forms.Form):
    """R-APP-5: one yes/no question per 第八条 clause, with the legal basis when the answer is yes."""

    ANSWERS = [(exclusions.NO, _("否")), (exclusions.YES, _("是"))]

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = []
        for item in exclusions.ITEMS:
            given, basis = exclusions.answer(project, item.code)
            self.fields[f"{item.code}_answer"] = forms.ChoiceField(
                label=f"{item.article} {item.question}",
                choices=self.ANSWERS,
                required=False,
                widget=forms.RadioSelect,
                initial=given or None,
            )
            self.fields[f"{item.code}_basis"] = forms.CharField(
                label=_("如选“是”，请写明允许建设的法律法规依据"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=basis,
            )
            self.items.append((self[f"{item.code}_answer"], self[f"{item.code}_basis"]))

    def changes(self) -> dict:
        answers = {}
        for item in exclusions.ITEMS:
            given = self.cleaned_data.get(f"{item.code}_answer") or ""
            basis = (self.cleaned_data.get(f"{item.code}_basis") or "").strip()
            if given or basis:
                answers[item.code] = {"answer": given, "basis": basis}
        return {"exclusion_answers": answers}


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("未确认")), ("yes", _("是")), ("no", _("否"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class PurchaseForm(SectionForm):
    """R-APP-7 (川办法 第十九条) conditions of a 购买服务 project."""

    class Meta:
        model = Project
        fields = [
            "purchase_not_goods_or_works",
            "purchase_cheaper_than_self_build",
            "purchase_multiple_suppliers",
            "purchase_no_secrecy_conflict",
            "purchase_comparison",
        ]
        widgets = {"purchase_comparison": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields[:4]:
            self.fields[name] = _yes_no(Project._meta.get_field(name).verbose_name)
            value = getattr(self.instance, name)
            self.initial[name] = "" if value is None else ("yes" if value else "no")


class LeadScopeForm(forms.Form):
    lead_scope = forms.CharField(
        label=_("牵头单位建设范围和责任"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("有参建单位时必填（第二十一条、第二十七条，R-APP-6）"),
    )


class ParticipantForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("参建单位"), queryset=Unit.objects.none(), required=False)
    scope = forms.CharField(
        label=_("建设范围和责任"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, lead_unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().exclude(pk=lead_unit.pk)


class BaseParticipantFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self.can_delete and self._should_delete_form(form):
                continue
            unit = form.cleaned_data.get("unit")
            if unit is None:
                if (form.cleaned_data.get("scope") or "").strip():
                    form.add_error("unit", _("请选择参建单位。"))
                continue
            if unit.pk in seen:
                form.add_error("unit", _("同一参建单位只能添加一次。"))
            seen.add(unit.pk)

    def rows(self) -> list[tuple[Unit, str]]:
        return [
            (form.cleaned_data["unit"], form.cleaned_data.get("scope") or "")
            for form in self.forms
            if form.cleaned_data.get("unit") and not (self.can_delete and self._should_delete_form(form))
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=2, can_delete=True, max_num=30
)


class MaterialUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=MaterialKind.choices)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("只接受 %(allowed)s 格式（按文件内容识别），单个文件不超过 %(mb)d MB。"),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("上传的文件是空文件。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "allowed": series(ALLOWED_FORMATS),
            "mb": max_bytes() // (1024 * 1024),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=TEXTAREA)


def year_label(year: int) -> str:
    """2026年 in Chinese, 2026 in English."""
    return _("%(year)s年") % {"year": year}


class ProjectFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部状态")), *State.choices]
        self.fields["year"].choices = [("", _("全部年度")), *((y, year_label(y)) for y in years)]


class ResourceSearchForm(forms.Form):
    """Narrows the resources the clerk may link; the list is filtered and paginated on the server."""

    OWN = "own"
    SCOPES = [("", _("全部可关联的资源")), (OWN, _("仅本单位资源"))]

    q = forms.CharField(
        label=_("资源名称或代码"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：学生、111112001")}),
    )
    scope = forms.ChoiceField(label=_("范围"), choices=SCOPES, required=False)


class LinkResourceForm(forms.Form):
    """One resource and its relation to the project; only resources the project may name are valid."""

    resource = forms.ModelChoiceField(
        label=_("信息资源"),
        queryset=None,
        error_messages={"invalid_choice": _("所选资源不存在、已停用或不能与本项目关联，请重新查找。")},
    )
    relation = forms.ChoiceField(label=_("关系"), choices=())

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["resource"].queryset = linkable_resources(project).select_related("provider")
        self.fields["relation"].choices = ProjectResource.Relation.choices

    def clean(self):
        data = super().clean()
        resource, relation = data.get("resource"), data.get("relation")
        if resource is not None and relation:
            reason = why_cannot_link(self.project, resource, relation)
            if reason:
                self.add_error("relation", reason)
        return data
