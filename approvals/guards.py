"""The review rules as guards: each returns the failures it finds, with rule id and article (STYLE habit 2).

``decision_failures`` is what NDRC's approve / reject buttons ask: R-REV-3 (every required opinion
signed, none 不同意 unless a later signed opinion of the same agency supersedes it) and R-REV-4 (the
experts NDRC invited have given their evaluation).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from govinfo.errors import Failure
from govinfo.formats import series

from .models import Conclusion, Opinion, ReviewRound, ReviewTask

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


def decision_failures(round: ReviewRound | None, *, approving: bool) -> list[Failure]:
    if round is None:
        return [Failure("R-REV-3", ART_REV_3, _("项目没有正在进行的审查轮次，不能作出决定。"))]
    failures = r_rev_3_all_opinions_signed(round)
    if approving:
        failures += r_rev_3_no_unsuperseded_disagreement(round)
    failures += r_rev_4_expert_opinions_in(round)
    return failures
