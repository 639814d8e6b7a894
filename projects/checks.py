"""The submit guard: independent checks, each returning the failures it finds (R-APP-1 … R-APP-12).

``submission_failures(project)`` runs them all, so the applicant learns every missing item at once.
A check takes the project and returns a list of ``Failure``; adding a rule means adding a function
to ``SUBMIT_CHECKS`` (the catalogue gate's R-APP-2, confirmed 重复采集 and 数据归集 R-APP-12 checks join
this way, and delivery's R-APP-4 blocked-unit check — overdue or failed acceptance, sharing violations,
security findings). The R-APP-4 checks also guard NDRC's 批复 (``blocked_unit_failures``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo.formats import clauses, series

from . import exclusions
from .guards import Failure
from .models import (
    ACCEPTED_STATES,
    ApprovalPath,
    MaterialKind,
    Mode,
    Project,
    TwoStepStage,
)

Check = Callable[[Project], list[Failure]]

_KINDS_CACHE = "_current_material_kinds"


def material_kinds(project: Project) -> set[str]:
    """Kinds with at least one uploaded version, read once per guard run."""
    cached = getattr(project, _KINDS_CACHE, None)
    if cached is None:
        cached = set(project.materials.values_list("kind", flat=True).distinct())
        setattr(project, _KINDS_CACHE, cached)
    return cached


def main_plan_kind(project: Project) -> str:
    """The application's main document: 服务需求方案 (第十九条), 实施方案 or 可研 / 初步设计 (第十八条)."""
    if project.implementation_mode == Mode.PURCHASE:
        return MaterialKind.SERVICE_PLAN
    if project.computed_approval_path() == ApprovalPath.TWO_STEP:
        if project.two_step_stage == TwoStepStage.PRELIMINARY_DESIGN:
            return MaterialKind.PRELIMINARY_DESIGN
        return MaterialKind.FEASIBILITY
    return MaterialKind.IMPLEMENTATION_PLAN


def _is_blank(value) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


def _missing(project: Project, fields: list[str]) -> list[str]:
    return [
        str(Project._meta.get_field(name).verbose_name)
        for name in fields
        if _is_blank(getattr(project, name))
    ]


def r_app_1_basic_information(project: Project) -> list[Failure]:
    missing = _missing(
        project,
        ["name", "category", "main_tasks", "basis_and_necessity", "performance_goals", "implementation_mode"],
    )
    if project.implementation_mode and not project.mode_reason.strip():
        missing.append(str(Project._meta.get_field("mode_reason").verbose_name))
    if not missing:
        return []
    return [
        Failure("R-APP-1", "第十六条", _("基本情况缺少：%(fields)s。") % {"fields": series(missing)}, "basic")
    ]


def r_app_1_technical_plan(project: Project) -> list[Failure]:
    missing = _missing(
        project, ["application_summary", "cloud_requirement", "security_level", "crypto_summary"]
    )
    if not missing:
        return []
    return [
        Failure(
            "R-APP-1", "第十六条", _("技术方案缺少：%(fields)s。") % {"fields": series(missing)}, "technical"
        )
    ]


def required_material_kinds(project: Project) -> list[str]:
    """Documents 第十六条(二) asks for, with the main plan the approval path needs."""
    return [
        main_plan_kind(project),
        MaterialKind.CLOUD_PLAN,
        MaterialKind.SECURITY_PLAN,
        MaterialKind.CRYPTO_PLAN,
        MaterialKind.CATALOGUE_EXPORT,
    ]


def r_app_1_technical_documents(project: Project) -> list[Failure]:
    have = material_kinds(project)
    missing = [str(MaterialKind(kind).label) for kind in required_material_kinds(project) if kind not in have]
    if not missing:
        return []
    return [
        Failure(
            "R-APP-1",
            "第十六条",
            _("技术方案缺少材料：%(kinds)s，请在“申报材料”中上传。") % {"kinds": series(missing)},
            "materials",
        )
    ]


def r_app_1_funding(project: Project) -> list[Failure]:
    missing = _missing(project, ["total_investment", "om_funding"])
    if not project.fund_channels:
        missing.append(str(Project._meta.get_field("fund_channels").verbose_name))
    if not missing:
        return []
    return [
        Failure(
            "R-APP-1", "第十六条", _("资金来源缺少：%(fields)s。") % {"fields": series(missing)}, "funding"
        )
    ]


def r_app_3_predecessor_accepted(project: Project) -> list[Failure]:
    """第八条（八）: an upgrade of a project not yet accepted is not approved. Naming an earlier project (原项目)
    makes the application an upgrade whatever ``is_upgrade`` says, so no tick can bypass the check."""
    if not (project.is_upgrade or project.names_predecessor):
        return []
    predecessor = project.predecessor
    if predecessor is not None:
        if predecessor.state in ACCEPTED_STATES:
            return []
        return [
            Failure(
                "R-APP-3",
                "第八条（八）",
                _("原项目“%(name)s”尚未通过验收（当前状态：%(state)s），其升级改造项目不能申报。")
                % {"name": predecessor.name, "state": predecessor.get_state_display()},
                "basic",
            )
        ]
    if project.predecessor_name.strip() and project.predecessor_acceptance_ref.strip():
        return []
    if project.predecessor_name.strip():
        return [
            Failure(
                "R-APP-3",
                "第八条（八）",
                _("已填写原项目“%(name)s”，本项目属于升级改造项目，须填写原项目的验收意见文号。")
                % {"name": project.predecessor_name.strip()},
                "basic",
            )
        ]
    return [
        Failure(
            "R-APP-3",
            "第八条（八）",
            _("升级改造项目须选择原项目，或填写本系统外原项目的名称及其验收意见文号。"),
            "basic",
        )
    ]


def r_app_5_exclusion_checklist(project: Project) -> list[Failure]:
    unanswered, without_basis = [], []
    for item in exclusions.ITEMS:
        given, basis = exclusions.answer(project, item.code)
        if given not in (exclusions.YES, exclusions.NO):
            unanswered.append(item.article)
        elif given == exclusions.YES and not basis:
            without_basis.append(item.article)
    failures = []
    if unanswered:
        failures.append(
            Failure(
                "R-APP-5",
                "第八条（一）至（七）",
                _("不予立项情形自查尚未作答：%(clauses)s。") % {"clauses": series(unanswered)},
                "exclusions",
            )
        )
    if without_basis:
        failures.append(
            Failure(
                "R-APP-5",
                "第八条（一）至（七）",
                _("存在原则上不予立项的情形（%(clauses)s），且未说明法律法规的明确规定，不能申报。")
                % {"clauses": series(without_basis)},
                "exclusions",
            )
        )
    return failures


def r_app_6_joint_scopes(project: Project) -> list[Failure]:
    participants = list(project.participants.select_related("unit"))
    if not participants:
        return []
    missing = [p.unit.display_name for p in participants if not p.scope.strip()]
    if not project.lead_scope.strip():
        missing.insert(0, _("%(unit)s（牵头）") % {"unit": project.lead_unit.display_name})
    if not missing:
        return []
    return [
        Failure(
            "R-APP-6",
            "第二十一条、第二十七条",
            _("跨部门共建项目须写明各单位的建设范围和责任，缺少：%(units)s。") % {"units": series(missing)},
            "participants",
        )
    ]


def r_app_7_purchase_conditions(project: Project) -> list[Failure]:
    if project.implementation_mode != Mode.PURCHASE:
        return []
    conditions = [
        "purchase_not_goods_or_works",
        "purchase_cheaper_than_self_build",
        "purchase_multiple_suppliers",
        "purchase_no_secrecy_conflict",
    ]
    failures = []
    unanswered = [
        str(Project._meta.get_field(name).verbose_name)
        for name in conditions
        if getattr(project, name) is None
    ]
    unmet = [
        str(Project._meta.get_field(name).verbose_name)
        for name in conditions
        if getattr(project, name) is False
    ]
    if unanswered:
        failures.append(
            Failure(
                "R-APP-7",
                "第十九条",
                _("购买服务条件尚未确认：%(conditions)s。") % {"conditions": clauses(unanswered)},
                "purchase",
            )
        )
    if unmet:
        failures.append(
            Failure(
                "R-APP-7",
                "第十九条",
                _("不满足政府购买服务条件：%(conditions)s。请改为自行建设或调整方案。")
                % {"conditions": clauses(unmet)},
                "purchase",
            )
        )
    if not project.purchase_comparison.strip():
        failures.append(
            Failure(
                "R-APP-7", "第十九条", _("购买服务项目须说明自建与购买服务方式的经济性比较。"), "purchase"
            )
        )
    return failures


def r_app_8_approval_path(project: Project) -> list[Failure]:
    if project.path_override and not project.path_override_reason.strip():
        return [
            Failure(
                "R-APP-8",
                "第十八条",
                _("选择按合并方式报批的特殊情形（%(case)s）须写明具体依据和理由。")
                % {"case": project.get_path_override_display()},
                "funding",
            )
        ]
    return []


def _design_exceeds(project: Project) -> bool:
    investment_up = (
        project.feasibility_approved_investment is not None
        and project.total_investment is not None
        and project.total_investment > project.feasibility_approved_investment
    )
    return bool(project.design_exceeds_feasibility) or investment_up


def r_app_9_design_changes(project: Project) -> list[Failure]:
    """第二十五条: the 初步设计 says whether its content or investment goes beyond the 可研 批复 (any change);
    beyond it, an independent chapter explains the changes; a major change goes back to 可研 approval
    (the ``return_to_feasibility`` step), and a 可研 submitted again carries its revised report."""
    stage = project.two_step_stage
    if project.computed_approval_path() != ApprovalPath.TWO_STEP:
        return []
    if stage == TwoStepStage.FEASIBILITY:
        return _r_app_9_feasibility_resubmitted(project)
    if project.design_exceeds_feasibility is None:
        return [
            Failure(
                "R-APP-9",
                "第二十五条",
                _(
                    "请在“初步设计调整”中回答：初步设计方案的建设内容、规模、技术方案或投资是否超出可行性研究报告批复。"
                ),
                "design",
            )
        ]
    if not _design_exceeds(project):
        return []
    if project.design_change_is_major:
        return [
            Failure(
                "R-APP-9",
                "第二十五条",
                _(
                    "初步设计方案存在重大变更，应重新报批可行性研究报告：请在“初步设计调整”中选择"
                    "“重新报批可行性研究报告”，项目回到可研阶段后修订并提交可研。"
                ),
                "design",
            )
        ]
    if MaterialKind.DESIGN_CHANGE not in material_kinds(project):
        return [
            Failure(
                "R-APP-9",
                "第二十五条",
                _(
                    "初步设计方案超出可行性研究报告批复，须以独立章节说明调整内容及理由"
                    "（上传“初步设计调整内容及理由”）。"
                ),
                "materials",
            )
        ]
    return []


def _r_app_9_feasibility_resubmitted(project: Project) -> list[Failure]:
    since = project.returned_to_feasibility_at
    if since is None:
        return []
    if project.materials.filter(kind=MaterialKind.FEASIBILITY, uploaded_at__gte=since).exists():
        return []
    return [
        Failure(
            "R-APP-9",
            "第二十五条",
            _("因初步设计重大变更重新报批可行性研究报告的，须上传修订后的可行性研究报告。"),
            "materials",
        )
    ]


def r_app_11_secure_reliable_statement(project: Project) -> list[Failure]:
    """第五十条: "在项目报批阶段，要对产品的安全可靠情况进行说明"."""
    missing = _missing(project, ["secure_reliable_status", "secure_reliable_note"])
    if not missing:
        return []
    return [
        Failure(
            "R-APP-11",
            "第五十条",
            _("报批须说明软硬件产品的安全可靠情况，缺少：%(fields)s。") % {"fields": series(missing)},
            "technical",
        )
    ]


def r_app_12_sharing_exemption_approved(project: Project) -> list[Failure]:
    """第十二条: a project that by the rules cannot share its information needs the 领导小组's approval."""
    if not project.data_sharing_exempt:
        return []
    missing = _missing(
        project, ["sharing_exemption_basis", "leading_group_approval_no", "leading_group_approval_date"]
    )
    if not missing and project.leading_group_approval_date > timezone.localdate():
        missing = [str(Project._meta.get_field("leading_group_approval_date").verbose_name)]
    if not missing:
        return []
    return [
        Failure(
            "R-APP-12",
            "第十二条",
            _("依据有关要求不能进行信息共享的项目，须报领导小组审核批准；请填写：%(fields)s。")
            % {"fields": series(missing)},
            "technical",
        )
    ]


def r_app_10_prior_approvals(project: Project) -> list[Failure]:
    if not project.needs_prior_approvals or MaterialKind.PRIOR_APPROVALS in material_kinds(project):
        return []
    return [
        Failure(
            "R-APP-10",
            "第二十三条",
            _(
                "项目含新建土建工程或属于高能耗项目，须上传节能评估、规划选址、用地预审、环境影响评价等审批文件。"
            ),
            "materials",
        )
    ]


SUBMIT_CHECKS: list[Check] = [
    r_app_1_basic_information,
    r_app_1_technical_plan,
    r_app_1_technical_documents,
    r_app_1_funding,
    r_app_3_predecessor_accepted,
    r_app_5_exclusion_checklist,
    r_app_6_joint_scopes,
    r_app_7_purchase_conditions,
    r_app_8_approval_path,
    r_app_9_design_changes,
    r_app_10_prior_approvals,
    r_app_11_secure_reliable_statement,
    r_app_12_sharing_exemption_approved,
]


def register(check: Check, *, after: Check | None = None) -> Check:
    """Add a check from another module (the catalogue gate registers R-APP-2 and R-APP-4 sharing).

    ``after`` places it behind a check already listed, so the refusal reads in rule order.
    """
    if check not in SUBMIT_CHECKS:
        if after in SUBMIT_CHECKS:
            SUBMIT_CHECKS.insert(SUBMIT_CHECKS.index(after) + 1, check)
        else:
            SUBMIT_CHECKS.append(check)
    return check


# R-APP-4 ("blocked unit"): the checks that bar a unit's new projects. They guard the submission (they are
# in SUBMIT_CHECKS too) and NDRC's 批复 (第三十二条 "不批准项目单位新增项目"; approvals' decision guard asks
# ``blocked_unit_failures``), so a unit barred while its project is in review does not get the 批复.
BLOCK_CHECKS: list[Check] = []


def register_block(check: Check) -> Check:
    """Add an R-APP-4 check (the catalogue gate's sharing violations): it guards submission and approval."""
    if check not in BLOCK_CHECKS:
        BLOCK_CHECKS.append(check)
    return check


def blocked_unit_failures(project: Project) -> list[Failure]:
    """Why the project's unit may not have new projects now (R-APP-4); empty when it may."""
    return [failure for check in BLOCK_CHECKS for failure in check(project)]


def submission_failures(project: Project) -> list[Failure]:
    """Every reason the project cannot be submitted now; empty when it can."""
    if hasattr(project, _KINDS_CACHE):
        delattr(project, _KINDS_CACHE)
    return [failure for check in SUBMIT_CHECKS for failure in check(project)]
