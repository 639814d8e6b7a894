"""The lifecycle field, identifiers and amounts."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.models import Project, State, validate_national_code
from projects.money import WanYuanField, format_wan


def test_the_lifecycle_has_exactly_the_seventeen_states_of_domain_section_2():
    assert [value for value, _label in State.choices] == [
        "draft", "submitted", "returned", "in_review", "evaluation", "approved", "rejected", "filed",
        "in_construction", "suspended", "terminated", "trial_operation", "acceptance_review",
        "acceptance_failed", "in_operation", "self_evaluated", "evaluated",
    ]  # fmt: skip
    assert State.RETURNED.label == "退回修改" and State.EVALUATED.label == "已后评价"


# Trial operation, acceptance and evaluation are built beside filing and construction (issue 10).
ACCEPTANCE_STATES = {
    "trial_operation",
    "acceptance_review",
    "acceptance_failed",
    "in_operation",
    "self_evaluated",
    "evaluated",
}
ACCEPTANCE_TRANSITIONS = {
    (t.source, t.target)
    for t in Project._meta.get_field("state").get_all_transitions(Project)
    if t.target in ACCEPTANCE_STATES or t.source in ACCEPTANCE_STATES
}


def test_this_issue_builds_the_transitions_up_to_in_review():
    transitions = {
        (t.source, t.target) for t in Project._meta.get_field("state").get_all_transitions(Project)
    }
    assert transitions == {
        ("draft", "submitted"),
        ("returned", "submitted"),
        ("submitted", "returned"),
        ("in_review", "returned"),
        ("evaluation", "returned"),
        ("submitted", "in_review"),
        # review outcomes, driven by approvals' services (issue 5)
        ("in_review", "evaluation"),
        ("evaluation", "approved"),
        ("evaluation", "draft"),  # 可研 批复 of a two-step project: the unit prepares the 初步设计
        ("evaluation", "rejected"),
        # R-APP-9: a major design change takes the project back to 可研 approval (stage, not state)
        ("draft", "draft"),
        ("returned", "draft"),
        # filing, construction and supervision, driven by delivery's services (issue 10)
        ("approved", "filed"),
        ("filed", "in_construction"),
        ("in_construction", "suspended"),
        ("suspended", "in_construction"),
        ("in_construction", "terminated"),
        ("suspended", "terminated"),
        # trial operation, acceptance and evaluation (delivery, issue 10)
        ("in_construction", "trial_operation"),
        ("trial_operation", "acceptance_review"),
        ("acceptance_review", "in_operation"),
        ("acceptance_review", "acceptance_failed"),
        ("acceptance_failed", "acceptance_review"),
        ("in_operation", "self_evaluated"),
        ("self_evaluated", "evaluated"),
    }


def test_the_state_cannot_be_set_directly():
    project = Project(name="x", year=2026)
    with pytest.raises(AttributeError):
        project.state = State.APPROVED


@pytest.mark.parametrize("code", ["2401-510000-04-01-123456", "2401510000040112345678AB"])
def test_a_24_character_national_code_is_accepted(code):
    validate_national_code(code)


@pytest.mark.parametrize(
    ("code", "message"), [("2401-5100", "应为24位"), ("2401-510000-04-01-12345!", "不能包含")]
)
def test_a_malformed_national_code_is_refused(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_national_code(code)


def test_amounts_are_entered_in_wan_and_kept_in_yuan():
    assert WanYuanField().clean("1234.5678") == Decimal("12345678.00")
    assert WanYuanField().prepare_value(Decimal("12345678.00")) == "1234.5678"
    assert format_wan(Decimal("20000000")) == "2,000.00 万元"
    assert format_wan(None) == ""
