"""Changes during construction (R-BLD-2, 川办法 第二十八条、第二十九条): 报备 or application, and the amounts."""

from decimal import Decimal

import pytest

from delivery import changes
from delivery.models import ChangeReason, ChangeRequest
from govinfo.audit.models import AuditEvent
from govinfo.documents.access import can_view_document
from govinfo.documents.models import IssuedDocument
from govinfo.errors import Conflict, NotAllowed, Refused
from govinfo.home.todo import items_for

from .construction_factories import WAN, change
from .construction_fixtures import *  # noqa: F401,F403  (the fixtures of these tests)

# The building fixture: approved total 1500万元, so the 15 % limit is 225万元.


def test_r_bld_2_a_change_meeting_all_four_conditions_is_报备_effective_at_once(building, applicant):
    filed = change(building, applicant, new_wan=1500, adjusted_wan=200)
    assert filed.kind == ChangeRequest.Kind.FILING and filed.status == ChangeRequest.Status.RECORDED
    assert all(finding["met"] for finding in filed.findings)
    figures = changes.amounts(building)
    assert figures.approved == figures.adjusted == Decimal(1500) * WAN
    assert figures.current == Decimal(1500) * WAN and figures.reported == Decimal(200) * WAN
    assert figures.limit == Decimal(225) * WAN and figures.pending is None
    event = AuditEvent.objects.for_object(building).get(action="delivery.change.recorded")
    assert event.actor == applicant and event.details["kind"] == "filing"


def test_r_bld_2_a_报备_may_lower_the_total_and_is_shown_to_ndrc_until_read(
    building, applicant, signers, ndrc_reviewer
):
    filed = change(building, applicant, new_wan=1400, adjusted_wan=150)
    assert filed.kind == ChangeRequest.Kind.FILING
    assert changes.amounts(building).current == Decimal(1400) * WAN
    assert any("待阅知调整报备" in item.title for item in items_for(ndrc_reviewer))
    changes.acknowledge_change(filed, by=ndrc_reviewer)
    assert not any("待阅知调整报备" in item.title for item in items_for(signers["ndrc"]))
    with pytest.raises(NotAllowed, match="已阅知"):
        changes.acknowledge_change(filed, by=ndrc_reviewer)


@pytest.mark.parametrize(
    ("kwargs", "unmet"),
    [
        ({"new_wan": 1600, "adjusted_wan": 100}, "within_total"),
        ({"new_wan": 1500, "adjusted_wan": 100, "goals": False}, "goals_unchanged"),
        ({"new_wan": 1500, "adjusted_wan": 226}, "within_share"),
        ({"new_wan": 1500, "adjusted_wan": 100, "reason": ChangeReason.OTHER}, "listed_reason"),
    ],
)
def test_r_bld_2_any_unmet_condition_makes_it_an_application_waiting_for_ndrc(
    building, applicant, kwargs, unmet
):
    applied = change(building, applicant, **kwargs)
    assert applied.kind == ChangeRequest.Kind.APPLICATION and applied.status == ChangeRequest.Status.PENDING
    assert [finding["code"] for finding in applied.findings if not finding["met"]] == [unmet]
    figures = changes.amounts(building)
    assert figures.current == Decimal(1500) * WAN  # not in force until approved
    assert figures.pending == applied.new_total


def test_r_bld_2_报备_add_up_against_the_15_percent(building, applicant):
    assert change(building, applicant, new_wan=1500, adjusted_wan=150).kind == ChangeRequest.Kind.FILING
    second = change(building, applicant, new_wan=1500, adjusted_wan=100)
    assert second.kind == ChangeRequest.Kind.APPLICATION  # 150 + 100 > 225
    assert second.adjusted_before == Decimal(150) * WAN
    assert "连同此前报备150.00 万元" in changes.finding_text(second, second.findings[2])


def test_r_bld_2_an_approved_application_issues_its_numbered_调整批复_and_is_the_new_approved_total(
    building, applicant, signers
):
    applied = change(building, applicant, new_wan=1700, adjusted_wan=200)
    approved = changes.approve_change(applied, by=signers["ndrc"], note="同意增加移动端建设内容。")
    assert approved.status == ChangeRequest.Status.APPROVED
    document = approved.document
    assert document.kind == IssuedDocument.Kind.CHANGE_APPROVAL and document.doc_number.startswith(
        "川发改审〔"
    )
    assert document.title == f"关于{building.name}调整的批复" and document.project_code == building.code
    assert IssuedDocument.objects.for_target(approved).get() == document
    figures = changes.amounts(building)
    assert figures.approved == Decimal(1500) * WAN
    assert figures.adjusted == figures.current == Decimal(1700) * WAN
    assert figures.limit == Decimal(255) * WAN and figures.reported == 0  # 报备 count from the new 批复
    event = AuditEvent.objects.for_object(building).get(action="delivery.change.approved")
    assert event.details["doc_number"] == document.doc_number and event.actor == signers["ndrc"]
    # After the approval a change within the new total is a 报备 again.
    assert change(building, applicant, new_wan=1700, adjusted_wan=50).kind == ChangeRequest.Kind.FILING
    # The unit opens its 调整批复; another unit cannot.
    assert can_view_document(applicant, document)[0]


def test_the_调整批复_is_closed_to_other_units(building, applicant, other_applicant, signers):
    applied = change(building, applicant, new_wan=1700, adjusted_wan=200)
    document = changes.approve_change(applied, by=signers["ndrc"]).document
    assert not can_view_document(other_applicant, document)[0]


def test_r_bld_2_a_refused_application_changes_nothing(building, applicant, signers):
    applied = change(building, applicant, new_wan=1800, adjusted_wan=300)
    with pytest.raises(Refused, match="理由"):
        changes.refuse_change(applied, by=signers["ndrc"], note=" ")
    refused = changes.refuse_change(applied, by=signers["ndrc"], note="增加投资依据不足。")
    assert refused.status == ChangeRequest.Status.REFUSED and refused.document is None
    figures = changes.amounts(building)
    assert figures.current == figures.adjusted == Decimal(1500) * WAN and figures.pending is None
    assert any("未获批准" in item.title for item in items_for(applicant))


def test_r_bld_2_an_overrun_already_incurred_without_approval_is_not_accepted(building, applicant):
    with pytest.raises(Refused) as refused:
        change(building, applicant, new_wan=1650, adjusted_wan=150, done=True)
    assert "R-BLD-2" in refused.value.message and "第二十八条" in refused.value.message
    assert "不受理事后调整申请" in refused.value.message
    assert not ChangeRequest.objects.exists()
    # Carried out within the total: a 报备 after the fact is what the article allows.
    assert (
        change(building, applicant, new_wan=1500, adjusted_wan=100, done=True).kind
        == ChangeRequest.Kind.FILING
    )


def test_r_bld_2_one_application_at_a_time(building, applicant):
    change(building, applicant, new_wan=1800, adjusted_wan=300)
    with pytest.raises(NotAllowed, match="待省发展改革委审批"):
        change(building, applicant, new_wan=1500, adjusted_wan=10)


def test_the_adjusted_amount_covers_the_change_of_the_total(building, applicant):
    with pytest.raises(Refused, match="不能少于两者之差"):
        change(building, applicant, new_wan=1400, adjusted_wan=50)


def test_changes_are_reported_during_construction_only(unit, applicant, signers):
    from .construction_factories import approved

    project = approved(unit, applicant, signers)
    with pytest.raises(NotAllowed, match="已批复"):
        change(project, applicant, new_wan=1500, adjusted_wan=10)


def test_only_the_lead_unit_reports_a_change(building, roles_of):
    for who in ["other unit", "ndrc signer", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            change(building, roles_of[who], new_wan=1500, adjusted_wan=10)
    assert not ChangeRequest.objects.exists()


def test_only_an_ndrc_signer_decides_an_application(building, applicant, roles_of):
    applied = change(building, applicant, new_wan=1800, adjusted_wan=300)
    for who in ["unit", "other unit", "ndrc reviewer", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            changes.approve_change(applied, by=roles_of[who])
        with pytest.raises(NotAllowed):
            changes.refuse_change(applied, by=roles_of[who], note="不同意")
    applied.refresh_from_db()
    assert applied.status == ChangeRequest.Status.PENDING and not IssuedDocument.objects.filter(
        kind="change_approval"
    )


def test_only_ndrc_reads_a_报备(building, applicant, roles_of):
    filed = change(building, applicant, new_wan=1500, adjusted_wan=10)
    for who in ["unit", "other unit", "bigdata", "finance", "auditor", "admin", "expert"]:
        with pytest.raises(NotAllowed):
            changes.acknowledge_change(filed, by=roles_of[who])
    filed.refresh_from_db()
    assert filed.acknowledged_at is None


def test_a_decided_application_is_not_decided_twice(building, applicant, signers):
    applied = change(building, applicant, new_wan=1800, adjusted_wan=300)
    stale = ChangeRequest.objects.get(pk=applied.pk)
    changes.approve_change(applied, by=signers["ndrc"])
    with pytest.raises(Conflict):
        changes.refuse_change(stale, by=signers["ndrc"], note="不同意")
    assert IssuedDocument.objects.filter(kind="change_approval").count() == 1
