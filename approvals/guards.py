"""The review rules as guards: each returns the failures it finds, with rule id and article (STYLE habit 2).

``decision_failures`` is what NDRC's approve / reject buttons ask: R-REV-1 (every agency required by
default has a task in the round — one opened before an agency became required gets it added), R-REV-3 (every required opinion
signed, none 不同意 unless a later signed opinion of the same agency supersedes it) and R-REV-4 (the
experts NDRC invited have given their evaluation). A 批复 also needs (R-REV-4, 第二十四条) the round's
评估论证 recorded and complete, and, for a project flagged for 省政府审定, the government's consent; and the
unit must not be barred from new projects (R-APP-4, 第三十二条 "不批准项目单位新增项目", asked of
``projects.checks.blocked_unit_failures`` so the bar reads the same at submission and at approval).
A 不予批复 needs none of these.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from govinfo.errors import Failure
from govinfo.formats import series
from govinfo.orgs.models import Agency
from projects.checks import blocked_unit_failures

from .models import (
    Conclusion,
    Evaluation,
    GovernmentConsent,
    GovernmentReview,
    Opinion,
    ReviewRound,
    ReviewTask,
)

ART_REV_1 = "第十七条、第二十二条"
ART_REV_2 = "第二十二条"
ART_REV_3 = "第二十二条、第二十四条"
ART_REV_4 = "第二十四条"
ART_REV_5 = "第二十二条"


def current_opinions(round: ReviewRound) -> dict[int, Opinion]:
    """Task id → its agency's current opinion: the latest signed one (a correction supersedes)."""
    current: dict[int, Opinion] = {}
    signed = Opinion.objects.signed().filter(task__round=round).order_by("signed_at", "id")
    for opinion in signed.select_related("task__agency"):
        current[opinion.task_id] = opinion
    return current


def r_rev_1_every_required_agency_consulted(round: ReviewRound) -> list[Failure]:
    """第二十二条: NDRC decides only after asking every agency required by default. A round opened before an
    agency became required (e.g. before orgs migration 0004) lacks its task: NDRC adds it to the round."""
    missing = list(
        Agency.objects.active()
        .filter(reviews_by_default=True)
        .exclude(review_tasks__round=round)
        .order_by("sort_order", "code")
    )
    if not missing:
        return []
    return [
        Failure(
            "R-REV-1",
            ART_REV_2,
            _("本轮审查尚未征求%(agencies)s的意见，请增派审核机构并待其出具意见后再作决定。")
            % {"agencies": "、".join(agency.display_name for agency in missing)},
        )
    ]


def r_rev_3_all_opinions_signed(round: ReviewRound) -> list[Failure]:
    waiting = [
        task.agency.display_name
        for task in round.tasks.select_related("agency").order_by("agency__sort_order", "agency__code")
        if task.status != ReviewTask.Status.SIGNED
    ]
    if not waiting:
        return []
    return [
        Failure(
            "R-REV-3",
            ART_REV_3,
            _("以下机构的审核意见尚未签署：%(agencies)s，暂不能作出决定。") % {"agencies": series(waiting)},
        )
    ]


def r_rev_3_no_unsuperseded_disagreement(round: ReviewRound) -> list[Failure]:
    against = [
        opinion.task.agency.display_name
        for opinion in current_opinions(round).values()
        if opinion.conclusion == Conclusion.DISAGREE
    ]
    if not against:
        return []
    return [
        Failure(
            "R-REV-3",
            ART_REV_3,
            _("%(agencies)s出具了“不同意”审核意见且未被更正，不能批复；可退回修改或不予批复。")
            % {"agencies": series(against)},
        )
    ]


def r_rev_4_expert_opinions_in(round: ReviewRound) -> list[Failure]:
    waiting = [
        inv.expert.display_name
        for inv in round.expert_invitations.select_related("expert")
        if not inv.is_submitted
    ]
    if not waiting:
        return []
    return [
        Failure(
            "R-REV-4",
            ART_REV_4,
            _("已邀请的专家尚未提交评估意见：%(experts)s。") % {"experts": series(waiting)},
        )
    ]


def current_evaluation(round: ReviewRound | None) -> Evaluation | None:
    """The round's 评估论证: the latest NDRC recorded (an earlier record stays, replaced)."""
    if round is None:
        return None
    return round.evaluations.select_related("recorded_by").order_by("-recorded_at", "-id").first()


def government_review(project) -> GovernmentReview | None:
    """The project's 省政府审定 flag while it stands, else None."""
    return GovernmentReview.objects.filter(project=project, cleared_at__isnull=True).first()


def r_rev_4_evaluation_completed(round: ReviewRound) -> list[Failure]:
    """第二十四条: every 批复 follows a 评估论证 by departments, experts or a qualified third party."""
    evaluation = current_evaluation(round)
    if evaluation is None:
        return [
            Failure(
                "R-REV-4",
                ART_REV_4,
                _(
                    "批复前须完成评估论证：请记录本轮采用的评估论证方式（组织相关部门、专家，"
                    "或委托具备资质的第三方咨询评估机构）及其结果。"
                ),
            )
        ]
    if evaluation.method == Evaluation.Method.EXPERTS:
        submitted = [inv for inv in round.expert_invitations.all() if inv.is_submitted]
        if not submitted:
            return [
                Failure(
                    "R-REV-4",
                    ART_REV_4,
                    _("评估论证方式为专家评估，但本轮尚无专家提交评估意见，请邀请专家并待其提交。"),
                )
            ]
    return []


def r_rev_4_government_consent(round: ReviewRound) -> list[Failure]:
    """第二十四条: a project that must go to the provincial government is approved after its consent."""
    flag = government_review(round.project)
    if flag is None or GovernmentConsent.objects.filter(round=round).exists():
        return []
    return [
        Failure(
            "R-REV-4",
            ART_REV_4,
            _("本项目须报省政府审定（%(reason)s），请先记录省政府同意的文号和日期，再作出批复。")
            % {"reason": flag.reason.strip().rstrip("。")},
        )
    ]


def decision_failures(
    round: ReviewRound | None, *, approving: bool, blocked: list[Failure] | None = None
) -> list[Failure]:
    """Why NDRC may not decide now. ``blocked``: the unit's R-APP-4 bars when the caller has them already
    (``blocked_unit_failures(project)``; a page asks once and shows them too), else they are asked here."""
    if round is None:
        return [Failure("R-REV-3", ART_REV_3, _("项目没有正在进行的审查轮次，不能作出决定。"))]
    failures = r_rev_1_every_required_agency_consulted(round) + r_rev_3_all_opinions_signed(round)
    if approving:
        failures += r_rev_3_no_unsuperseded_disagreement(round)
    failures += r_rev_4_expert_opinions_in(round)
    if approving:
        failures += r_rev_4_evaluation_completed(round)
        failures += r_rev_4_government_consent(round)
        failures += blocked_unit_failures(round.project) if blocked is None else blocked
    return failures
