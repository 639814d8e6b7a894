"""Amounts: stored in yuan (Decimal), entered and shown in 万元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _

YUAN_PER_WAN = Decimal(10000)
CENT = Decimal("0.01")


def yuan_to_wan(yuan: Decimal | None) -> Decimal | None:
    if yuan is None:
        return None
    return (Decimal(yuan) / YUAN_PER_WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def format_wan(yuan) -> str:
    """1500000000 → '150,000.00 万元' (in English '150,000.00 (10k yuan)'); empty for no amount."""
    if yuan in (None, ""):
        return ""
    try:
        return _("%(amount)s 万元") % {"amount": f"{yuan_to_wan(Decimal(yuan)):,.2f}"}
    except (InvalidOperation, TypeError, ValueError):
        return ""


class WanYuanField(forms.DecimalField):
    """A form field in 万元 whose cleaned value is yuan."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 6)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Initial values come from the model in yuan (Decimal); bound data is the user's 万元 text.
        if isinstance(value, Decimal):
            return f"{(value / YUAN_PER_WAN).normalize():f}"
        return value

    def clean(self, value):
        wan = super().clean(value)
        if wan is None:
            return None
        return (wan * YUAN_PER_WAN).quantize(CENT, rounding=ROUND_HALF_UP)
