"""The R-CAT rules in words: every refusal the catalogue gives cites its rule id and article.

Guards return these strings (STYLE habit 2) so that the message shown, the log and the test agree.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govinfo.rules import SOURCE_LABELS

SC_RULES = SOURCE_LABELS["川办法"]
SHARE_LAW = SOURCE_LABELS["国发〔2016〕51号"]

# The answer period for 有条件共享 requests and for data objections, in working days.
ANSWER_WORKING_DAYS = 10

R_CAT_2_CONDITION_FIELD = _("有条件共享须填写（R-CAT-2，国发〔2016〕51号第九条）。")
R_CAT_2_BASIS_FIELD = _(
    "不予共享须填写法律、行政法规或党中央、国务院政策依据（R-CAT-2，国发〔2016〕51号第九条）。"
)


def sharing_attribute_errors(share_type: str, condition: str, scope: str, basis: str) -> dict[str, str]:
    """Field → error for 共享属性 that R-CAT-2 requires; empty when complete."""
    from .models import ShareType

    errors: dict[str, str] = {}
    if share_type == ShareType.CONDITIONAL:
        if not (condition or "").strip():
            errors["share_condition"] = str(R_CAT_2_CONDITION_FIELD)
        if not (scope or "").strip():
            errors["share_scope"] = str(R_CAT_2_CONDITION_FIELD)
    if share_type == ShareType.NONE and not (basis or "").strip():
        errors["legal_basis"] = str(R_CAT_2_BASIS_FIELD)
    return errors


def r_cat_2_not_shared(basis: str) -> str:
    return str(
        _(
            "该资源为“不予共享”类，不能申请共享。依据%(law)s第九条及%(sc)s第十一条（R-CAT-2），"
            "不予共享须有法律、行政法规或政策依据，提供部门登记的依据为：%(basis)s"
        )
        % {"law": SHARE_LAW, "sc": SC_RULES, "basis": basis or _("（未填写）")}
    )


def r_cat_3_answer_period() -> str:
    return str(
        _(
            "依据%(law)s第十二条（R-CAT-3），有条件共享的申请由提供部门在%(n)d个工作日内答复；"
            "逾期未答复的记为提供部门的共享违规（%(sc)s第三十三条）。"
        )
        % {"law": SHARE_LAW, "n": ANSWER_WORKING_DAYS, "sc": SC_RULES}
    )


R_CAT_3_REFUSAL_REASON_REQUIRED = _(
    "不同意共享须说明理由（R-CAT-3，国发〔2016〕51号第十二条：对不予共享的，提供部门应说明理由）。"
)


def r_cat_4_not_a_user() -> str:
    return str(
        _(
            "只有使用该资源的单位（无条件共享资源，或本单位的共享申请已获同意）才能提出数据反馈或异议"
            "（R-CAT-4，%(sc)s第十一条：建立共享信息使用情况反馈机制）。"
        )
        % {"sc": SC_RULES}
    )


def r_cat_4_answer_period() -> str:
    return str(
        _(
            "数据反馈与异议由提供部门在%(n)d个工作日内答复（R-CAT-4，%(sc)s第十一条；"
            "本系统采用与共享申请相同的答复期限）。"
        )
        % {"n": ANSWER_WORKING_DAYS, "sc": SC_RULES}
    )


NEEDS_ITEMS = _(
    "资源须至少登记一个信息项才能报送发布（《政务信息资源目录编制指南（试行）》：信息项为目录必备要素）。"
)
