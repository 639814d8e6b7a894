"""How a refusal cites its rule: "依据《…》第N条（R-…），…" is built here, once, for every app.

Guards in catalogue, projects and approvals return their reason with the rule id and article
(STYLE habit 2); one sentence shape keeps the page, the log and the tests of all apps alike.
The shape goes through gettext: in English a refusal reads "Under the Sichuan Measures …, Article 20
(R-APP-2): …", with the article numbers converted from Chinese numerals.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

SC_RULES = "《四川省省级政务信息化项目管理办法》"
SHARE_LAW = "《政务信息资源共享管理暂行办法》（国发〔2016〕51号）"

SOURCES = {"川办法": SC_RULES, "国发〔2016〕51号": SHARE_LAW}
# The regulation names as an English reader sees them (the msgids are the Chinese titles).
SOURCE_LABELS = {
    "川办法": gettext_lazy("《四川省省级政务信息化项目管理办法》"),
    "国发〔2016〕51号": gettext_lazy("《政务信息资源共享管理暂行办法》（国发〔2016〕51号）"),
}

_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ARTICLE = re.compile(r"第([零一二两三四五六七八九十百]+)条")
_CLAUSE = re.compile(r"[（(]([零一二三四五六七八九十]+)[）)]")
_RANGE = re.compile(r"\)\s*至\s*\(")  # "(1)至(7)" once the clauses are numbered


def chinese_number(text: str) -> int:
    """二十二 → 22, 一百零五 → 105 (the numbers articles use)."""
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def article_label(article: str) -> str:
    """The article as the reader's language writes it: 第二十二条 stays, or becomes "Art. 22";
    a clause range 第八条（一）至（七） becomes "Art. 8(1)–(7)"."""
    if (get_language() or "zh-hans").startswith("zh"):
        return article
    text = _ARTICLE.sub(lambda m: f"Art. {chinese_number(m.group(1))}", article)
    text = _CLAUSE.sub(lambda m: f"({chinese_number(m.group(1))})", text)
    text = _RANGE.sub(")–(", text).replace("至", " to ")
    return text.replace("、", ", ").replace("及", " and ").replace("，", ", ")


def citation(rule: str, article: str, source: str = "川办法") -> str:
    """``依据《…》第N条（R-…）`` — the head of a refusal, for sentences that go on in their own way."""
    return _("依据%(law)s%(article)s（%(rule)s）") % {
        "law": SOURCE_LABELS[source],
        "article": article_label(article),
        "rule": rule,
    }


def cite(rule: str, article: str, message: str, source: str = "川办法") -> str:
    """The whole refusal: the citation, then what is wrong and what to do in plain language."""
    return _("%(citation)s，%(message)s") % {"citation": citation(rule, article, source), "message": message}
