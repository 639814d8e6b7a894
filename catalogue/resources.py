"""django-import-export resources for the catalogue workbook (one export, one class: STYLE habit 6).

The workbook has two sheets, because a resource and its items are two kinds of row and
import-export maps one sheet row to one model instance:
- “资源”: one row per resource, keyed by 资源代码;
- “信息项”: one row per data item, naming its resource by 资源代码, keyed by (资源代码, normalised item name).
Choice columns hold the Chinese labels a person reads (“有条件共享”), and accept the stored value too.

Importing never deletes: a row creates a new draft of the importer's unit, or updates one of that
unit's own drafts; a row naming a resource of another unit, or one already submitted or published,
is refused with its row number. Every row runs in its own savepoint so a failing row leaves nothing behind.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from govinfo.audit.trail import record
from govinfo.formats import clauses, series

from . import permissions
from .classification import BASIC_SUBJECTS, THEME_SUBJECTS, Category
from .codes import normalise_code
from .models import (
    DataItem,
    DataType,
    OpenAttribute,
    Resource,
    ResourceFormat,
    Secrecy,
    ShareMethod,
    ShareType,
    UpdateCycle,
)
from .naming import normalise_item_name

RESOURCE_SHEET = "资源"
ITEM_SHEET = "信息项"


class ChoiceWidget(widgets.Widget):
    """Writes a choice's label; reads back a label or a stored value, else says what is allowed."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.labels = {str(value): str(label) for value, label in choices}
        self.values = {label: value for value, label in self.labels.items()}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if text == "":
            return ""
        if text in self.labels:
            return text
        if text in self.values:
            return self.values[text]
        raise ValueError(
            _("“%(value)s”不是可选值，可选：%(choices)s")
            % {"value": text, "choices": series(self.labels.values())}
        )

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(str(value), value or "")


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class LengthWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            number = int(float(str(value).strip()))
        except ValueError:
            raise ValueError(_("长度应为正整数，实为“%(value)s”") % {"value": value}) from None
        if number <= 0:
            raise ValueError(_("长度应为正整数，实为“%(value)s”") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class ResourceCodeWidget(widgets.ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        code = normalise_code("" if value is None else str(value))
        if not code:
            raise ValueError(_("须填写资源代码"))
        found = Resource.objects.filter(code=code).first()
        if found is None:
            raise ValueError(
                _("资源代码“%(code)s”在“%(sheet)s”表和目录中都不存在")
                % {"code": code, "sheet": RESOURCE_SHEET}
            )
        return found


def _field(attribute, column, widget=None, readonly=False):
    return fields.Field(
        attribute=attribute, column_name=column, widget=widget or TextWidget(), readonly=readonly
    )


class GuardedRowsMixin:
    """Runs each row in a savepoint and collects (row number, reason) for every refused row."""

    def __init__(self, *, unit=None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.unit = unit
        self.user = user
        self.problems: list[tuple[int, str]] = []
        self.saved = 0

    def import_row(self, row, instance_loader, **kwargs):
        try:
            with transaction.atomic():
                result = super().import_row(row, instance_loader, **kwargs)
                if result.import_type in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR):
                    raise _RowRolledBack(result)
        except _RowRolledBack as rolled_back:
            result = rolled_back.result
            # Excel numbering: the header is row 1, so data row i is sheet row i + 1.
            self.problems.append((kwargs["row_number"] + 1, _describe(self, result)))
        else:
            if result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
                self.saved += 1
        return result


class _RowRolledBack(Exception):
    def __init__(self, result):
        self.result = result


def _describe(resource, result) -> str:
    if result.validation_error is not None and not hasattr(result.validation_error, "error_dict"):
        return clauses(result.validation_error.messages)
    if result.validation_error is not None:
        labels = {f.attribute: f.column_name for f in resource.get_import_fields()}
        labels.update(getattr(resource, "extra_labels", {}))
        parts = []
        for field, messages in result.validation_error.message_dict.items():
            if field == NON_FIELD_ERRORS or not labels.get(field, field):
                parts.extend(messages)
            else:
                column = labels.get(field, field)
                parts.extend(
                    _("%(column)s：%(message)s") % {"column": column, "message": m} for m in messages
                )
        return clauses(parts)
    return clauses(str(error.error) for error in result.errors)


class ResourceSheet(GuardedRowsMixin, resources.ModelResource):
    code = _field("code", "资源代码")
    name = _field("name", "资源名称")
    category = _field("category", "分类", ChoiceWidget(Category.choices))
    subject = _field("subject", "子类", ChoiceWidget(BASIC_SUBJECTS + THEME_SUBJECTS))
    summary = _field("summary", "资源摘要")
    format = _field("format", "资源格式", ChoiceWidget(ResourceFormat.choices))
    format_detail = _field("format_detail", "格式说明")
    share_type = _field("share_type", "共享类型", ChoiceWidget(ShareType.choices))
    share_condition = _field("share_condition", "共享条件")
    share_scope = _field("share_scope", "共享范围")
    legal_basis = _field("legal_basis", "不予共享依据")
    share_method = _field("share_method", "共享方式", ChoiceWidget(ShareMethod.choices))
    open_attribute = _field("open_attribute", "开放属性", ChoiceWidget(OpenAttribute.choices))
    update_cycle = _field("update_cycle", "更新周期", ChoiceWidget(UpdateCycle.choices))
    secrecy = _field("secrecy", "涉密属性", ChoiceWidget(Secrecy.choices))
    related_codes = _field("related_codes", "关联资源代码")
    provider_name = _field("provider__name", "资源提供方", readonly=True)
    provider_code = _field("provider__credit_code", "提供方代码", readonly=True)
    state = _field("state", "状态", ChoiceWidget(Resource.State.choices), readonly=True)
    published_on = fields.Field(
        attribute="published_on", column_name="发布日期", widget=widgets.DateWidget("%Y-%m-%d"), readonly=True
    )

    class Meta:
        model = Resource
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "category",
            "subject",
            "summary",
            "format",
            "format_detail",
            "share_type",
            "share_condition",
            "share_scope",
            "legal_basis",
            "share_method",
            "open_attribute",
            "update_cycle",
            "secrecy",
            "related_codes",
            "provider_name",
            "provider_code",
            "state",
            "published_on",
        ]
        export_order = fields
        skip_diff = True
        use_transactions = False
        clean_model_instances = True

    def get_instance(self, instance_loader, row):
        code = normalise_code(str(row.get("资源代码") or ""))
        return Resource.objects.filter(code=code).first() if code else None

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            instance.provider = self.unit
            instance.created_by = self.user
            return
        if instance.provider_id != self.unit.pk or not permissions.can_maintain(self.user, instance):
            raise ValidationError(
                _("资源代码“%(code)s”已被%(unit)s使用，导入不能修改其他单位的资源。")
                % {"code": instance.code, "unit": instance.provider.name}
            )
        if not instance.is_draft:
            raise ValidationError(
                _(
                    "资源“%(name)s”当前为“%(state)s”，导入只能新建草稿或修改本单位的草稿，"
                    "已报送或已发布的资源保持不变。"
                )
                % {"name": instance.name, "state": instance.get_state_display()}
            )

    def after_save_instance(self, instance, row, **kwargs):
        created = not permissions.maintained_resources(self.user).filter(pk=instance.pk).exists()
        if created:
            permissions.grant_maintainers(instance, self.unit.group)
        record(
            "catalogue.resource.imported",
            actor=self.user,
            target=instance,
            to_state=instance.state,
            details={"code": instance.code, "created": created, "row": kwargs.get("row_number", 0) + 1},
        )


class ItemSheet(GuardedRowsMixin, resources.ModelResource):
    resource = fields.Field(
        attribute="resource", column_name="资源代码", widget=ResourceCodeWidget(Resource, "code")
    )
    name = _field("name", "信息项名称")
    data_type = _field("data_type", "数据类型", ChoiceWidget(DataType.choices))
    length = fields.Field(attribute="length", column_name="长度", widget=LengthWidget())
    description = _field("description", "说明")
    extra_labels = {"normalized_name": "信息项名称", "__all__": ""}

    class Meta:
        model = DataItem
        import_id_fields = ["resource", "name"]
        fields = ["resource", "name", "data_type", "length", "description"]
        export_order = fields
        skip_diff = True
        use_transactions = False
        clean_model_instances = True

    def dehydrate_resource(self, item):
        return item.resource.code

    def get_instance(self, instance_loader, row):
        code = normalise_code(str(row.get("资源代码") or ""))
        name = normalise_item_name(str(row.get("信息项名称") or ""))
        if not code or not name:
            return None
        return DataItem.objects.filter(resource__code=code, normalized_name=name).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        resource = instance.resource
        if resource.provider_id != self.unit.pk or not permissions.can_maintain(self.user, resource):
            raise ValidationError(
                _("资源“%(code)s”不是本单位的资源，不能导入其信息项。") % {"code": resource.code}
            )
        if not resource.is_draft:
            raise ValidationError(
                _("资源“%(name)s”当前为“%(state)s”，只能向草稿导入信息项。")
                % {"name": resource.name, "state": resource.get_state_display()}
            )
        if instance.position == 0:
            instance.position = resource.items.count() + 1
