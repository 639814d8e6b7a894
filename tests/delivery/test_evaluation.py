"""Self-evaluation and post-evaluation: R-EVA-1, R-EVA-2 (川办法 第四十六条)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery import evaluation, overdue
from delivery.dates import add_months
from delivery.models import Acceptance, PostEvaluation, SelfEvaluation
from govinfo.errors import NotAllowed, Refused
from govinfo.home.todo import items_for
from projects.models import Project, State

from .factories import more_operating, operating, pdf

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
TEXTS = {"goals_achieved": "目标达成。", "resource_use": "资源利用充分。", "security": "无重大风险。"}


def test_r_eva_1_a_self_evaluation_before_twelve_months_of_operation_is_refused(building, applicant, signers):
    operating(building, applicant, signers["ndrc"], months_ago=11)
    with pytest.raises(Refused) as exc:
        evaluation.self_evaluate(building, by=applicant, **TEXTS)
    text = str(exc.value)
    assert "第四十六条（R-EVA-1）" in text and "12至24个月" in text
    assert Project.objects.get(pk=building.pk).state == State.IN_OPERATION


def test_r_eva_1_between_twelve_and_twenty_four_months_it_is_filed_on_time(building, applicant, signers):
    operating(building, applicant, signers["ndrc"], months_ago=13)
    filed = evaluation.self_evaluate(building, by=applicant, report=pdf("自评价报告.pdf"), **TEXTS)
    assert building.state == State.SELF_EVALUATED and not filed.is_late
    assert filed.report.kind == "self_evaluation"


def test_r_eva_1_after_twenty_four_months_it_is_overdue_accepted_and_marked_late(
    building, applicant, signers
):
    operating(building, applicant, signers["ndrc"], months_ago=26)
    overdue = [item for item in items_for(signers["ndrc"]) if "逾期未自评价" in item.title]
    assert overdue and overdue[0].overdue
    filed = evaluation.self_evaluate(building, by=applicant, **TEXTS)
    assert filed.is_late and filed.due_date < TODAY()


def test_r_eva_1_the_window_ends_on_a_working_day():
    from govinfo.workdays.days import is_workday

    for start in (dt.date(2024, 1, 1), dt.date(2024, 4, 6), dt.date(2024, 10, 1)):
        opens, due = evaluation.window(start)
        assert opens == add_months(start, 12) and due >= add_months(start, 24) and is_workday(due)


def test_r_eva_1_the_self_evaluation_needs_its_three_parts(building, applicant, signers):
    operating(building, applicant, signers["ndrc"], months_ago=13)
    with pytest.raises(Refused) as exc:
        evaluation.self_evaluate(building, by=applicant, goals_achieved="", resource_use="", security="")
    text = str(exc.value)
    assert "绩效目标实现情况" in text and "信息资源共享" in text and "安全风险" in text


@pytest.fixture
def self_evaluated(building, applicant, signers):
    operating(building, applicant, signers["ndrc"], months_ago=13)
    evaluation.self_evaluate(building, by=applicant, **TEXTS)
    return building


def test_r_eva_2_a_post_evaluation_must_be_ordered_with_experts_or_a_third_party(self_evaluated, signers):
    with pytest.raises(Refused) as exc:
        evaluation.record_post_evaluation(
            self_evaluated, by=signers["ndrc"], rating="good", conclusion="好。", report=pdf()
        )
    assert "第四十六条（R-EVA-2）" in str(exc.value)
    with pytest.raises(Refused) as exc:
        evaluation.order_post_evaluation(
            self_evaluated, by=signers["finance"], method="departments", evaluator=""
        )
    assert "专家或第三方机构" in str(exc.value)


def test_r_eva_2_finance_orders_ndrc_records_and_the_result_stands_on_the_units_record(
    client, self_evaluated, signers, applicant
):
    ordered = evaluation.order_post_evaluation(
        self_evaluated, by=signers["finance"], method="experts", evaluator="张教授、李研究员"
    )
    assert ordered.ordering_agency.code == "finance"
    with pytest.raises(Refused, match="后评价报告"):
        evaluation.record_post_evaluation(
            self_evaluated, by=signers["ndrc"], rating="fair", conclusion="一般。"
        )
    recorded = evaluation.record_post_evaluation(
        self_evaluated,
        by=signers["ndrc"],
        rating="fair",
        conclusion="部分功能使用率偏低。",
        funding_advice="下一年度运维经费按80%安排。",
        report=pdf("后评价报告.pdf"),
    )
    assert self_evaluated.state == State.EVALUATED and recorded.rating == "fair"
    assert evaluation.unit_record(self_evaluated.lead_unit) == [recorded]
    client.force_login(applicant)
    page = client.get(reverse("delivery:unit", args=[self_evaluated.lead_unit_id])).content.decode()
    assert "部分功能使用率偏低。" in page and "下一年度运维经费按80%安排。" in page
    assert "下一年度安排自行建设、购买服务和运行维护经费的重要依据" in page


def test_r_eva_2_a_post_evaluation_is_ordered_once(self_evaluated, signers):
    evaluation.order_post_evaluation(
        self_evaluated, by=signers["ndrc"], method="third_party", evaluator="某评估公司"
    )
    with pytest.raises(NotAllowed, match="已组织"):
        evaluation.order_post_evaluation(
            self_evaluated, by=signers["finance"], method="experts", evaluator="专家"
        )


OTHERS = [
    "other_unit",
    "ndrc",
    "ndrc_reviewer",
    "finance",
    "cyberspace",
    "bigdata",
    "auditor",
    "expert",
    "admin",
]


@pytest.mark.parametrize("who", OTHERS)
def test_r_eva_1_only_the_unit_files_its_self_evaluation(building, applicant, signers, people, who):
    operating(building, applicant, signers["ndrc"], months_ago=13)
    with pytest.raises(NotAllowed):
        evaluation.self_evaluate(building, by=people[who], **TEXTS)
    assert not SelfEvaluation.objects.exists()


@pytest.mark.parametrize("who", ["unit", "other_unit", "cyberspace", "bigdata", "auditor", "expert", "admin"])
def test_r_eva_2_only_ndrc_or_finance_orders_and_records_a_post_evaluation(
    self_evaluated, signers, people, who
):
    with pytest.raises(NotAllowed):
        evaluation.order_post_evaluation(self_evaluated, by=people[who], method="experts", evaluator="专家")
    evaluation.order_post_evaluation(self_evaluated, by=signers["ndrc"], method="experts", evaluator="专家")
    with pytest.raises(NotAllowed):
        evaluation.record_post_evaluation(
            self_evaluated, by=people[who], rating="good", conclusion="好。", report=pdf()
        )
    assert not PostEvaluation.objects.filter(recorded_at__isnull=False).exists()


# -- the to-do lists and the overdue count cost what they show ---------------------------------------


def _titles(user, marker: str) -> list[str]:
    return [item.title for item in items_for(user) if marker in item.title]


def test_r_eva_1_ndrc_sees_twenty_overdue_self_evaluations_and_how_many_more(building, applicant, signers):
    operating(building, applicant, signers["ndrc"], months_ago=30)
    more_operating(building, 24, months_ago=26)
    listed = [item for item in items_for(signers["ndrc"]) if item.category == "评价"]
    overdue = [item for item in listed if item.title.startswith("逾期未自评价")]
    assert len(overdue) == 20 and all(item.overdue for item in overdue)
    # The longest overdue first: the case accepted 30 months ago leads.
    assert overdue[0].title == f"逾期未自评价：{building.name}"
    assert [item.title for item in listed if item.is_more] == ["另有 5 项逾期未自评价的项目，查看全部"]


def test_r_eva_1_the_unit_sees_its_case_once_the_window_opens_and_not_before(
    building, applicant, other_applicant, signers
):
    operating(building, applicant, signers["ndrc"], months_ago=11)
    assert not _titles(applicant, "自评价：")
    Acceptance.objects.filter(project=building).update(decided_on=add_months(TODAY(), -12))
    (item,) = [item for item in items_for(applicant) if item.title == f"自评价：{building.name}"]
    assert item.due == evaluation.window(add_months(TODAY(), -12))[1]
    assert not _titles(other_applicant, "自评价") and not _titles(signers["ndrc"], "自评价")


def test_r_eva_1_a_filed_self_evaluation_leaves_the_lists_and_the_overdue_count(building, applicant, signers):
    operating(building, applicant, signers["ndrc"], months_ago=26)
    assert _titles(applicant, "自评价：") and _titles(signers["ndrc"], "逾期未自评价")
    assert overdue.self_evaluations(TODAY()) == 1
    evaluation.self_evaluate(building, by=applicant, **TEXTS)
    assert not _titles(applicant, "自评价") and not _titles(signers["ndrc"], "自评价")
    assert overdue.self_evaluations(TODAY()) == 0


def test_r_eva_1_the_overdue_count_counts_only_the_cases_past_their_deadline(building, applicant, signers):
    operating(building, applicant, signers["ndrc"], months_ago=13)  # within the window
    more_operating(building, 3, months_ago=25)  # overdue
    more_operating(building, 2, months_ago=6)  # window not open
    assert overdue.self_evaluations(TODAY()) == 3
    assert overdue.self_evaluations(add_months(TODAY(), 12)) == 4
    assert overdue.self_evaluations(add_months(TODAY(), 30)) == 6


@pytest.mark.parametrize("around", [dt.date(2026, 10, 1), dt.date(2027, 2, 6), dt.date(2025, 3, 1)])
def test_r_eva_1_the_sql_cutoffs_agree_with_the_window_day_by_day(around):
    """The lists filter on ``decided_on <= overdue_by(today)``: the same cases as ``window(start)[1] < today``,
    through holidays (国庆, 春节) and short months."""
    for offset in range(-3, 12):
        today = around + dt.timedelta(days=offset)
        for back in range(-12, 12):
            start = add_months(today, -24) + dt.timedelta(days=back)
            assert (start <= evaluation.overdue_by(today)) == (evaluation.window(start)[1] < today), (
                today,
                start,
            )
            opens = add_months(today, -12) + dt.timedelta(days=back)
            assert (opens <= evaluation.opened_by(today)) == (evaluation.window(opens)[0] <= today)
