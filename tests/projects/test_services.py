"""Actions on a project: submit, resubmit, return and accept; codes, grants, audit trail, conflicts."""

import re

import pytest
from django.utils import timezone

from govinfo.audit.trail import timeline
from projects import access, permissions, services
from projects.guards import ActionRefused, Conflict, NotAllowed
from projects.models import Project, State
from tests.factories import agency

from .factories import accept, complete, return_for_revision

pytestmark = pytest.mark.django_db


def actions(project):
    return [event.action for event in timeline(project)]


def test_submit_issues_the_project_code_and_records_the_event(ready_project, applicant):
    project = services.submit(ready_project, by=applicant)
    year = timezone.localdate().year
    assert project.state == State.SUBMITTED
    assert project.code == f"川政信-{year}-0001"
    assert re.fullmatch(r"川政信-\d{4}-\d{4,}", project.code)
    assert actions(project)[-1] == "projects.project.submitted"
    event = list(timeline(project))[-1]
    assert (event.from_state, event.to_state, event.actor) == ("draft", "submitted", applicant)


def test_codes_are_sequential_per_year(unit, applicant):
    first = services.submit(complete(unit, applicant, name="一"), by=applicant)
    second = services.submit(complete(unit, applicant, name="二"), by=applicant)
    assert int(second.code[-4:]) == int(first.code[-4:]) + 1


def test_return_and_resubmit_keep_the_code_and_every_round(ready_project, applicant, ndrc_reviewer):
    project = services.submit(ready_project, by=applicant)
    code = project.code
    project = return_for_revision(project, by=ndrc_reviewer, reason="请补充整合分析专章")
    assert project.state == State.RETURNED and project.last_return_reason == "请补充整合分析专章"
    project = services.submit(project, by=applicant)
    assert project.state == State.SUBMITTED and project.code == code
    assert actions(project)[-5:] == [
        "projects.revision.frozen",
        "projects.project.submitted",
        "projects.project.returned",
        "projects.revision.frozen",
        "projects.project.resubmitted",
    ]


def test_a_return_needs_a_reason(ready_project, applicant, ndrc_reviewer):
    project = services.submit(ready_project, by=applicant)
    with pytest.raises(ActionRefused, match="退回须写明理由"):
        return_for_revision(project, by=ndrc_reviewer, reason="  ")


def test_an_agency_that_does_not_hold_the_case_cannot_return_it(ready_project, applicant, finance_reviewer):
    project = services.submit(ready_project, by=applicant)
    with pytest.raises(NotAllowed, match="R-REV-5.*只有本轮参与审核的机构或省发展改革委可以退回"):
        return_for_revision(project, by=finance_reviewer, reason="理由")


def test_a_reviewing_agency_granted_by_approvals_may_return(ready_project, applicant, finance_reviewer):
    project = services.submit(ready_project, by=applicant)
    permissions.grant_agency(project, agency("finance"))
    project = accept(project, by=_ndrc())
    project = return_for_revision(project, by=finance_reviewer, reason="资金渠道不明确")
    assert project.state == State.RETURNED


def _ndrc():
    from govinfo.orgs.models import Role
    from tests.factories import member

    return member(Role.REVIEWER, agency_code="ndrc")


def test_only_ndrc_accepts_into_review(ready_project, applicant, finance_reviewer, auditor, ndrc_signer):
    project = services.submit(ready_project, by=applicant)
    for outsider in (applicant, finance_reviewer):
        with pytest.raises(NotAllowed, match="只有省发展改革委可以受理"):
            accept(project, by=outsider)
    with pytest.raises(NotAllowed, match="审计和系统管理人员可以查阅全部案件，但不能办理业务"):
        accept(project, by=auditor)
    project = accept(project, by=ndrc_signer)
    assert project.state == State.IN_REVIEW
    assert actions(project)[-1] == "projects.project.accepted"


def test_a_draft_cannot_be_accepted(project, ndrc_signer):
    with pytest.raises(NotAllowed, match="项目当前状态为“草稿”，不能受理"):
        accept(project, by=ndrc_signer)


def test_two_concurrent_actions_one_wins_the_other_gets_a_conflict(ready_project, applicant, ndrc_signer):
    submitted = services.submit(ready_project, by=applicant)
    # Two NDRC clerks opened the same submitted case; the second acts on what they saw.
    seen_by_first = Project.objects.get(pk=submitted.pk)
    seen_by_second = Project.objects.get(pk=submitted.pk)
    accept(seen_by_first, by=ndrc_signer)
    with pytest.raises(Conflict, match="项目已被他人处理，当前状态为“审查中”"):
        return_for_revision(seen_by_second, by=ndrc_signer, reason="退回")
    assert Project.objects.get(pk=submitted.pk).state == State.IN_REVIEW
    assert actions(submitted).count("projects.project.returned") == 0


def test_a_double_submit_gets_a_conflict_not_a_second_code(ready_project, applicant):
    stale = Project.objects.get(pk=ready_project.pk)
    services.submit(ready_project, by=applicant)
    with pytest.raises(Conflict):
        services.submit(stale, by=applicant)
    assert Project.objects.exclude(code=None).count() == 1


def test_a_stale_instance_cannot_be_saved_over_a_newer_state(ready_project, applicant):
    """ConcurrentTransitionMixin: the second net under the services' row lock."""
    from django_fsm import ConcurrentTransition

    stale = Project.objects.get(pk=ready_project.pk)
    services.submit(ready_project, by=applicant)
    stale.name = "改名"
    with pytest.raises(ConcurrentTransition):
        stale.save()


def test_r_app_6_a_participating_unit_sees_but_cannot_edit_or_submit(
    ready_project, applicant, other_unit, other_applicant
):
    services.set_participants(ready_project, by=applicant, lead_scope="门户", rows=[(other_unit, "接口")])
    assert access.can_view(other_applicant, ready_project)
    with pytest.raises(NotAllowed, match="R-APP-6"):
        services.submit(ready_project, by=other_applicant)
    with pytest.raises(NotAllowed, match="只有牵头单位可以修改"):
        services.update_section(ready_project, by=other_applicant, section="basic", changes={"name": "x"})
    services.set_participants(ready_project, by=applicant, lead_scope="门户", rows=[])
    permissions.forget(ready_project)
    assert not access.can_view(other_applicant, ready_project)
    assert actions(ready_project).count("projects.project.participants_changed") == 2


def test_grants_go_to_groups_not_people(ready_project, applicant, unit):
    from projects.models import ProjectGroupObjectPermission, ProjectUserObjectPermission

    assert ProjectUserObjectPermission.objects.count() == 0
    codenames = set(
        ProjectGroupObjectPermission.objects.filter(
            content_object=ready_project, group=unit.group
        ).values_list("permission__codename", flat=True)
    )
    assert codenames == {"view_project", "change_project", "submit_project"}


def test_a_new_clerk_of_the_unit_sees_its_projects_at_once(ready_project, unit):
    from govinfo.orgs.models import Role
    from tests.factories import member

    newcomer = member(Role.APPLICANT, unit=unit)
    assert access.visible(newcomer).filter(pk=ready_project.pk).exists()


def test_submission_lets_ndrc_see_the_case_and_nobody_else(
    ready_project, applicant, ndrc_signer, finance_reviewer, auditor, expert
):
    assert not access.visible(ndrc_signer).exists()
    services.submit(ready_project, by=applicant)
    assert access.visible(ndrc_signer).filter(pk=ready_project.pk).exists()
    for outsider in (finance_reviewer, expert):
        assert not access.visible(outsider).exists()
    # The auditor reads every case, the draft before it too (DOMAIN §1: read-only over everything).
    assert access.visible(auditor).filter(pk=ready_project.pk).exists()


def test_a_submitted_project_cannot_be_edited(ready_project, applicant):
    project = services.submit(ready_project, by=applicant)
    with pytest.raises(NotAllowed, match="只有草稿或退回修改的项目可以修改"):
        services.update_section(project, by=applicant, section="basic", changes={"name": "改名"})


def test_only_the_units_clerk_creates_its_projects(unit, other_applicant):
    with pytest.raises(NotAllowed):
        services.create_project(unit=unit, by=other_applicant, name="冒名项目")


def test_a_refused_submit_changes_nothing(project, applicant):
    with pytest.raises(ActionRefused):
        services.submit(project, by=applicant)
    assert actions(project) == ["projects.project.created"]
