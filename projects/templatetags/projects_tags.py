from django import template

from ..money import format_wan

register = template.Library()


@register.filter
def wanyuan(yuan) -> str:
    """Show an amount stored in yuan as 万元 with two decimals."""
    return format_wan(yuan) or "—"


@register.filter
def state_label(value: str) -> str:
    from ..models import State

    try:
        return str(State(value).label)
    except ValueError:
        return value
