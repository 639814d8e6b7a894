"""The lifecycle table is the one rulebook: every transition is a row, every row is a transition, and the
one helper that performs a row refuses a stale caller, a wrong person and a broken rule before it acts."""

from pathlib import Path

import pytest
from django.apps import apps
from django_fsm import FSMFieldMixin

from approvals import services as review_services
from approvals.models import ReviewRound, ReviewTask
from govinfo import workflow
from govinfo.audit.models import AuditEvent
from govinfo.errors import Conflict, NotAllowed, Refused
from projects import services
from projects.models import Project, State
from tests.projects.factories import complete, draft

ROOT = Path(__file__).resolve().parents[2]
CASE_MODELS = [
    "projects.Project",
    "approvals.ReviewRound",
    "approvals.ReviewTask",
    "approvals.Opinion",
    "catalogue.Resource",
    "catalogue.ShareRequest",
    "catalogue.Feedback",
    "delivery.AcceptanceExtension",
    "delivery.ChangeRequest",
    "delivery.Rectification",
    "delivery.SecurityFinding",
    "delivery.TerminationRequest",
]


def fsm_transitions(label: str) -> set[str]:
    model = apps.get_model(label)
    names = set()
    for name in dir(model):
        meta = getattr(getattr(model, name, None), "_django_fsm", None)
        if meta is not None and isinstance(meta.field, FSMFieldMixin | str):
            names.add(name)
    return names


def test_every_model_with_transitions_is_checked_here_and_has_rows():
    """Issue 10: every transition is a row — of every model that has transitions, not of a list kept by hand."""
    with_transitions = {
        model._meta.label for model in apps.get_models() if fsm_transitions(model._meta.label)
    }
    assert with_transitions == set(CASE_MODELS)
    assert {row.model for row in workflow.table()} == with_transitions


@pytest.mark.parametrize("label", CASE_MODELS)
def test_every_transition_of_the_case_is_a_row_and_every_row_a_transition(label):
    rows = {row.name for row in workflow.table() if row.model == label}
    assert rows == fsm_transitions(label)
    for row in workflow.table():
        if row.model == label:
            assert row.sources and row.target, row.name
            assert row.label and (row.action is None or "." in row.action)


def test_rows_of_people_say_who_may_take_them_and_django_fsm_asks_the_same(unit, applicant, other_applicant):
    project = complete(unit, applicant)
    submit = Project.submit._django_fsm.get_transition(State.DRAFT)
    assert submit.has_perm(project, applicant) and not submit.has_perm(project, other_applicant)
    row = workflow.step("projects.Project", "submit")
    assert {"R-APP-1", "R-APP-2", "R-APP-4"} <= set(row.rules) and row.action == "projects.project.submitted"


def test_a_stale_expected_state_is_refused_and_nothing_changes(unit, applicant, ndrc_signer):
    project = services.submit(complete(unit, applicant), by=applicant)
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict, match="项目已被他人处理，当前状态为“已申报”"):
        review_services.accept_into_review(project, by=ndrc_signer, expected_state=State.DRAFT)
    project.refresh_from_db()
    assert project.state == State.SUBMITTED and not ReviewRound.objects.filter(project=project).exists()
    assert AuditEvent.objects.count() == events


def test_a_stale_instance_is_a_conflict_too(unit, applicant, ndrc_signer):
    project = services.submit(complete(unit, applicant), by=applicant)
    stale = Project.objects.get(pk=project.pk)
    review_services.accept_into_review(project, by=ndrc_signer)
    with pytest.raises(Conflict):
        review_services.return_application(stale, by=ndrc_signer, reason="看到的是旧页面")
    assert Project.objects.get(pk=project.pk).state == State.IN_REVIEW


def test_the_page_lists_the_steps_of_the_state_with_why_one_is_disabled(unit, applicant, ndrc_signer):
    project = services.submit(complete(unit, applicant), by=applicant)
    review_services.accept_into_review(project, by=ndrc_signer)
    project.refresh_from_db()
    offered = {action.name: action for action in workflow.actions(project, ndrc_signer)}
    assert offered["return_for_revision"].allowed
    assert not offered["approve"].allowed and "R-REV-3" in offered["approve"].reason
    assert "to_evaluation" not in offered  # a consequence, never a button
    for action in workflow.actions(project, applicant):
        assert not action.allowed and action.reason, action.name


def test_a_read_only_role_is_refused_every_step_with_why(unit, applicant, auditor):
    project = complete(unit, applicant)
    allowed, reason = workflow.may(project, auditor, "submit")
    assert not allowed and "不能办理业务" in reason
    with pytest.raises(NotAllowed, match="不能办理业务"):
        services.submit(project, by=auditor)


def test_a_broken_rule_is_a_refusal_with_every_failure(unit, applicant):
    project = draft(unit, applicant)
    with pytest.raises(Refused) as refused:
        services.submit(project, by=applicant)
    assert {f.rule for f in refused.value.failures} >= {"R-APP-1"}
    assert Project.objects.get(pk=project.pk).state == State.DRAFT


def test_a_return_closes_the_open_tasks_through_their_own_rows(unit, applicant, ndrc_signer):
    project = services.submit(complete(unit, applicant), by=applicant)
    round = review_services.accept_into_review(project, by=ndrc_signer)
    review_services.return_application(project, by=ndrc_signer, reason="请补充")
    round.refresh_from_db()
    assert round.status == ReviewRound.Status.RETURNED and round.reason == "请补充"
    assert set(round.tasks.values_list("status", flat=True)) == {ReviewTask.Status.CLOSED}


@pytest.mark.parametrize("module", ["projects/services.py", "approvals/services.py", "catalogue/services.py"])
def test_no_service_transitions_and_records_a_state_change_by_hand(module):
    """Transitions go through ``workflow.perform``: a service that records a from-state itself is a copy
    of it (creating an object records only its first state)."""
    source = (ROOT / module).read_text()
    assert "from_state=" not in source
    assert ".status = " not in source and ".state = " not in source
