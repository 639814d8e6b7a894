"""Trial operation and acceptance (R-ACC-1 … R-ACC-4, 川办法 第三十一、三十二条).

The story, as rows of the lifecycle table on the project:

- ``start_trial`` (in_construction → trial_operation): the unit declares all construction complete and
  records the date trial operation began (R-ACC-1).
- ``apply_acceptance`` (trial_operation → acceptance_review): after at least 3 months of trial (R-ACC-1),
  with the seven materials of 第三十一条, each missing one named (R-ACC-2). The application opens a review
  round of stage 验收 (``approvals.ReviewRound``), on which NDRC may invite experts or record the
  departments or the third-party institution it asked (R-ACC-4). A 购买服务 project is accepted by its unit:
  the application carries the unit's own acceptance (date, conclusion, report) and NDRC reviews it.
- ``pass_acceptance`` (→ in_operation) / ``fail_acceptance`` (→ acceptance_failed): NDRC's signer issues
  the numbered 验收意见 (for a 购买服务 project, an 审核意见) — 合格, or 不合格 with rectification items; the
  round closes with it.
- ``reapply`` (acceptance_failed → acceptance_review): the unit reports its rectification and applies
  again; a new round opens.

Beside the rows: uploading materials, the 延期验收申请 (R-ACC-3; NDRC agrees — the deadline moves — or
not: rows on ``AcceptanceExtension``), NDRC organising the review, and the unit's 报备 of the accepted
project to the 领导小组办公室 (第三十一条). Each is one service with one lock and one audit event.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.lifecycle import due_date as review_due_date
from approvals.models import ExpertInvitation, ReviewRound, ReviewStage
from approvals.permissions import grant_expert
from govinfo import workflow
from govinfo.audit import actions, trail
from govinfo.documents.files import atomic_with_files, track
from govinfo.documents.issue import issue_document
from govinfo.documents.models import IssuedDocument
from govinfo.errors import Failure, NotAllowed, Refused
from govinfo.formats import display_date, series
from govinfo.home import todo
from govinfo.orgs import roles
from govinfo.orgs.models import Agency, Role
from govinfo.rules import cite
from projects import page_links
from projects.materials import check_upload
from projects.models import AWAITING_ACCEPTANCE_STATES, Project, State
from projects.services import sync

from . import acceptance_letters as letters
from . import people
from .dates import add_months, deadline
from .models import (
    REQUIRED_MATERIALS,
    Acceptance,
    AcceptanceExtension,
    AcceptanceMaterial,
    AcceptanceMaterialKind,
    TrialRun,
)

PROJECT = "projects.Project"
EXTENSION = "delivery.AcceptanceExtension"
ART = "第三十一条"
TRIAL_MONTHS = 3
# NDRC's own words in a 验收意见 are capped: a document never carries an unbounded text.
OPINION_MAX = 1500
ITEMS_MAX = 3000

WHO_UNIT_TRIAL = people.who_unit("R-ACC-1", ART)
WHO_UNIT_APPLY = people.who_unit("R-ACC-2", ART)
WHO_UNIT_EXTENSION = people.who_unit("R-ACC-3", ART)
WHO_UNIT_REPORT = people.who_unit("R-ACC-4", ART)
WHO_NDRC = people.who_ndrc("R-ACC-4", ART)
WHO_DECIDES = people.who_ndrc_signer("R-ACC-4", ART)
WHO_DECIDES_EXTENSION = people.who_ndrc_signer("R-ACC-3", ART)


# -- what the page and the guards read ------------------------------------------------------------


def trial_of(project: Project) -> TrialRun | None:
    return TrialRun.objects.filter(project=project).first()


def earliest_application(trial: TrialRun) -> dt.date:
    """R-ACC-1: 3 months after the recorded start of trial operation (a minimum, not a deadline)."""
    return add_months(trial.started_on, TRIAL_MONTHS)


def current_materials(project: Project) -> dict[str, AcceptanceMaterial]:
    """The latest version of each kind ("other" keeps only its newest here)."""
    latest: dict[str, AcceptanceMaterial] = {}
    for material in project.acceptance_materials.order_by("kind", "-version"):
        latest.setdefault(material.kind, material)
    return latest


def latest_acceptance(project: Project) -> Acceptance | None:
    return project.acceptances.order_by("-number").first()


def is_purchase(project: Project) -> bool:
    return project.is_purchase


def required_kinds(project: Project) -> tuple[str, ...]:
    """第三十一条: the seven materials of a 建设项目; a 购买服务 project's own acceptance report instead."""
    if is_purchase(project):
        return (AcceptanceMaterialKind.UNIT_ACCEPTANCE,)
    return REQUIRED_MATERIALS


# -- guards ---------------------------------------------------------------------------------------


def r_acc_1_trial_long_enough(project: Project, today: dt.date | None = None) -> list[Failure]:
    today = today or timezone.localdate()
    trial = trial_of(project)
    if trial is None:
        return [Failure("R-ACC-1", ART, _("尚未登记试运行开始日期，不能申请验收。"))]
    earliest = earliest_application(trial)
    if today < earliest:
        return [
            Failure(
                "R-ACC-1",
                ART,
                _(
                    "项目须完成所有建设内容并经3个月试运行正常后方可申请验收：试运行自%(start)s开始，"
                    "%(earliest)s起方可申请。"
                )
                % {"start": display_date(trial.started_on), "earliest": display_date(earliest)},
            )
        ]
    return []


def r_acc_2_materials(project: Project) -> list[Failure]:
    have = current_materials(project)
    missing = [
        str(AcceptanceMaterialKind(kind).label) for kind in required_kinds(project) if kind not in have
    ]
    if not missing:
        return []
    return [
        Failure(
            "R-ACC-2",
            ART,
            _("验收资料缺少：%(kinds)s，请在“验收材料”中上传。") % {"kinds": series(missing)},
            url=reverse("delivery:acceptance", args=[project.pk]) + "#materials",
        )
    ]


def application_failures(project: Project) -> list[Failure]:
    return [*r_acc_1_trial_long_enough(project), *r_acc_2_materials(project)]


def open_acceptance(project: Project) -> Acceptance | None:
    last = latest_acceptance(project)
    return last if last is not None and last.is_pending else None


def r_acc_4_review_done(project: Project) -> list[Failure]:
    """The experts NDRC invited on the acceptance round have given their opinions (R-ACC-4)."""
    acceptance = open_acceptance(project)
    if acceptance is None or acceptance.round is None:
        return [Failure("R-ACC-4", ART, _("项目没有正在审核的验收申请。"))]
    waiting = [
        inv.expert.display_name
        for inv in acceptance.round.expert_invitations.select_related("expert")
        if not inv.is_submitted
    ]
    if waiting:
        return [
            Failure(
                "R-ACC-4", ART, _("已邀请的验收专家尚未提交意见：%(names)s。") % {"names": series(waiting)}
            )
        ]
    return []


# -- effects --------------------------------------------------------------------------------------


def _trial_started(
    project: Project, *, by, started_on: dt.date | None, completion_note: str, construction_complete: bool
) -> TrialRun:
    failures = []
    if not construction_complete:
        failures.append(Failure("R-ACC-1", ART, _("须确认项目已完成所有建设内容，方可转入试运行。")))
    if started_on is None:
        failures.append(Failure("R-ACC-1", ART, _("请填写试运行开始日期。")))
    elif started_on > timezone.localdate():
        failures.append(Failure("R-ACC-1", ART, _("试运行开始日期不能晚于今天，请在试运行开始后登记。")))
    if not completion_note:
        failures.append(Failure("R-ACC-1", ART, _("请说明建设内容完成情况。")))
    if failures:
        raise Refused(failures)
    return TrialRun.objects.create(
        project=project, started_on=started_on, completion_note=completion_note, recorded_by=by
    )


def _trial_details(project: Project) -> dict:
    trial = project.step_result
    return {"started_on": trial.started_on, "completion_note": trial.completion_note}


def _open_round(project: Project, by) -> ReviewRound:
    number = ReviewRound.objects.filter(project=project, stage=ReviewStage.ACCEPTANCE).count() + 1
    return ReviewRound.objects.create(
        project=project, stage=ReviewStage.ACCEPTANCE, number=number, opened_by=by
    )


def _applied(project: Project, *, by, note: str = "", unit_accepted_on=None, unit_conclusion: str = "",
             rectification_report: str | None = None) -> Acceptance:  # fmt: skip
    failures = []
    if rectification_report is not None and not rectification_report:
        failures.append(Failure("R-ACC-4", ART, _("重新申请验收须说明对各项整改要求的整改情况。")))
    if is_purchase(project):
        if unit_accepted_on is None:
            failures.append(Failure("R-ACC-4", ART, _("购买服务项目由项目单位组织验收，请填写验收日期。")))
        elif unit_accepted_on > timezone.localdate():
            failures.append(Failure("R-ACC-4", ART, _("项目单位验收日期不能晚于今天。")))
        if not unit_conclusion:
            failures.append(Failure("R-ACC-4", ART, _("请填写项目单位的验收结论。")))
    if failures:
        raise Refused(failures)
    number = project.acceptances.count() + 1
    acceptance = Acceptance.objects.create(
        project=project,
        number=number,
        kind=Acceptance.Kind.PURCHASE if is_purchase(project) else Acceptance.Kind.COMPLETION,
        applied_by=by,
        applied_at=timezone.now(),
        note=note,
        unit_accepted_on=unit_accepted_on,
        unit_conclusion=unit_conclusion,
        rectification_report=rectification_report or "",
        round=_open_round(project, by),
    )
    acceptance.materials.set(current_materials(project).values())
    return acceptance


def _applied_details(project: Project) -> dict:
    acceptance = project.step_result
    return {
        "acceptance": acceptance.number,
        "kind": acceptance.get_kind_display(),
        "round": str(acceptance.round),
        "materials": [str(m) for m in acceptance.materials.order_by("kind")],
        "reason": acceptance.rectification_report,
    }


def _issue(project: Project, acceptance: Acceptance, *, by, passed: bool) -> IssuedDocument:
    ndrc = Agency.objects.get(code=people.NDRC)
    purchase = acceptance.kind == Acceptance.Kind.PURCHASE
    return issue_document(
        kind=IssuedDocument.Kind.OPINION if purchase else IssuedDocument.Kind.ACCEPTANCE,
        agency=ndrc,
        title=letters.title(project, acceptance),
        addressee=project.lead_unit.name,
        body=letters.body(project, acceptance, trial_of(project), passed=passed),
        project_code=project.code or "",
        project_name=project.name,
        cc=letters.CC,
        signer_agency_name=ndrc.name,
        date=timezone.localdate(),
        issued_by=by,
        target=acceptance.round,
    )


def _decide(project: Project, *, by, passed: bool, opinion: str = "", items: str = "", rectify_by=None):
    acceptance = Acceptance.objects.select_for_update().get(pk=open_acceptance(project).pk)
    acceptance.outcome = Acceptance.Outcome.PASSED if passed else Acceptance.Outcome.FAILED
    acceptance.opinion = opinion
    acceptance.rectification_items = items
    acceptance.rectify_by = deadline(rectify_by) if rectify_by else None
    acceptance.decided_by = by
    acceptance.decided_on = timezone.localdate()
    document = _issue(project, acceptance, by=by, passed=passed)
    acceptance.document = document
    acceptance.save()
    workflow.perform(
        acceptance.round,
        "close_decided",
        by=by,
        kwargs={
            "by": by,
            "outcome": ReviewRound.Outcome.ACCEPTED if passed else ReviewRound.Outcome.NOT_ACCEPTED,
            "reason": items,
            "document": document,
        },
        locked_case=project,
    )
    return acceptance


def _passed(project: Project, *, by, opinion: str = "") -> Acceptance:
    return _decide(project, by=by, passed=True, opinion=opinion)


def _failed(project: Project, *, by, items: str, rectify_by=None, opinion: str = "") -> Acceptance:
    if not items:
        raise Refused([Failure("R-ACC-4", ART, _("验收不合格须逐项列明整改要求。"))])
    if rectify_by is not None and rectify_by <= timezone.localdate():
        raise Refused([Failure("R-ACC-4", ART, _("整改期限应晚于今天。"))])
    return _decide(project, by=by, passed=False, opinion=opinion, items=items, rectify_by=rectify_by)


def _decided_details(project: Project) -> dict:
    acceptance = project.step_result
    return {
        "acceptance": acceptance.number,
        "doc_number": acceptance.document.doc_number,
        "title": acceptance.document.title,
        "round": str(acceptance.round),
        "reason": acceptance.rectification_items,
    }


def _extension_case(extension: AcceptanceExtension) -> Project:
    return extension.project


def _extension_moves_deadline(extension: AcceptanceExtension, *, by) -> None:
    """An agreed extension moves the project's acceptance deadline to the requested date (R-ACC-3), on the
    working-day calendar (a day off moves it to the next working day)."""
    project = Project.objects.get(pk=extension.project_id)  # locked by perform (the case)
    project.acceptance_due = deadline(extension.requested_due)
    project.save(update_fields=["acceptance_due"])


def _extension_declined(extension: AcceptanceExtension, *, by) -> None:
    if not extension.decision_note:
        raise Refused([Failure("R-ACC-3", ART, _("不同意延期须写明理由。"))])


def _extension_details(extension: AcceptanceExtension) -> dict:
    return {
        "previous_due": extension.previous_due,
        "requested_due": extension.requested_due,
        "reason": extension.decision_note or extension.reason,
    }


# -- services -------------------------------------------------------------------------------------


def start_trial(
    project: Project,
    *,
    by,
    started_on: dt.date,
    completion_note: str,
    construction_complete: bool = True,
    expected_state: str | None = None,
) -> TrialRun:
    """The unit declares construction complete and records the start of trial operation (R-ACC-1)."""
    seen = project.state if expected_state is None else expected_state
    done = workflow.perform(
        project,
        "start_trial",
        by=by,
        expected_state=seen,
        effect_kwargs={
            "started_on": started_on,
            "completion_note": (completion_note or "").strip()[:ITEMS_MAX],
            "construction_complete": construction_complete,
        },
    )
    sync(project)
    return done.step_result


def upload_material(project: Project, *, by, kind: str, upload) -> AcceptanceMaterial:
    """The unit uploads a 验收资料 document (checked as application materials are); a new version of its kind."""
    people.require(WHO_UNIT_APPLY(by, project), by)
    if kind not in AcceptanceMaterialKind.values or kind in (
        AcceptanceMaterialKind.THIRD_PARTY_REVIEW,
        AcceptanceMaterialKind.POST_EVALUATION,
    ):
        raise Refused(_("请选择验收材料类型。"))
    checked = check_upload(upload)
    with atomic_with_files():
        fresh = workflow.hold(project, doing=_("上传验收材料"), expected_state=None)
        if fresh.state not in (State.IN_CONSTRUCTION, State.TRIAL_OPERATION, State.ACCEPTANCE_FAILED):
            raise NotAllowed(
                _("项目当前状态为“%(state)s”，不能上传验收材料。") % {"state": fresh.get_state_display()}
            )
        material = _store(fresh, kind, upload, checked, by)
        trail.record(
            "delivery.acceptance.material_uploaded",
            actor=by,
            target=fresh,
            details={
                "kind": material.get_kind_display(),
                "version": material.version,
                "name": material.display_name,
                "sha256": material.sha256,
                "size": material.size,
            },
        )
    return material


def _store(project: Project, kind: str, upload, checked, by) -> AcceptanceMaterial:
    last = (
        project.acceptance_materials.filter(kind=kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    material = AcceptanceMaterial(
        project=project,
        kind=kind,
        version=(last or 0) + 1,
        file_format=checked.file_format,
        display_name=checked.display_name,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    material.file.save(checked.display_name, upload, save=False)
    track(material.file)
    material.save()
    return material


def store_checked(project: Project, kind: str, upload, by) -> AcceptanceMaterial:
    """Store an upload for another part (evaluation reports) inside the caller's ``atomic_with_files``."""
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise Refused("；".join(exc.messages)) from None
    return _store(project, kind, upload, checked, by)


def apply(
    project: Project,
    *,
    by,
    note: str = "",
    unit_accepted_on: dt.date | None = None,
    unit_conclusion: str = "",
    expected_state: str | None = None,
) -> Acceptance:
    """The unit applies for acceptance (R-ACC-1, R-ACC-2); a 购买服务 project reports its own acceptance."""
    note = (note or "").strip()[:OPINION_MAX]
    unit_conclusion = (unit_conclusion or "").strip()[:OPINION_MAX]
    seen = project.state if expected_state is None else expected_state
    done = workflow.perform(
        project,
        "apply_acceptance",
        by=by,
        expected_state=seen,
        effect_kwargs={
            "note": note,
            "unit_accepted_on": unit_accepted_on,
            "unit_conclusion": unit_conclusion,
        },
    )
    sync(project)
    return done.step_result


def reapply(
    project: Project, *, by, rectification_report: str, note: str = "", expected_state: str | None = None
) -> Acceptance:
    """After a failed acceptance the unit reports its rectification and applies again (R-ACC-4)."""
    rectification_report = (rectification_report or "").strip()[:ITEMS_MAX]
    seen = project.state if expected_state is None else expected_state
    last = latest_acceptance(project)
    done = workflow.perform(
        project,
        "reapply",
        by=by,
        expected_state=seen,
        effect_kwargs={
            "note": (note or "").strip()[:OPINION_MAX],
            "rectification_report": rectification_report,
            "unit_accepted_on": last.unit_accepted_on if last else None,
            "unit_conclusion": last.unit_conclusion if last else "",
        },
    )
    sync(project)
    return done.step_result


def record_method(
    project: Project, *, by, method: str, third_party_name: str = "", departments: str = "", report=None
) -> Acceptance:
    """NDRC records how it organises the acceptance review: departments, experts or a third party (R-ACC-4)."""
    people.require(WHO_NDRC(by, project), by)
    third_party_name = (third_party_name or "").strip()
    departments = (departments or "").strip()
    if method not in Acceptance.Method.values or not method:
        raise Refused(_("请选择评估方式。"))
    if method == Acceptance.Method.THIRD_PARTY and (not third_party_name or report is None):
        raise Refused([Failure("R-ACC-4", ART, _("委托第三方机构评估的，须写明机构名称并上传其评估报告。"))])
    with atomic_with_files():
        fresh = workflow.hold(project, doing=_("组织验收评估"), expected_state=State.ACCEPTANCE_REVIEW)
        acceptance = Acceptance.objects.select_for_update().get(pk=open_acceptance(fresh).pk)
        acceptance.method = method
        acceptance.third_party_name = third_party_name if method == Acceptance.Method.THIRD_PARTY else ""
        acceptance.departments = departments if method == Acceptance.Method.DEPARTMENTS else ""
        acceptance.save(update_fields=["method", "third_party_name", "departments"])
        details = {"method": acceptance.get_method_display(), "third_party": acceptance.third_party_name}
        if report is not None:
            material = store_checked(fresh, AcceptanceMaterialKind.THIRD_PARTY_REVIEW, report, by)
            acceptance.materials.add(material)
            details["report"] = material.display_name
        trail.record("delivery.acceptance.method_recorded", actor=by, target=fresh, details=details)
    return acceptance


def invite_expert(project: Project, expert, *, by) -> ExpertInvitation:
    """NDRC invites an expert to the acceptance review (the review's own invitations, on the 验收 round)."""
    people.require(WHO_NDRC(by, project), by)
    if not roles.has_role(expert, Role.EXPERT):
        raise NotAllowed(_("%(expert)s不在专家库中，不能邀请。") % {"expert": expert.display_name})
    with transaction.atomic():
        fresh = workflow.hold(project, doing=_("邀请验收专家"), expected_state=State.ACCEPTANCE_REVIEW)
        acceptance = Acceptance.objects.select_for_update().get(pk=open_acceptance(fresh).pk)
        round = acceptance.round
        if round.expert_invitations.filter(expert=expert).exists():
            raise NotAllowed(_("已邀请%(expert)s参加本次验收。") % {"expert": expert.display_name})
        invitation = ExpertInvitation.objects.create(
            round=round, expert=expert, invited_by=by, due_date=review_due_date()
        )
        if not acceptance.method:
            acceptance.method = Acceptance.Method.EXPERTS
            acceptance.save(update_fields=["method"])
        grant_expert(fresh, expert)
        trail.record(
            "approvals.expert.invited",
            actor=by,
            target=fresh,
            details={"expert": expert.display_name, "round": str(round)},
        )
    return invitation


def pass_acceptance(
    project: Project, *, by, opinion: str = "", expected_state: str | None = None
) -> Acceptance:
    """NDRC's signer issues the 验收意见 (合格) — or the 审核意见 of a 购买服务 project (R-ACC-4)."""
    seen = project.state if expected_state is None else expected_state
    done = workflow.perform(
        project,
        "pass_acceptance",
        by=by,
        expected_state=seen,
        effect_kwargs={"opinion": (opinion or "").strip()[:OPINION_MAX]},
    )
    sync(project)
    return done.step_result


def fail_acceptance(
    project: Project,
    *,
    by,
    items: str,
    rectify_by: dt.date | None = None,
    opinion: str = "",
    expected_state: str | None = None,
) -> Acceptance:
    """NDRC's signer issues the 验收意见 (不合格) with the rectification items (R-ACC-4)."""
    items = "\n".join(line.strip() for line in (items or "").splitlines() if line.strip())[:ITEMS_MAX]
    seen = project.state if expected_state is None else expected_state
    done = workflow.perform(
        project,
        "fail_acceptance",
        by=by,
        expected_state=seen,
        effect_kwargs={
            "items": items,
            "rectify_by": rectify_by,
            "opinion": (opinion or "").strip()[:OPINION_MAX],
        },
    )
    sync(project)
    return done.step_result


def report_to_office(project: Project, *, by, note: str = "") -> Acceptance:
    """第三十一条: the unit reports the accepted project to the 领导小组办公室 through the platform (报备)."""
    people.require(WHO_UNIT_REPORT(by, project), by)
    with transaction.atomic():
        fresh = workflow.hold(project, doing=_("向领导小组办公室报备"), expected_state=None)
        last = latest_acceptance(fresh)
        if last is None or not last.passed:
            raise NotAllowed(cite("R-ACC-4", ART, _("项目验收合格后方可向领导小组办公室报备验收情况。")))
        acceptance = Acceptance.objects.select_for_update().get(pk=last.pk)
        if acceptance.office_reported_at is not None:
            raise NotAllowed(
                _("验收情况已于%(when)s报备。") % {"when": display_date(acceptance.office_reported_at)}
            )
        acceptance.office_reported_at = timezone.now()
        acceptance.office_reported_by = by
        acceptance.office_report_note = (note or "").strip()[:OPINION_MAX]
        acceptance.save(update_fields=["office_reported_at", "office_reported_by", "office_report_note"])
        trail.record(
            "delivery.acceptance.reported",
            actor=by,
            target=fresh,
            details={
                "office": letters.LEADING_GROUP_OFFICE,
                "doc_number": acceptance.document.doc_number if acceptance.document_id else "",
                "note": acceptance.office_report_note,
            },
        )
    return acceptance


def request_extension(project: Project, *, by, reason: str, new_date: dt.date) -> AcceptanceExtension:
    """R-ACC-3: a unit that cannot apply in time files a 延期验收申请 with its reason and the new date."""
    people.require(WHO_UNIT_EXTENSION(by, project), by)
    reason = (reason or "").strip()[:OPINION_MAX]
    failures = []
    if not reason:
        failures.append(Failure("R-ACC-3", ART, _("延期验收申请须写明不能按期申请验收的理由。")))
    if new_date is None:
        failures.append(Failure("R-ACC-3", ART, _("请填写申请延期至的日期。")))
    elif new_date <= max(filter(None, [project.acceptance_due, timezone.localdate()])):
        failures.append(Failure("R-ACC-3", ART, _("延期后的日期应晚于原应申请验收日期和今天。")))
    if failures:
        raise Refused(failures)
    with transaction.atomic():
        fresh = workflow.hold(project, doing=_("提出延期验收申请"), expected_state=None)
        if fresh.state not in AWAITING_ACCEPTANCE_STATES:
            raise NotAllowed(
                _("项目当前状态为“%(state)s”，不需要申请延期验收。") % {"state": fresh.get_state_display()}
            )
        if fresh.acceptance_extensions.filter(status=AcceptanceExtension.Status.PENDING).exists():
            raise NotAllowed(_("已有一份延期验收申请等待审核。"))
        extension = AcceptanceExtension.objects.create(
            project=fresh,
            reason=reason,
            previous_due=fresh.acceptance_due,
            requested_due=new_date,
            requested_by=by,
        )
        trail.record(
            "delivery.extension.requested",
            actor=by,
            target=fresh,
            details={"previous_due": fresh.acceptance_due, "requested_due": new_date, "reason": reason},
        )
    return extension


def decide_extension(
    extension: AcceptanceExtension, *, by, approve: bool, note: str = ""
) -> AcceptanceExtension:
    note = (note or "").strip()[:OPINION_MAX]
    done = workflow.perform(
        extension, "approve" if approve else "decline", by=by, kwargs={"by": by, "note": note}
    )
    extension.project.refresh_from_db()
    return done


# -- to-do, page links ----------------------------------------------------------------------------


def acceptance_todo(user):
    items = []
    today = timezone.localdate()
    units = roles.units_of(user)
    if units:
        projects = Project.objects.filter(
            lead_unit__in=units,
            state__in=[State.TRIAL_OPERATION, State.ACCEPTANCE_FAILED, *AWAITING_ACCEPTANCE_STATES],
        ).select_related("trial_run")
        for project in projects.distinct().order_by("pk")[:50]:
            url = reverse("delivery:acceptance", args=[project.pk])
            if project.state == State.ACCEPTANCE_FAILED:
                last = latest_acceptance(project)
                items.append(
                    todo.TodoItem(
                        _("验收整改：%(name)s") % {"name": project.name},
                        url,
                        _("验收"),
                        due=last.rectify_by if last else None,
                        detail=_("整改后重新申请验收"),
                    )
                )
                continue
            trial = getattr(project, "trial_run", None) if project.state == State.TRIAL_OPERATION else None
            if trial is not None and earliest_application(trial) <= today:
                items.append(
                    todo.TodoItem(
                        _("申请验收：%(name)s") % {"name": project.name},
                        url,
                        _("验收"),
                        due=project.acceptance_due,
                        detail=_("试运行已满3个月"),
                    )
                )
            elif project.acceptance_due and project.acceptance_due <= today + dt.timedelta(days=60):
                items.append(
                    todo.TodoItem(
                        _("应申请验收：%(name)s") % {"name": project.name},
                        url,
                        _("验收"),
                        due=project.acceptance_due,
                        detail=_("不能按期申请验收的，应提出延期验收申请"),
                    )
                )
        unreported = (
            Acceptance.objects.filter(
                project__lead_unit__in=units,
                outcome=Acceptance.Outcome.PASSED,
                office_reported_at__isnull=True,
            )
            .select_related("project")
            .order_by("decided_on")[:20]
        )
        for acceptance in unreported:
            items.append(
                todo.TodoItem(
                    _("向领导小组办公室报备验收情况：%(name)s") % {"name": acceptance.project.name},
                    reverse("delivery:acceptance", args=[acceptance.project_id]),
                    _("验收"),
                )
            )
    if people.is_ndrc(user):
        reviewing = Project.objects.filter(state=State.ACCEPTANCE_REVIEW).order_by("updated_at")[:20]
        for project in reviewing:
            items.append(
                todo.TodoItem(
                    _("验收审核：%(name)s") % {"name": project.name},
                    reverse("delivery:acceptance", args=[project.pk]),
                    _("验收"),
                )
            )
        pending = (
            AcceptanceExtension.objects.filter(status=AcceptanceExtension.Status.PENDING)
            .select_related("project")
            .order_by("requested_at")[:20]
        )
        for extension in pending:
            items.append(
                todo.TodoItem(
                    _("延期验收申请：%(name)s") % {"name": extension.project.name},
                    reverse("delivery:acceptance", args=[extension.project_id]),
                    _("验收"),
                    detail=_("申请延期至%(date)s") % {"date": display_date(extension.requested_due)},
                )
            )
        overdue = (
            Project.objects.filter(state__in=AWAITING_ACCEPTANCE_STATES, acceptance_due__lt=today)
            .select_related("lead_unit")
            .order_by("acceptance_due")[:20]
        )
        for project in overdue:
            items.append(
                todo.TodoItem(
                    _("逾期未申请验收：%(name)s") % {"name": project.name},
                    reverse("delivery:acceptance", args=[project.pk]),
                    _("验收"),
                    due=project.acceptance_due,
                    detail=project.lead_unit.display_name if project.lead_unit_id else "",
                )
            )
    return items


ACCEPTANCE_PAGE_STATES = (
    State.IN_CONSTRUCTION,
    State.TRIAL_OPERATION,
    State.ACCEPTANCE_REVIEW,
    State.ACCEPTANCE_FAILED,
    State.IN_OPERATION,
    State.SELF_EVALUATED,
    State.EVALUATED,
)


def acceptance_links(user, project) -> list[page_links.PageLink]:
    if project.state not in ACCEPTANCE_PAGE_STATES:
        return []
    links = [page_links.PageLink(str(_("试运行与验收")), reverse("delivery:acceptance", args=[project.pk]))]
    for acceptance in (
        Acceptance.objects.filter(project=project, document__isnull=False)
        .select_related("document")
        .order_by("number")
    ):
        links.append(
            page_links.PageLink(
                f"{acceptance.document.get_kind_display()} {acceptance.document.doc_number}",
                reverse("documents:download", args=[acceptance.document_id]),
                note=acceptance.get_outcome_display(),
            )
        )
    return links


# -- registration ---------------------------------------------------------------------------------


def register() -> None:
    for name, label in [
        ("delivery.trial.started", gettext_lazy("完成建设，转入试运行")),
        ("delivery.acceptance.material_uploaded", gettext_lazy("上传验收材料")),
        ("delivery.acceptance.applied", gettext_lazy("申请验收")),
        ("delivery.acceptance.reapplied", gettext_lazy("整改后重新申请验收")),
        ("delivery.acceptance.method_recorded", gettext_lazy("组织验收评估")),
        ("delivery.acceptance.passed", gettext_lazy("验收合格，出具验收意见")),
        ("delivery.acceptance.failed", gettext_lazy("验收不合格，出具验收意见")),
        ("delivery.acceptance.reported", gettext_lazy("向领导小组办公室报备验收情况")),
        ("delivery.extension.requested", gettext_lazy("提出延期验收申请")),
        ("delivery.extension.approved", gettext_lazy("同意延期验收")),
        ("delivery.extension.declined", gettext_lazy("不同意延期验收")),
    ]:
        actions.register(name, label)
    workflow.register(
        workflow.Step(
            PROJECT,
            "start_trial",
            gettext_lazy("转入试运行"),
            "delivery.trial.started",
            who=WHO_UNIT_TRIAL,
            rules=("R-ACC-1",),
            effect=_trial_started,
            details=_trial_details,
        ),
        workflow.Step(
            PROJECT,
            "apply_acceptance",
            gettext_lazy("申请验收"),
            "delivery.acceptance.applied",
            who=WHO_UNIT_APPLY,
            rules=("R-ACC-1", "R-ACC-2"),
            guard=application_failures,
            effect=_applied,
            details=_applied_details,
        ),
        workflow.Step(
            PROJECT,
            "pass_acceptance",
            gettext_lazy("验收合格"),
            "delivery.acceptance.passed",
            who=WHO_DECIDES,
            rules=("R-ACC-4", "R-REV-6"),
            guard=r_acc_4_review_done,
            effect=_passed,
            details=_decided_details,
        ),
        workflow.Step(
            PROJECT,
            "fail_acceptance",
            gettext_lazy("验收不合格"),
            "delivery.acceptance.failed",
            who=WHO_DECIDES,
            rules=("R-ACC-4", "R-REV-6"),
            guard=r_acc_4_review_done,
            effect=_failed,
            details=_decided_details,
        ),
        workflow.Step(
            PROJECT,
            "reapply",
            gettext_lazy("整改后重新申请验收"),
            "delivery.acceptance.reapplied",
            who=WHO_UNIT_APPLY,
            rules=("R-ACC-2", "R-ACC-4"),
            guard=r_acc_2_materials,
            effect=_applied,
            details=_applied_details,
        ),
        workflow.Step(
            EXTENSION,
            "approve",
            gettext_lazy("同意延期"),
            "delivery.extension.approved",
            who=WHO_DECIDES_EXTENSION,
            rules=("R-ACC-3",),
            case=_extension_case,
            noun=gettext_lazy("延期验收申请"),
            effect=_extension_moves_deadline,
            details=_extension_details,
        ),
        workflow.Step(
            EXTENSION,
            "decline",
            gettext_lazy("不同意延期"),
            "delivery.extension.declined",
            who=WHO_DECIDES_EXTENSION,
            rules=("R-ACC-3",),
            case=_extension_case,
            noun=gettext_lazy("延期验收申请"),
            effect=_extension_declined,
            details=_extension_details,
        ),
    )
    todo.register(acceptance_todo)
    page_links.register(acceptance_links)
