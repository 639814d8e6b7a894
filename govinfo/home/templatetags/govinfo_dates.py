"""Dates as officials read them: 2026年11月24日 in Chinese, 24 Nov 2026 in the English interface.

Installed as a template builtin (settings.TEMPLATES), so every page may write ``{{ day|govdate }}``
or ``{{ moment|govdate:"time" }}``. Issued documents do not use it: a 公文 is always Chinese.
"""

from django import template
from django.template.defaultfilters import date as format_date
from django.utils import translation

register = template.Library()

FORMATS = {
    ("zh", False): "Y年n月j日",
    ("zh", True): "Y年n月j日 H:i",
    ("en", False): "j M Y",
    ("en", True): "j M Y H:i",
}


@register.filter(expects_localtime=True)
def govdate(value, arg: str = ""):
    if value in (None, ""):
        return ""
    language = "en" if (translation.get_language() or "").startswith("en") else "zh"
    return format_date(value, FORMATS[(language, arg == "time")])
