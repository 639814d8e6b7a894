"""The reviewer's to-do list: the agency's open tasks nobody else holds, and how many more there are."""

from approvals.models import ReviewTask
from govinfo.home.todo import items_for
from govinfo.orgs.models import Role
from tests.factories import member

from .review_factories import in_review, task_of


def _review_items(user) -> list[str]:
    return [item.title for item in items_for(user) if item.category == "审核任务"]


def test_a_reviewers_list_leaves_out_what_colleagues_hold_and_counts_only_the_rest(unit, applicant, signers):
    reviewer = member(Role.REVIEWER, agency_code="finance", username="finance-clerk")
    colleague = member(Role.REVIEWER, agency_code="finance", username="finance-colleague")
    projects = [in_review(unit, applicant, signers["ndrc"], name=f"四川省测试系统{n:02d}") for n in range(22)]
    held = [task_of(project, "finance").pk for project in projects[:21]]
    ReviewTask.objects.filter(pk__in=held).update(assignee=colleague)

    assert _review_items(reviewer) == ["审核：四川省测试系统21"]
    # The colleague sees their 21 and the unassigned one: twenty listed and two more.
    mine = _review_items(colleague)
    assert len(mine) == 21 and mine[-1] == "另有 2 项审核任务，查看全部"
