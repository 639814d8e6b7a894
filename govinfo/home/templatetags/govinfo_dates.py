"""Dates as officials read them: 2026年11月24日 in Chinese, 24 Nov 2026 in the English interface.

Installed as a template builtin (settings.TEMPLATES), so every page may write ``{{ day|govdate }}``
or ``{{ moment|govdate:"time" }}``. Issued documents do not use it: a 公文 is always Chinese.
"""

from django import template

from govinfo.formats import display_date

register = template.Library()


@register.filter(expects_localtime=True)
def govdate(value, arg: str = ""):
    if value in (None, ""):
        return ""
    return display_date(value, with_time=arg == "time")
