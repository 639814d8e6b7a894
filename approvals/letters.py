"""What the review documents say: the 审核意见书 of a signed opinion and NDRC's 批复, built from the data.

Only text is assembled here; numbering, layout, storage and verification are the document engine's
(``govinfo.documents``).
"""

from __future__ import annotations

from govinfo.documents.issue import Heading
from govinfo.formats import official_date
from govinfo.orgs.models import Agency
from projects.models import FundChannel, Project
from projects.money import yuan_to_wan

from .models import Opinion, ReviewRound, ReviewStage

# The name of the reviewed document as it stands in a title: 关于《X实施方案》的批复 (DOMAIN §4).
STAGE_DOCUMENT = {
    ReviewStage.IMPLEMENTATION: "实施方案",
    ReviewStage.FEASIBILITY: "可行性研究报告",
    ReviewStage.PRELIMINARY_DESIGN: "初步设计",
    ReviewStage.SERVICE_PLAN: "服务需求方案",
}
CHINESE_NUMBERS = "一二三四五六七八九十"


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


def approval_body(project: Project, round: ReviewRound, opinions: list[Opinion]) -> list:
    """The 批复's body, headings 一、二、… numbered in order; conditions come from the signed opinions."""
    consulted = "、".join(
        opinion.task.agency.short_name or opinion.task.agency.name
        for opinion in opinions
        if opinion.task.agency.code != "ndrc"
    )
    heads = iter(CHINESE_NUMBERS)
    body: list = [
        f"你单位报送的{reviewed_document(project, round.stage)}（项目代码：{project.code}）及有关材料收悉。"
        + (f"经研究，并征求{consulted}意见，现批复如下：" if consulted else "经研究，现批复如下：")
    ]
    what = (
        "可行性研究报告"
        if round.stage == ReviewStage.FEASIBILITY
        else STAGE_DOCUMENT[ReviewStage(round.stage)]
    )
    body += [
        Heading(1, f"{next(heads)}、建设内容"),
        f"原则同意该项目{what}提出的建设目标和主要内容。",
        *_paragraphs(project.main_tasks),
        *_paragraphs(project.application_summary),
        Heading(1, f"{next(heads)}、总投资及资金来源"),
        f"项目总投资{_wan(project.total_investment)}，年度运行维护经费{_wan(project.om_funding)}。"
        f"资金来源：{_fund_channels(project)}。",
        *_paragraphs(project.funding_note),
    ]
    conditions = [opinion for opinion in opinions if opinion.conditions.strip()]
    if conditions:
        body.append(Heading(1, f"{next(heads)}、审核意见落实要求"))
        for index, opinion in enumerate(conditions):
            name = opinion.task.agency.short_name or opinion.task.agency.name
            text = "".join(_paragraphs(opinion.conditions))
            body.append(Heading(2, f"（{CHINESE_NUMBERS[index]}）{name}意见。", text))
    body.append(Heading(1, f"{next(heads)}、有关要求"))
    if round.stage == ReviewStage.FEASIBILITY:
        body.append(
            "请据此编制项目初步设计方案（含投资概算）报我委审批。初步设计方案内容调整超出本批复的，"
            "应以独立章节说明调整内容及理由；存在重大变更的，应重新报批可行性研究报告。"
        )
    else:
        body.append(
            "项目单位要严格按照批复的建设内容、规模和投资组织实施，落实网络安全等级保护和商用密码应用"
            "安全性评估要求；建设完成并试运行满三个月后，按规定申请验收。"
        )
    body.append("此复。")
    return body


def approval_cc(opinions: list[Opinion]) -> list[str]:
    """抄送: the reviewing agencies (finance, cyberspace, bigdata and any added by NDRC)."""
    names = []
    for opinion in opinions:
        agency: Agency = opinion.task.agency
        if agency.code != "ndrc":
            names.append(agency.short_name or agency.name)
    return names
