"""How a refusal cites its rule: "依据《…》第N条（R-…），…" is built here, once, for every app.

Guards in catalogue, projects and approvals return their reason with the rule id and article
(STYLE habit 2); one sentence shape keeps the page, the log and the tests of all three alike.
Strings translated with ``gettext`` keep their own ``%(sc)s`` / ``%(law)s`` templates and take the
regulation names from here.
"""

from __future__ import annotations

SC_RULES = "《四川省省级政务信息化项目管理办法》"
SHARE_LAW = "《政务信息资源共享管理暂行办法》（国发〔2016〕51号）"

SOURCES = {"川办法": SC_RULES, "国发〔2016〕51号": SHARE_LAW}


def citation(rule: str, article: str, source: str = "川办法") -> str:
    """``依据《…》第N条（R-…）`` — the head of a refusal, for sentences that go on in their own way."""
    return f"依据{SOURCES[source]}{article}（{rule}）"


def cite(rule: str, article: str, message: str, source: str = "川办法") -> str:
    """The whole refusal: the citation, then what is wrong and what to do in plain Chinese."""
    return f"{citation(rule, article, source)}，{message}"
