"""What a 验收意见 (or, for a 购买服务 project, NDRC's 审核意见 on the unit's acceptance) says, built from the
data. Only text is assembled here; numbering, layout, storage and verification are the document engine's.

Issued documents are always Chinese (they are the official record), so nothing here is translated. The
unit's own texts never flow in verbatim; NDRC's opinion and rectification items are capped by the service.
"""

from __future__ import annotations

from approvals.letters import CHINESE_NUMBERS
from govinfo.documents.issue import Heading
from govinfo.formats import official_date
from projects.models import Project
from projects.money import yuan_to_wan

from .models import REQUIRED_MATERIALS, Acceptance, AcceptanceMaterialKind, TrialRun

LEADING_GROUP_OFFICE = "四川省人民政府办公厅（省政府信息化建设领导小组办公室）"
CC = [LEADING_GROUP_OFFICE, "四川省财政厅", "四川省大数据中心"]


def title(project: Project, acceptance: Acceptance) -> str:
    if acceptance.kind == Acceptance.Kind.PURCHASE:
        return f"关于{project.name}验收结果的审核意见"
    return f"关于{project.name}竣工验收的意见"


def _numbered(index: int) -> str:
    if index <= len(CHINESE_NUMBERS):
        return f"（{CHINESE_NUMBERS[index - 1]}）"
    return f"（{index}）"


def _method(acceptance: Acceptance) -> str:
    if acceptance.method == Acceptance.Method.THIRD_PARTY:
        return f"我委委托{acceptance.third_party_name}进行了评估"
    if acceptance.method == Acceptance.Method.EXPERTS:
        names = [
            inv.expert.display_name for inv in acceptance.round.expert_invitations.select_related("expert")
        ]
        return f"我委组织专家（{'、'.join(names)}）进行了评审" if names else "我委组织专家进行了评审"
    if acceptance.method == Acceptance.Method.DEPARTMENTS:
        return f"我委会同{acceptance.departments or '相关部门'}进行了验收"
    return "我委进行了审核"


def _facts(project: Project, acceptance: Acceptance, trial: TrialRun | None) -> str:
    facts = f"项目代码：{project.code}。" if project.code else ""
    if project.total_investment is not None:
        facts += f"项目批复总投资{yuan_to_wan(project.total_investment):,.2f}万元。"
    if trial is not None:
        facts += f"项目于{official_date(trial.started_on)}完成建设内容并投入试运行。"
    if acceptance.kind == Acceptance.Kind.PURCHASE:
        facts += f"你单位于{official_date(acceptance.unit_accepted_on or acceptance.applied_at)}组织了验收。"
    else:
        names = "、".join(str(AcceptanceMaterialKind(kind).label) for kind in REQUIRED_MATERIALS)
        facts += f"你单位报送了{names}等验收资料。"
    if acceptance.number > 1:
        facts += f"本次为整改后第{acceptance.number}次申请验收。"
    return facts


def body(project: Project, acceptance: Acceptance, trial: TrialRun | None, *, passed: bool) -> list:
    blocks: list = [
        f"你单位{official_date(acceptance.applied_at)}报来的{project.name}验收申请收悉。{_method(acceptance)}。"
        "现将有关意见函告如下：",
        Heading(1, "一、验收情况"),
        _facts(project, acceptance, trial),
        Heading(1, "二、验收结论"),
    ]
    if passed:
        if acceptance.kind == Acceptance.Kind.PURCHASE:
            blocks.append("经审核，同意你单位组织的验收结论，项目验收合格。")
        else:
            blocks.append("项目完成了批复的建设内容，经3个月以上试运行正常，验收资料齐全，同意通过竣工验收。")
        if acceptance.opinion:
            blocks.append(acceptance.opinion)
        blocks += [
            Heading(1, "三、有关要求"),
            "（一）请通过政务信息化项目备案登记平台向领导小组办公室报备验收情况。",
            "（二）请在项目投入运行后12至24个月内开展自评价，并将评价报告报送我委和财政厅。",
            "（三）请做好系统运行维护、网络安全和信息资源共享工作。",
        ]
        return blocks
    blocks.append("经审核，项目暂不具备验收条件，验收不合格。")
    if acceptance.opinion:
        blocks.append(acceptance.opinion)
    blocks.append(Heading(1, "三、整改要求"))
    for index, item in enumerate(acceptance.items, start=1):
        blocks.append(f"{_numbered(index)}{item}")
    due = (
        f"请于{official_date(acceptance.rectify_by)}前完成整改并重新申请验收。"
        if acceptance.rectify_by
        else "请完成整改后重新申请验收。"
    )
    blocks.append(
        due + "整改完成并经验收合格前，依据《四川省省级政务信息化项目管理办法》第三十二条，"
        "不安排该项目运行维护经费和政务云资源，不批准你单位新增项目。"
    )
    return blocks
