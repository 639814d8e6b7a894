"""What the review documents say: the 审核意见书 of a signed opinion, NDRC's 批复 and 不予批复函.

Only text is assembled here; numbering, layout, storage and verification are the document engine's
(``govinfo.documents``).

A decision is NDRC's text, not the unit's: the 批复 and the 不予批复函 are written from a
``DecisionDraft`` that NDRC edits. Its pre-fill takes the unit's texts only as summaries — the first
sentences up to ``PREFILL_LIMIT`` characters (a 10,000-character 主要任务 once made a 19-page 批复) — and
what anyone types into a decision or an opinion is capped (``DECISION_FIELD_LIMIT``, ``OPINION_TEXT_LIMIT``),
so no long text flows verbatim into a document.
"""

from __future__ import annotations

from govinfo.documents.issue import Heading
from govinfo.formats import official_date
from govinfo.orgs.models import Agency
from projects.models import FundChannel, Project
from projects.money import yuan_to_wan

from .models import DecisionDraft, Opinion, ReviewRound, ReviewStage

# The name of the reviewed document as it stands in a title: 关于《X实施方案》的批复 (DOMAIN §4).
STAGE_DOCUMENT = {
    ReviewStage.IMPLEMENTATION: "实施方案",
    ReviewStage.FEASIBILITY: "可行性研究报告",
    ReviewStage.PRELIMINARY_DESIGN: "初步设计",
    ReviewStage.SERVICE_PLAN: "服务需求方案",
}
CHINESE_NUMBERS = "一二三四五六七八九十"

# One pre-filled paragraph taken from a unit's (or a reviewer's) text: its first sentences up to this length.
PREFILL_LIMIT = 200
# What NDRC may type into one part of a decision, and the 抄送 list.
DECISION_FIELD_LIMIT = 2000
CC_LIMIT = 20
CC_NAME_LIMIT = 60
# What a reviewer may type into an opinion (its 审核意见书 stays a few pages).
OPINION_TEXT_LIMIT = 5000
OPINION_CONDITIONS_LIMIT = 2000

SENTENCE_ENDS = "。！？；!?;"
ELLIPSIS = "……"


def _wan(yuan) -> str:
    return f"{yuan_to_wan(yuan):,.2f}万元" if yuan is not None else "（未填报）"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def reviewed_document(project: Project, stage: str) -> str:
    return f"《{project.name}{STAGE_DOCUMENT[ReviewStage(stage)]}》"


def approval_title(project: Project, stage: str) -> str:
    return f"关于{reviewed_document(project, stage)}的批复"


def opinion_title(project: Project, stage: str, agency: Agency | None = None) -> str:
    """关于《X实施方案》的信息安全审核意见: each agency's own kind of opinion (第二十二条, R-REV-1)."""
    kind = agency.opinion_title if agency is not None and agency.opinion_title else "审核意见"
    return f"关于{reviewed_document(project, stage)}的{kind}"


def summary(text: str, limit: int = PREFILL_LIMIT) -> str:
    """The first sentences of ``text`` that fit in ``limit`` characters (lines joined). A first sentence
    longer than the limit is cut and ends with ……; a text within the limit is kept whole."""
    flat = "".join(_paragraphs(text))
    if len(flat) <= limit:
        return flat
    end = max(flat.rfind(mark, 0, limit) for mark in SENTENCE_ENDS)
    if end >= 0:
        return flat[: end + 1]
    return flat[: limit - len(ELLIPSIS)] + ELLIPSIS


def opinion_body(opinion: Opinion) -> list:
    task = opinion.task
    round = task.round
    project = round.project
    body: list = [
        f"{project.lead_unit.name}报送的{reviewed_document(project, round.stage)}（项目代码：{project.code}）"
        f"收悉。经审核，现提出意见如下：",
        Heading(1, "一、审核结论"),
        f"{opinion.get_conclusion_display()}。",
        Heading(1, "二、审核意见"),
        *_paragraphs(opinion.text),
    ]
    if opinion.conditions.strip():
        body += [Heading(1, "三、修改意见和有关要求"), *_paragraphs(opinion.conditions)]
    if opinion.supersedes_id:
        old = opinion.supersedes
        reference = f"（{old.document.doc_number}）" if old.document_id else ""
        body.append(
            f"本意见更正本机构{official_date(old.signed_at)}出具的审核意见{reference}，原意见不再作为审批依据。"
        )
    return body


def _fund_channels(project: Project) -> str:
    labels = [str(FundChannel(code).label) for code in project.fund_channels if code in FundChannel.values]
    return "、".join(labels) or "（未填报）"


def _agency_name(opinion: Opinion) -> str:
    return opinion.task.agency.short_name or opinion.task.agency.name


def _consulted(opinions: list[Opinion]) -> str:
    return "、".join(_agency_name(opinion) for opinion in opinions if opinion.task.agency.code != "ndrc")


def _what(stage: str) -> str:
    return STAGE_DOCUMENT[ReviewStage(stage)]


# -- the pre-fill of NDRC's decision texts ------------------------------------------------------------


def _investment_word(stage: str) -> str:
    # 可研 estimates (估算), the 初步设计 budgets (概算) the investment.
    return {ReviewStage.FEASIBILITY: "估算总投资", ReviewStage.PRELIMINARY_DESIGN: "概算总投资"}.get(
        ReviewStage(stage), "总投资"
    )


def _standard_requirement(stage: str) -> str:
    if stage == ReviewStage.FEASIBILITY:
        return (
            "请据此编制项目初步设计方案（含投资概算）报我委审批。初步设计方案内容调整超出本批复的，"
            "应以独立章节说明调整内容及理由；存在重大变更的，应重新报批可行性研究报告。"
        )
    return (
        "项目单位要严格按照批复的建设内容、规模和投资组织实施，落实网络安全等级保护和商用密码应用"
        "安全性评估要求；建设完成并试运行满三个月后，按规定申请验收。"
    )


def approval_prefill(project: Project, round: ReviewRound, opinions: list[Opinion]) -> dict[str, str]:
    """The 批复's parts as NDRC finds them on opening the draft: NDRC's standard wording around short
    summaries of the application and of the signed opinions' conditions (each ≤ ``PREFILL_LIMIT``)."""
    what = _what(round.stage)
    construction = [f"原则同意该项目{what}提出的建设目标和主要内容。"]
    if project.main_tasks.strip():
        construction.append(f"项目主要建设任务：{summary(project.main_tasks)}")
    if project.application_summary.strip():
        construction.append(f"应用系统建设内容：{summary(project.application_summary)}")
    investment = [
        f"项目{_investment_word(round.stage)}{_wan(project.total_investment)}，"
        f"年度运行维护经费{_wan(project.om_funding)}。资金来源：{_fund_channels(project)}。"
    ]
    if project.funding_note.strip():
        investment.append(summary(project.funding_note))
    requirements = []
    conditioned = [opinion for opinion in opinions if opinion.conditions.strip()][: len(CHINESE_NUMBERS) - 1]
    for index, opinion in enumerate(conditioned):
        requirements.append(
            f"（{CHINESE_NUMBERS[index]}）{_agency_name(opinion)}意见：{summary(opinion.conditions)}"
        )
    standard = _standard_requirement(round.stage)
    requirements.append(f"（{CHINESE_NUMBERS[len(conditioned)]}）{standard}" if conditioned else standard)
    return {
        "construction": "\n".join(construction),
        "investment": "\n".join(investment),
        "schedule": f"项目建设期以经批复的{what}确定的实施计划为准，自本批复印发之日起计算。",
        "requirements": "\n".join(requirements),
        "cc": "\n".join(approval_cc(opinions)),
    }


def rejection_prefill(project: Project, round: ReviewRound, opinions: list[Opinion]) -> dict[str, str]:
    """The 不予批复函's reasons start from the current 不同意 opinions (summarised); NDRC writes the rest."""
    against = [opinion for opinion in opinions if opinion.conclusion == "disagree"]
    reasons = [
        f"（{CHINESE_NUMBERS[index]}）{_agency_name(opinion)}审核意见：{summary(opinion.text)}"
        for index, opinion in enumerate(against[:10])
    ]
    return {"reasons": "\n".join(reasons), "cc": "\n".join(approval_cc(opinions))}


# -- the documents written from NDRC's draft ----------------------------------------------------------


def _numbered_head(line: str) -> Heading | None:
    """A line that starts （一）… is a level-2 heading: its text up to the first ：or 。, the rest run in."""
    if not line.startswith("（") or "）" not in line[:6]:
        return None
    numeral = line[1 : line.index("）")]
    if not numeral or any(char not in CHINESE_NUMBERS for char in numeral):
        return None
    marks = [position for position in (line.find("："), line.find("。")) if 0 < position <= 40]
    if not marks:
        numbered = line.index("）") + 1
        return Heading(2, line[:numbered], line[numbered:])
    end = min(marks) + 1
    head = line[:end]
    return Heading(2, head[:-1] + "。" if head.endswith("：") else head, line[end:])


def _blocks(text: str) -> list:
    return [_numbered_head(line) or line for line in _paragraphs(text)]


def rejection_title(project: Project, stage: str) -> str:
    return f"关于{reviewed_document(project, stage)}不予批复的函"


APPROVAL_PARTS = (
    ("construction", "建设内容与规模"),
    ("investment", "总投资及资金来源"),
    ("schedule", "建设期限"),
    ("requirements", "有关要求"),
)


def _how_evaluated(evaluation) -> str:
    """第二十四条: the 批复 follows the 评估论证 — said the way the round had it done."""
    if evaluation is None:
        return "经研究"
    if evaluation.method == "third_party":
        return (
            f"经委托{evaluation.institution}评估论证"
            if evaluation.institution
            else "经第三方咨询评估机构评估论证"
        )
    if evaluation.method == "experts":
        return "经组织专家评估论证"
    return "经组织相关部门评估论证"


def approval_body(
    project: Project,
    round: ReviewRound,
    draft: DecisionDraft,
    opinions: list[Opinion],
    evaluation=None,
    consent=None,
) -> list:
    """The 批复's body from NDRC's draft: headings 一、二、… numbered over the parts that have text. The
    opening says how the application was evaluated and whose opinions were sought (第二十二、二十四条), and
    the provincial government's consent where the project needed it."""
    consulted = _consulted(opinions)
    opening = _how_evaluated(evaluation)
    if consulted:
        opening += f"，并征求{consulted}意见"
    if consent is not None:
        opening += f"，报经省人民政府同意（{consent.doc_number}）"
    body: list = [
        f"你单位报送的{reviewed_document(project, round.stage)}（项目代码：{project.code}）及有关材料收悉。"
        f"{opening}，现批复如下："
    ]
    heads = iter(CHINESE_NUMBERS)
    for name, title in APPROVAL_PARTS:
        text = getattr(draft, name)
        if text.strip():
            body += [Heading(1, f"{next(heads)}、{title}"), *_blocks(text)]
    body.append("此复。")
    return body


def rejection_body(
    project: Project, round: ReviewRound, draft: DecisionDraft, opinions: list[Opinion]
) -> list:
    """The 不予批复函 (R-REV-6: a decision produces a document): NDRC's reasons, and what follows."""
    consulted = _consulted(opinions)
    return [
        f"你单位报送的{reviewed_document(project, round.stage)}（项目代码：{project.code}）及有关材料收悉。"
        + (f"经研究，并征求{consulted}意见，" if consulted else "经研究，")
        + "决定不予批复。现将有关情况函告如下：",
        Heading(1, "一、不予批复的理由"),
        *_blocks(draft.reasons),
        Heading(1, "二、有关事项"),
        "该项目本次申报审查终结。确有建设需要的，请按照《四川省省级政务信息化项目管理办法》的规定"
        "重新研究论证后另行申报。",
        "特此函告。",
    ]


def approval_cc(opinions: list[Opinion]) -> list[str]:
    """抄送: the reviewing agencies (every agency with a task but NDRC itself)."""
    names = []
    for opinion in opinions:
        agency: Agency = opinion.task.agency
        if agency.code != "ndrc":
            names.append(agency.short_name or agency.name)
    return names
