"""NDRC's 评估论证 and the 省政府审定 of a project (R-REV-4, 川办法 第二十四条), one service per action.

第二十四条: "省发展改革委按程序组织相关部门、专家或委托具备资质的第三方咨询评估机构，对项目可行性研究报告、
初步设计方案、实施方案、服务需求方案进行评估论证后审核批复。按规定需报省政府审定的项目，由省发展改革委核报
省政府同意后按程序批复。"

- ``record_evaluation``: how the round's application was evaluated — by invited experts (their opinions are
  the ``ExpertInvitation`` rows; at least one must be in before the 批复 and none outstanding), by a
  third-party institution (its name and its report, checked like an application material), or by
  相关部门 (which departments and what they concluded, in the note).
- ``flag_government_review`` / ``clear_government_review``: the project must go to the provincial
  government, with the reason (or the flag was set by mistake, with the reason for lifting it).
- ``record_government_consent``: the government's consent (document number and date) to the round's 批复.

None changes a state: each holds the case's lock (``workflow.hold``), checks who may (NDRC only; every other
role is refused) and writes one audit event. The decision guard (``guards.decision_failures``) reads them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo import workflow
from govinfo.audit import trail
from govinfo.documents.files import atomic_with_files, track
from govinfo.errors import NotAllowed, Refused
from govinfo.formats import display_date
from projects.materials import check_upload
from projects.models import Project
from projects.permissions import require

from . import permissions
from .guards import government_review
from .models import Evaluation, GovernmentConsent, GovernmentReview, ReviewRound


def _held(project: Project, doing) -> tuple[Project, ReviewRound | None]:
    fresh = workflow.hold(project, doing=doing, expected_state=None)
    return fresh, permissions.open_round(fresh)


@atomic_with_files
def record_evaluation(
    project: Project,
    *,
    by,
    method: str,
    institution: str = "",
    report=None,
    note: str = "",
) -> Evaluation:
    """NDRC records how the open round's application was evaluated (R-REV-4)."""
    fresh, round = _held(project, _("记录评估论证"))
    require(permissions.may_record_evaluation(by, fresh))
    institution, note = (institution or "").strip(), (note or "").strip()
    if method not in Evaluation.Method.values:
        raise Refused(_("请选择评估论证方式：组织相关部门、专家，或委托第三方咨询评估机构。"))
    evaluation = Evaluation(round=round, method=method, note=note, recorded_by=by)
    if method == Evaluation.Method.EXPERTS:
        if not round.expert_invitations.exists():
            raise Refused(_("采用专家评估论证的，请先邀请专家（第二十四条，R-REV-4）。"))
    elif method == Evaluation.Method.THIRD_PARTY:
        if not institution:
            raise Refused(_("委托第三方咨询评估机构的，须填写机构名称（第二十四条，R-REV-4）。"))
        if report is None:
            raise Refused(_("委托第三方咨询评估机构的，须上传其评估报告（第二十四条，R-REV-4）。"))
        evaluation.institution = institution
    elif not note:
        raise Refused(_("组织相关部门评估论证的，须写明参加的部门及评估论证意见（第二十四条，R-REV-4）。"))
    if report is not None:
        try:
            checked = check_upload(report)
        except ValidationError as exc:
            raise Refused("；".join(exc.messages)) from None
        evaluation.report_format = checked.file_format
        evaluation.report_name = checked.display_name
        evaluation.report_size = checked.size
        evaluation.report_sha256 = checked.sha256
        evaluation.report.save(checked.display_name, report, save=False)
        track(evaluation.report)
    evaluation.save()
    trail.record(
        "approvals.evaluation.recorded",
        actor=by,
        target=fresh,
        details={
            "round": str(round),
            "method": evaluation.get_method_display(),
            "institution": evaluation.institution,
            "report": evaluation.report_name,
            "report_sha256": evaluation.report_sha256,
            "experts": [inv.expert.display_name for inv in round.expert_invitations.select_related("expert")]
            if method == Evaluation.Method.EXPERTS
            else [],
        },
    )
    return evaluation


@atomic_with_files
def flag_government_review(project: Project, *, by, reason: str) -> GovernmentReview:
    """NDRC marks the project for 省政府审定 (R-REV-4): its 批复 then waits for the government's consent."""
    fresh, round = _held(project, _("标记报省政府审定"))
    require(permissions.may_flag_government_review(by, fresh))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("请写明需报省政府审定的依据。"))
    if government_review(fresh) is not None:
        raise NotAllowed(_("本项目已标记为需报省政府审定。"))
    flag, _created = GovernmentReview.objects.update_or_create(
        project=fresh,
        defaults={
            "reason": reason,
            "flagged_by": by,
            "flagged_at": timezone.now(),
            "cleared_by": None,
            "cleared_at": None,
            "cleared_reason": "",
        },
    )
    trail.record(
        "approvals.government_review.flagged",
        actor=by,
        target=fresh,
        details={"reason": reason, "round": str(round)},
    )
    return flag


@atomic_with_files
def clear_government_review(project: Project, *, by, reason: str) -> GovernmentReview:
    """NDRC lifts a 省政府审定 flag set by mistake, before any consent was recorded under it."""
    fresh, round = _held(project, _("撤销报省政府审定标记"))
    require(permissions.may_flag_government_review(by, fresh))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("撤销报省政府审定标记须写明理由。"))
    flag = government_review(fresh)
    if flag is None:
        raise NotAllowed(_("本项目未标记为需报省政府审定。"))
    if GovernmentConsent.objects.filter(round__project=fresh, recorded_at__gte=flag.flagged_at).exists():
        raise NotAllowed(_("已记录省政府同意情况，不能撤销报省政府审定标记。"))
    flag.cleared_by, flag.cleared_at, flag.cleared_reason = by, timezone.now(), reason
    flag.save(update_fields=["cleared_by", "cleared_at", "cleared_reason"])
    trail.record(
        "approvals.government_review.cleared",
        actor=by,
        target=fresh,
        details={"reason": reason, "round": str(round)},
    )
    return flag


@atomic_with_files
def record_government_consent(
    project: Project, *, by, doc_number: str, date: dt.date, note: str = ""
) -> GovernmentConsent:
    """NDRC records the provincial government's consent to the open round's 批复 (R-REV-4)."""
    fresh, round = _held(project, _("记录省政府同意情况"))
    require(permissions.may_record_government_consent(by, fresh))
    if government_review(fresh) is None:
        raise NotAllowed(_("本项目未标记为需报省政府审定，无需记录省政府同意情况。"))
    doc_number = (doc_number or "").strip()
    if not doc_number or date is None:
        raise Refused(_("请填写省政府同意的文号和日期（第二十四条，R-REV-4）。"))
    if date > timezone.localdate():
        raise Refused(_("省政府同意日期不能晚于今天。"))
    if GovernmentConsent.objects.filter(round=round).exists():
        raise NotAllowed(_("本轮已记录省政府同意情况。"))
    consent = GovernmentConsent.objects.create(
        round=round, doc_number=doc_number, date=date, note=(note or "").strip(), recorded_by=by
    )
    trail.record(
        "approvals.government_consent.recorded",
        actor=by,
        target=fresh,
        details={"round": str(round), "doc_number": doc_number, "date": display_date(date)},
    )
    return consent


__all__ = [
    "clear_government_review",
    "flag_government_review",
    "record_evaluation",
    "record_government_consent",
]
