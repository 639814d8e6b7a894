"""The 不予立项 checklist of 川办法 第八条(一)–(七) (R-APP-5), answered by the applicant.

Each answer is "yes" or "no"; a "yes" needs the legal basis that nevertheless allows the project
("法律法规有明确规定的除外"). The questions repeat the clauses whole: (四) names every common system the
article lists — 物流配套 and "执法检查类系统及相关模块" included. An earlier wording of (四) left those out;
its answers were kept under the code ``duplicate_common`` and are not counted for the full question
(``common_systems``), so an application answered against the shorter text is asked (四) again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from govinfo.rules import article_label


@dataclass(frozen=True)
class ExclusionItem:
    code: str
    clause: str  # （一） … of 第八条
    question: object

    @property
    def article(self) -> str:
        """第八条（一）, or "Art. 8(1)" in English."""
        return article_label(f"第八条{self.clause}")


ITEMS = [
    ExclusionItem(
        "machine_room",
        "（一）",
        _(
            "是否新建或扩建非涉密机房、数据中心、私有云平台，或新增非涉密服务器、存储设备、服务端网络设备等硬件？"
        ),
    ),
    ExclusionItem(
        "dedicated_line",
        "（二）",
        _(
            "是否租赁互联网出口线路、未整合到电子政务内网或外网的专网，或建设未纳入电子政务外网统一监管的终端安全防护？"
        ),
    ),
    ExclusionItem(
        "not_on_cloud",
        "（三）",
        _("非涉密新建项目是否未部署到省级政务云，或非涉密升级改造项目是否未迁移到省级政务云？"),
    ),
    ExclusionItem(
        "common_systems",
        "（四）",
        _(
            "是否新建或扩建数字证书、电子证照、电子签章、公共支付、物流配套、通知消息、咨询投诉等共性系统，"
            "或政府网站支撑平台、独立封装的移动客户端、大数据处理分析平台、执法检查类系统及相关模块？"
        ),
    ),
    ExclusionItem(
        "not_connected",
        "（五）",
        _(
            "政务服务、公共服务类项目是否未接入数据共享交换平台、一体化政务服务平台，或非涉密办公、决策辅助类项目是否未接入统一协同办公平台？"
        ),
    ),
    ExclusionItem(
        "unclear_goals",
        "（六）",
        _(
            "是否存在需求或绩效目标不明确、内部系统整合不到位、数据目录普查不到位、数据共享要求或信息安全保障不到位的情况？"
        ),
    ),
    ExclusionItem(
        "not_shared",
        "（七）",
        _("是否属于非共建共享共用的信息基础设施、应用支撑平台、数据资源等项目？"),
    ),
]

BY_CODE = {item.code: item for item in ITEMS}
YES, NO = "yes", "no"


def answer(project, code: str) -> tuple[str, str]:
    entry = (project.exclusion_answers or {}).get(code) or {}
    return entry.get("answer", ""), (entry.get("basis") or "").strip()
