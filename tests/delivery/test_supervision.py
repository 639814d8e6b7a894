"""Supervision (R-BLD-3, 川办法 第三十条、第四十七条): rectification, suspension, termination via the 领导小组."""

import datetime as dt

import pytest
from django.utils import timezone

from delivery import supervision
from delivery.models import Rectification, SupervisionBasis, Suspension, TerminationRequest
from govinfo.audit.models import AuditEvent
from govinfo.errors import Conflict, NotAllowed, Refused
from govinfo.home.todo import items_for
from govinfo.workdays.days import add_working_days
from projects.models import State

from .construction_fixtures import *  # noqa: F401,F403  (the fixtures of these tests)

ISSUES = "项目实施进度严重滞后于批复建设期限，请制定赶工计划并落实。"


def _order(project, by, **deadline):
    return supervision.order_rectification(
        project, by=by, basis=SupervisionBasis.PROGRESS, issues=ISSUES, **(deadline or {"working_days": 10})
    )


# -- rectification --------------------------------------------------------------------------------


def test_r_bld_3_ndrc_orders_rectification_within_working_days(building, ndrc_reviewer, applicant):
    order = _order(building, ndrc_reviewer, working_days=10)
    assert order.due_date == add_working_days(timezone.localdate(), 10) and order.due_working_days == 10
    assert order.status == Rectification.Status.OPEN
    assert any(
        item.title.startswith("限期整改") and item.due == order.due_date for item in items_for(applicant)
    )
    event = AuditEvent.objects.for_object(building).get(action="delivery.rectification.ordered")
    assert event.details["due_date"] == order.due_date.isoformat()


def test_r_bld_3_or_by_a_date_but_not_both_nor_none(building, ndrc_reviewer):
    due = timezone.localdate() + dt.timedelta(days=20)
    assert _order(building, ndrc_reviewer, due_date=due).due_date == due
    with pytest.raises(Refused, match="二选一"):
        _order(building, ndrc_reviewer, working_days=5, due_date=due)
    with pytest.raises(Refused, match="应晚于今天"):
        _order(building, ndrc_reviewer, due_date=timezone.localdate())


def test_r_bld_3_the_unit_reports_ndrc_sends_back_then_confirms(building, ndrc_reviewer, applicant):
    order = _order(building, ndrc_reviewer)
    with pytest.raises(Refused, match="整改情况"):
        supervision.report_rectification(order, by=applicant, report="")
    supervision.report_rectification(order, by=applicant, report="已调整项目组，按周报送进度。")
    order.refresh_from_db()
    assert order.status == Rectification.Status.REPORTED and any(
        "待核查整改情况" in item.title for item in items_for(ndrc_reviewer)
    )
    supervision.reopen_rectification(order, by=ndrc_reviewer, note="赶工计划未细化到周。", working_days=5)
    order.refresh_from_db()
    assert order.status == Rectification.Status.OPEN and order.due_date == add_working_days(
        timezone.localdate(), 5
    )
    supervision.report_rectification(order, by=applicant, report="已细化赶工计划到周。")
    supervision.confirm_rectification(order, by=ndrc_reviewer, note="整改到位。")
    order.refresh_from_db()
    assert order.status == Rectification.Status.CLOSED and order.closed_by == ndrc_reviewer
    actions = list(
        AuditEvent.objects.for_object(building)
        .filter(action__startswith="delivery.rectification.")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == [
        "delivery.rectification.ordered",
        "delivery.rectification.reported",
        "delivery.rectification.reopened",
        "delivery.rectification.reported",
        "delivery.rectification.confirmed",
    ]


def test_an_overdue_order_is_on_the_lists_of_the_unit_and_ndrc(building, ndrc_reviewer, applicant):
    order = _order(building, ndrc_reviewer)
    Rectification.objects.filter(pk=order.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    assert any(item.overdue and item.title.startswith("限期整改") for item in items_for(applicant))
    assert any("逾期未整改" in item.title for item in items_for(ndrc_reviewer))
    reminders = supervision.rectification_reminders()
    assert [item["stage"] for item in reminders] == ["overdue"]
    assert applicant in reminders[0]["recipients"] and ndrc_reviewer in reminders[0]["recipients"]


def test_a_deadline_close_at_hand_is_reminded_to_the_unit_only(building, ndrc_reviewer, applicant):
    order = _order(building, ndrc_reviewer, working_days=2)
    later = _order(building, ndrc_reviewer, working_days=30)
    reminders = supervision.rectification_reminders()
    assert [item["order"] for item in reminders] == [order] and later not in [i["order"] for i in reminders]
    assert reminders[0]["stage"] == "due_soon" and reminders[0]["recipients"] == [applicant]
    assert reminders[0]["period"] == order.due_date.isoformat()


def test_who_may_not_order_report_or_check(building, applicant, ndrc_reviewer, roles_of):
    for who in ["unit", "other unit", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            _order(building, roles_of[who])
    order = _order(building, ndrc_reviewer)
    for who in ["other unit", "ndrc signer", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            supervision.report_rectification(order, by=roles_of[who], report="已整改")
    supervision.report_rectification(order, by=applicant, report="已整改")
    order.refresh_from_db()
    for who in ["unit", "other unit", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            supervision.confirm_rectification(order, by=roles_of[who])
        with pytest.raises(NotAllowed):
            supervision.reopen_rectification(order, by=roles_of[who], note="不到位", working_days=3)
    order.refresh_from_db()
    assert order.status == Rectification.Status.REPORTED


# -- suspension --------------------------------------------------------------------------------------


def test_r_bld_3_ndrc_suspends_and_resumes_and_the_days_move_the_acceptance_date(building, signers):
    due = building.acceptance_due
    supervision.suspend(
        building, by=signers["ndrc"], basis=SupervisionBasis.NOT_RECTIFIED, reason="逾期不整改。"
    )
    building.refresh_from_db()
    assert building.state == State.SUSPENDED
    # The suspension began ten days ago in this story.
    Suspension.objects.filter(project=building).update(suspended_at=timezone.now() - dt.timedelta(days=10))
    supervision.resume(building, by=signers["ndrc"], note="整改到位，恢复建设。")
    building.refresh_from_db()
    suspension = Suspension.objects.get(project=building)
    assert building.state == State.IN_CONSTRUCTION and suspension.days_added == 10
    assert building.acceptance_due == add_working_days(due + dt.timedelta(days=10), 0)
    event = AuditEvent.objects.for_object(building).get(action="delivery.project.resumed")
    assert event.details["days_added"] == 10


def test_r_bld_3_a_suspension_says_why(building, signers):
    with pytest.raises(Refused, match="暂停理由"):
        supervision.suspend(building, by=signers["ndrc"], basis=SupervisionBasis.OVERDUE, reason=" ")
    building.refresh_from_db()
    assert building.state == State.IN_CONSTRUCTION


def test_only_an_ndrc_signer_suspends_and_resumes(building, signers, roles_of):
    for who in ["unit", "other unit", "ndrc reviewer", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            supervision.suspend(building, by=roles_of[who], basis=SupervisionBasis.OVERDUE, reason="逾期")
    supervision.suspend(building, by=signers["ndrc"], basis=SupervisionBasis.OVERDUE, reason="逾期")
    for who in ["unit", "other unit", "ndrc reviewer", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            supervision.resume(building, by=roles_of[who])
    building.refresh_from_db()
    assert building.state == State.SUSPENDED


# -- termination -------------------------------------------------------------------------------------


def _apply(project, clerk):
    return supervision.apply_termination(
        project,
        by=clerk,
        progress="已完成统一门户和数据资源中心建设。",
        reason="国家统一部署同类系统，本项目难以继续实施。",
    )


def _consent(project, by, **kwargs):
    return supervision.terminate(
        project, by=by, doc_number="川信领办〔2026〕3号", date=kwargs.get("date", timezone.localdate())
    )


def test_r_bld_3_termination_needs_the_units_application_and_the_groups_consent(building, applicant, signers):
    ndrc = signers["ndrc"]
    with pytest.raises(Refused) as refused:
        _consent(building, ndrc)
    assert "R-BLD-3" in refused.value.message and "第三十条" in refused.value.message
    request = _apply(building, applicant)
    with pytest.raises(Refused, match="没有已核报领导小组的终止申请"):
        _consent(building, ndrc)  # applied, not yet submitted to the 领导小组
    supervision.submit_termination(request, by=ndrc, note="同意核报。")
    with pytest.raises(Refused, match="文号和日期"):
        supervision.terminate(building, by=ndrc, doc_number="", date=None)
    _consent(building, ndrc)
    building.refresh_from_db()
    request.refresh_from_db()
    assert building.state == State.TERMINATED
    assert (
        request.status == TerminationRequest.Status.CONSENTED
        and request.group_doc_number == "川信领办〔2026〕3号"
    )
    event = AuditEvent.objects.for_object(building).get(action="delivery.project.terminated")
    assert event.details["group_doc_number"] == "川信领办〔2026〕3号" and event.to_state == State.TERMINATED


def test_r_bld_3_a_suspended_project_may_be_terminated_too(building, applicant, signers):
    supervision.suspend(building, by=signers["ndrc"], basis=SupervisionBasis.LOSS, reason="投资重大损失。")
    building.refresh_from_db()
    request = _apply(building, applicant)
    supervision.submit_termination(request, by=signers["ndrc"])
    _consent(building, signers["ndrc"])
    building.refresh_from_db()
    assert building.state == State.TERMINATED


def test_r_bld_3_the_application_states_progress_and_why_it_cannot_go_on(building, applicant):
    with pytest.raises(Refused) as refused:
        supervision.apply_termination(building, by=applicant, progress="", reason="")
    assert len(refused.value.failures) == 2 and all(f.rule == "R-BLD-3" for f in refused.value.failures)


def test_a_declined_termination_keeps_the_project_building(building, applicant, signers):
    request = _apply(building, applicant)
    supervision.submit_termination(request, by=signers["ndrc"])
    supervision.decline_termination(
        request,
        by=signers["ndrc"],
        doc_number="川信领办〔2026〕4号",
        date=timezone.localdate(),
        note="继续实施。",
    )
    building.refresh_from_db()
    request.refresh_from_db()
    assert building.state == State.IN_CONSTRUCTION and request.status == TerminationRequest.Status.DECLINED
    with pytest.raises(Refused):
        _consent(building, signers["ndrc"])
    assert _apply(building, applicant).status == TerminationRequest.Status.APPLIED  # may apply again


def test_the_unit_withdraws_before_submission_and_applies_once_at_a_time(building, applicant, signers):
    request = _apply(building, applicant)
    with pytest.raises(NotAllowed, match="正在办理"):
        _apply(building, applicant)
    supervision.withdraw_termination(request, by=applicant)
    request.refresh_from_db()
    assert request.status == TerminationRequest.Status.WITHDRAWN
    with pytest.raises(Conflict):
        supervision.submit_termination(request, by=signers["ndrc"], expected_state="applied")


def test_who_may_not_apply_submit_or_terminate(building, applicant, signers, roles_of):
    for who in ["other unit", "ndrc signer", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            _apply(building, roles_of[who])
    request = _apply(building, applicant)
    for who in ["unit", "other unit", "ndrc reviewer", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            supervision.submit_termination(request, by=roles_of[who])
    supervision.submit_termination(request, by=signers["ndrc"])
    for who in ["unit", "other unit", "ndrc reviewer", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            _consent(building, roles_of[who])
        with pytest.raises(NotAllowed):
            supervision.decline_termination(
                request, by=roles_of[who], doc_number="x", date=timezone.localdate(), note=""
            )
    building.refresh_from_db()
    assert building.state == State.IN_CONSTRUCTION
