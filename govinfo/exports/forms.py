"""The filter form of an export: the page's filters, only those the exporter honours."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.models import Agency, Unit

from .registry import Exporter


def _common_fields(exporter: Exporter) -> dict[str, forms.Field]:
    return {
        "year": forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2100),
        "unit": forms.ModelChoiceField(
            label=_("项目单位"), queryset=Unit.objects.order_by("name"), required=False, empty_label=_("全部")
        ),
        "agency": forms.ModelChoiceField(
            label=_("审核机构"),
            queryset=Agency.objects.order_by("sort_order", "code"),
            required=False,
            empty_label=_("全部"),
        ),
        "state": forms.ChoiceField(
            label=_("状态"), required=False, choices=[("", _("全部")), *exporter.state_choices]
        ),
        "amount_min": forms.DecimalField(
            label=_("金额不低于（万元）"), required=False, min_value=0, decimal_places=2, max_digits=14
        ),
        "amount_max": forms.DecimalField(
            label=_("金额不高于（万元）"), required=False, min_value=0, decimal_places=2, max_digits=14
        ),
        "date_from": forms.DateField(
            label=_("%(what)s自") % {"what": exporter.date_label},
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        ),
        "date_to": forms.DateField(
            label=_("%(what)s至") % {"what": exporter.date_label},
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        ),
    }


def filter_form(exporter: Exporter, data=None) -> forms.Form:
    """A bound (or unbound) form with the filters ``exporter`` honours, in the common order."""
    available = {**_common_fields(exporter), **exporter_fields(exporter)}
    fields = {name: available[name] for name in exporter.honoured_filters() if name in available}
    form_class = type("ExportFilterForm", (forms.Form,), fields)
    return form_class(data or None)


def exporter_fields(exporter: Exporter) -> dict[str, forms.Field]:
    """An exporter's own filters (the audit trail's actor, action, case), if it declares any."""
    own = getattr(exporter, "filter_fields", None)
    return own() if callable(own) else {}


def cleaned_filters(exporter: Exporter, data) -> dict:
    """The valid filters among ``data`` (an invalid one is dropped, not fatal: the page says why)."""
    form = filter_form(exporter, data)
    if not form.is_bound:
        return {}
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}


def filters_as_json(filters: dict) -> dict:
    """Filters in a form a background job can carry (model choices by pk, dates as ISO text)."""
    plain = {}
    for name, value in filters.items():
        if hasattr(value, "pk"):
            plain[name] = value.pk
        elif hasattr(value, "isoformat"):
            plain[name] = value.isoformat()
        else:
            plain[name] = str(value)
    return plain
