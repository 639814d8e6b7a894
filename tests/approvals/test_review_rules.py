"""The review rules R-REV-1 … R-REV-5 (R-REV-6 numbering: tests/documents/test_numbering.py and the concurrency tests)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from approvals import services
from approvals.guards import current_opinions
from approvals.models import (
    Conclusion,
    ExpertInvitation,
    IssuedDocument,
    Opinion,
    OpinionImmutableError,
    ReviewRound,
    ReviewTask,
)
from govinfo.errors import Conflict, NotAllowed, Refused
from govinfo.orgs.models import Role
from govinfo.workdays.days import add_working_days
from projects import access
from projects import services as project_services
from projects.models import State
from tests.factories import agency, member

from .review_factories import (
    DEFAULT_AGENCIES,
    draft,
    evaluate,
    in_review,
    ready_for_decision,
    sign,
    sign_all,
    task_of,
)

# -- R-REV-1 ---------------------------------------------------------------------------------------


def test_r_rev_1_accepting_opens_one_task_per_default_agency_due_in_working_days(reviewing):
    round = ReviewRound.objects.get(project=reviewing)
    assert (round.number, round.stage, round.status) == (1, "implementation", "open")
    tasks = ReviewTask.objects.filter(round=round)
    assert sorted(t.agency.code for t in tasks) == sorted(DEFAULT_AGENCIES)
    assert {t.due_date for t in tasks} == {add_working_days(timezone.localdate(), 5)}
    assert reviewing.state == State.IN_REVIEW


def test_r_rev_1_the_due_date_follows_the_setting(settings, unit, applicant, signers):
    settings.REVIEW_DUE_WORKING_DAYS = 10
    project = in_review(unit, applicant, signers["ndrc"])
    assert task_of(project, "finance").due_date == add_working_days(timezone.localdate(), 10)


def test_r_rev_1_each_reviewing_agency_sees_the_project_and_others_do_not(reviewing):
    finance_clerk = member(Role.REVIEWER, agency_code="finance")
    crypto_clerk = member(Role.REVIEWER, agency_code="stats")
    assert access.can_view(finance_clerk, reviewing)
    assert not access.can_view(crypto_clerk, reviewing)


def test_r_rev_1_ndrc_adds_an_optional_agency_which_then_reviews_too(reviewing, signers):
    round = ReviewRound.objects.get(project=reviewing)
    task = services.add_agency(round, agency("stats"), by=signers["ndrc"])
    assert task.added_by_ndrc and task.status == "open"
    assert access.can_view(member(Role.REVIEWER, agency_code="stats"), reviewing)
    with pytest.raises(NotAllowed, match="已在本轮"):
        services.add_agency(round, agency("stats"), by=signers["ndrc"])


def test_r_rev_1_a_round_opened_before_an_agency_became_required_waits_for_its_opinion(reviewing, signers):
    from govinfo.orgs.models import Agency

    # An administrator makes another agency required after the round was opened (as orgs migration 0004
    # did for four of the seven): the decision waits until NDRC has added it and it has signed.
    Agency.objects.filter(code="stats").update(reviews_by_default=True)
    ready_for_decision(reviewing, signers)
    with pytest.raises(Refused) as refused:
        services.approve(reviewing, by=signers["ndrc"])
    assert "R-REV-1" in refused.value.message and "省统计局" in refused.value.message
    services.add_agency(ReviewRound.objects.get(project=reviewing), agency("stats"), by=signers["ndrc"])
    sign(reviewing, "stats", signers["stats"])
    reviewing.refresh_from_db()
    services.approve(reviewing, by=signers["ndrc"])


def test_r_rev_1_only_ndrc_adds_agencies_and_never_an_oversight_body(reviewing, signers):
    round = ReviewRound.objects.get(project=reviewing)
    with pytest.raises(NotAllowed, match="R-REV-1"):
        services.add_agency(round, agency("stats"), by=signers["finance"])
    with pytest.raises(NotAllowed, match="不是审核机构"):
        services.add_agency(round, agency("audit"), by=signers["ndrc"])


def test_r_rev_1_only_ndrc_accepts_into_review(unit, applicant, signers):
    from .review_factories import submitted

    project = submitted(unit, applicant)
    with pytest.raises(NotAllowed, match="只有省发展改革委"):
        services.accept_into_review(project, by=signers["finance"])
    assert not ReviewRound.objects.exists()


# -- R-REV-2 ---------------------------------------------------------------------------------------


def test_r_rev_2_signing_freezes_the_opinion_and_issues_its_document(reviewing, signers):
    opinion = sign(
        reviewing, "finance", signers["finance"], Conclusion.AGREE_WITH_CHANGES, "运维经费按年度预算核定。"
    )
    assert opinion.is_signed and opinion.signed_by == signers["finance"] and opinion.signed_at
    document = opinion.document
    assert document.kind == IssuedDocument.Kind.OPINION
    assert document.doc_number == f"川财审〔{timezone.localdate().year}〕1号"
    assert IssuedDocument.objects.for_target(opinion).get() == document
    assert task_of(reviewing, "finance").status == "signed"


def test_r_rev_2_a_signed_opinion_cannot_be_changed_or_deleted(reviewing, signers):
    opinion = sign(reviewing, "finance", signers["finance"])
    opinion.text = "改过的意见"
    with pytest.raises(OpinionImmutableError, match="R-REV-2"):
        opinion.save()
    with pytest.raises(OpinionImmutableError):
        Opinion.objects.filter(pk=opinion.pk).update(text="改过的意见")
    with pytest.raises(OpinionImmutableError):
        opinion.delete()
    with pytest.raises(OpinionImmutableError):
        Opinion.objects.filter(pk=opinion.pk).delete()
    assert Opinion.objects.get(pk=opinion.pk).text == "经审核，同意该项目建设方案。"


def test_r_rev_2_only_the_agencys_signer_signs(reviewing, signers):
    finance_clerk = member(Role.REVIEWER, agency_code="finance")
    opinion = draft(reviewing, "finance", finance_clerk)
    with pytest.raises(NotAllowed, match="签发人"):
        services.sign_opinion(opinion, by=finance_clerk)
    with pytest.raises(NotAllowed, match="签发人"):
        services.sign_opinion(opinion, by=signers["cyberspace"])
    with pytest.raises(NotAllowed):
        services.save_draft(
            task_of(reviewing, "finance"), by=signers["cyberspace"], conclusion="agree", text="x"
        )
    services.sign_opinion(opinion, by=signers["finance"])
    with pytest.raises(Conflict, match="已由"):
        services.sign_opinion(opinion, by=signers["finance"])


def test_r_rev_2_a_correction_supersedes_the_signed_opinion_and_both_are_kept(reviewing, signers):
    first = sign(reviewing, "cyberspace", signers["cyberspace"], Conclusion.DISAGREE)
    correction = draft(
        reviewing, "cyberspace", signers["cyberspace"], Conclusion.AGREE, "补充密码应用方案后同意。"
    )
    assert correction.pk != first.pk and correction.supersedes == first
    correction = services.sign_opinion(correction, by=signers["cyberspace"])
    task = task_of(reviewing, "cyberspace")
    assert list(task.opinions.order_by("id").values_list("conclusion", "status")) == [
        ("disagree", "signed"),
        ("agree", "signed"),
    ]
    assert current_opinions(task.round)[task.pk] == correction
    assert first.document.doc_number in correction.document.content["body"][-1][1]


def test_r_rev_2_principled_agreement_needs_the_requested_changes(reviewing, signers):
    with pytest.raises(Refused, match="修改意见"):
        draft(reviewing, "finance", signers["finance"], Conclusion.AGREE_WITH_CHANGES, conditions="")


# -- R-REV-3 ---------------------------------------------------------------------------------------


def test_r_rev_3_no_approval_before_every_opinion_is_signed(reviewing, signers):
    for code in DEFAULT_AGENCIES[:-1]:
        sign(reviewing, code, signers[code])
    draft(reviewing, "bigdata", signers["bigdata"])
    evaluate(reviewing, signers["ndrc"])
    reviewing.refresh_from_db()
    with pytest.raises(Refused) as refused:
        services.approve(reviewing, by=signers["ndrc"])
    message = refused.value.message
    assert "R-REV-3" in message and "第二十二条" in message and "省大数据中心" in message
    reviewing.refresh_from_db()
    assert reviewing.state == State.IN_REVIEW
    assert not IssuedDocument.objects.filter(kind=IssuedDocument.Kind.APPROVAL).exists()


def test_r_rev_3_the_refusal_reads_in_english_with_the_agencies_listed(reviewing, signers):
    from django.utils import translation

    for code in DEFAULT_AGENCIES:
        if code not in ("cyberspace", "bigdata"):
            sign(reviewing, code, signers[code])
    reviewing.refresh_from_db()
    with translation.override("en"), pytest.raises(Refused) as refused:
        services.approve(reviewing, by=signers["ndrc"])
    message = refused.value.message
    assert message.startswith("Under Art. 22, Art. 24 of the Sichuan") and "(R-REV-3)" in message
    assert "The review opinions of the following agencies are not yet signed: " in message
    # Agency names are data (Chinese); everything around them is English, the list included.
    assert "、" not in message and "，" not in message and "省委网信办, 省大数据中心" in message


def test_r_rev_3_a_disagreement_blocks_approval_until_superseded(reviewing, signers):
    sign_all(reviewing, signers, {"cyberspace": Conclusion.DISAGREE})
    evaluate(reviewing, signers["ndrc"])
    assert reviewing.state == State.EVALUATION
    with pytest.raises(Refused, match="R-REV-3.*省委网信办.*不同意"):
        services.approve(reviewing, by=signers["ndrc"])
    sign(reviewing, "cyberspace", signers["cyberspace"], Conclusion.AGREE)
    reviewing.refresh_from_db()
    document = services.approve(reviewing, by=signers["ndrc"])
    assert document.kind == IssuedDocument.Kind.APPROVAL
    reviewing.refresh_from_db()
    assert reviewing.state == State.APPROVED


def test_r_rev_3_an_added_agency_must_sign_before_the_decision(reviewing, signers):
    services.add_agency(ReviewRound.objects.get(project=reviewing), agency("stats"), by=signers["ndrc"])
    sign_all(reviewing, signers)
    evaluate(reviewing, signers["ndrc"])
    assert reviewing.state == State.IN_REVIEW
    with pytest.raises(Refused, match="省统计局"):
        services.approve(reviewing, by=signers["ndrc"])
    sign(reviewing, "stats", signers["stats"])
    reviewing.refresh_from_db()
    assert reviewing.state == State.EVALUATION
    services.approve(reviewing, by=signers["ndrc"])


def test_r_rev_3_only_ndrcs_signer_decides(reviewing, signers):
    sign_all(reviewing, signers)
    ndrc_clerk = member(Role.REVIEWER, agency_code="ndrc")
    for user in (ndrc_clerk, signers["finance"]):
        with pytest.raises(Refused, match="R-REV-3"):
            services.approve(reviewing, by=user)
        with pytest.raises(Refused, match="R-REV-3"):
            services.reject(reviewing, by=user, reason="不符合要求")


def test_r_rev_3_rejection_is_final_and_keeps_its_reasons(reviewing, signers):
    sign_all(reviewing, signers, {"finance": Conclusion.DISAGREE})
    services.reject(reviewing, by=signers["ndrc"], reason="资金来源不落实。")
    reviewing.refresh_from_db()
    assert reviewing.state == State.REJECTED
    round = ReviewRound.objects.get(project=reviewing)
    assert (round.status, round.outcome, round.reason) == ("decided", "rejected", "资金来源不落实。")
    with pytest.raises(NotAllowed, match="不予批复"):
        services.approve(reviewing, by=signers["ndrc"])


def test_r_rev_3_the_approval_carries_title_headings_amounts_conditions_and_cc(reviewing, signers):
    sign_all(reviewing, signers)
    assert reviewing.state == State.EVALUATION
    round = ReviewRound.objects.get(project=reviewing)
    # A correction with conditions from the Big-data centre: the 批复 quotes the current opinion only.
    sign(
        reviewing,
        "bigdata",
        signers["bigdata"],
        Conclusion.AGREE_WITH_CHANGES,
        "接入省一体化政务数据共享交换平台。",
    )
    evaluate(reviewing, signers["ndrc"])
    reviewing.refresh_from_db()
    document = services.approve(reviewing, by=signers["ndrc"])
    assert document.title == "关于《四川省测试业务系统实施方案》的批复"
    content = document.content
    assert content["addressee"] == reviewing.lead_unit.name
    headings = [text for level, text, _ in content["body"] if level == 1]
    assert headings == ["一、建设内容与规模", "二、总投资及资金来源", "三、建设期限", "四、有关要求"]
    text = "".join(text + run_in for _, text, run_in in content["body"])
    assert "项目总投资1,500.00万元" in text and "省级财政资金" in text
    assert "省大数据中心意见。接入省一体化政务数据共享交换平台。" in text
    assert content["cc"] == [
        "省委网信办",
        "省保密局",
        "省密码管理局",
        "省经济和信息化厅",
        "省公安厅",
        "省财政厅",
        "省大数据中心",
    ]
    round.refresh_from_db()
    assert round.decision_document == document and round.outcome == "approved"


# -- R-REV-4 ---------------------------------------------------------------------------------------


def test_r_rev_4_the_last_signature_moves_the_project_to_evaluation(reviewing, signers):
    for code in DEFAULT_AGENCIES[:-1]:
        sign(reviewing, code, signers[code])
        reviewing.refresh_from_db()
        assert reviewing.state == State.IN_REVIEW
    sign(reviewing, "bigdata", signers["bigdata"])
    reviewing.refresh_from_db()
    assert reviewing.state == State.EVALUATION


def test_r_rev_4_an_invited_expert_sees_that_project_only(reviewing, signers, unit, applicant, expert):
    other = in_review(unit, applicant, signers["ndrc"], name="四川省另一个测试系统")
    services.invite_expert(reviewing, expert, by=signers["ndrc"])
    assert access.can_view(expert, reviewing)
    assert not access.can_view(expert, other)


def test_r_rev_4_the_decision_waits_for_the_invited_experts(reviewing, signers, expert):
    invitation = services.invite_expert(reviewing, expert, by=signers["ndrc"])
    sign_all(reviewing, signers)
    evaluate(reviewing, signers["ndrc"], method="experts", note="")
    with pytest.raises(Refused, match="R-REV-4.*专家"):
        services.approve(reviewing, by=signers["ndrc"])
    services.submit_expert_opinion(invitation, by=expert, recommendation="agree", opinion="技术路线可行。")
    with pytest.raises(Conflict):
        services.submit_expert_opinion(invitation, by=expert, recommendation="agree", opinion="再次提交")
    services.approve(reviewing, by=signers["ndrc"])
    assert ExpertInvitation.objects.get().opinion == "技术路线可行。"


def test_r_rev_4_only_experts_are_invited_and_only_by_ndrc(reviewing, signers, expert, applicant):
    with pytest.raises(NotAllowed, match="专家库"):
        services.invite_expert(reviewing, applicant, by=signers["ndrc"])
    with pytest.raises(NotAllowed, match="R-REV-4"):
        services.invite_expert(reviewing, expert, by=signers["finance"])
    invitation = services.invite_expert(reviewing, expert, by=signers["ndrc"])
    other_expert = member(Role.EXPERT)
    with pytest.raises(NotAllowed, match="受邀专家本人"):
        services.submit_expert_opinion(invitation, by=other_expert, recommendation="agree", opinion="x")


# -- R-REV-5 ---------------------------------------------------------------------------------------


def test_r_rev_5_a_reviewer_returns_with_reasons_and_the_open_tasks_close(reviewing, signers):
    sign(reviewing, "finance", signers["finance"])
    draft(reviewing, "bigdata", signers["bigdata"])
    services.return_application(reviewing, by=signers["cyberspace"], reason="请补充密码应用方案。")
    assert reviewing.state == State.RETURNED and reviewing.last_return_reason == "请补充密码应用方案。"
    round = ReviewRound.objects.get(project=reviewing)
    assert (round.status, round.outcome, round.closed_by) == ("returned", "returned", signers["cyberspace"])
    statuses = dict(round.tasks.values_list("agency__code", "status"))
    assert statuses == {code: "signed" if code == "finance" else "closed" for code in DEFAULT_AGENCIES}
    with pytest.raises(NotAllowed, match="已结束"):
        services.save_draft(
            round.tasks.get(agency__code="police"), by=signers["police"], conclusion="agree", text="x"
        )


def test_r_rev_5_resubmission_opens_round_two_and_round_one_stays(reviewing, signers, applicant):
    sign(reviewing, "finance", signers["finance"], Conclusion.DISAGREE)
    services.return_application(reviewing, by=signers["ndrc"], reason="投资测算依据不足。")
    project_services.submit(reviewing, by=applicant)
    round_two = services.accept_into_review(reviewing, by=signers["ndrc"])
    assert round_two.number == 2
    rounds = list(ReviewRound.objects.filter(project=reviewing).order_by("number"))
    assert [(r.number, r.status) for r in rounds] == [(1, "returned"), (2, "open")]
    assert rounds[0].tasks.get(agency__code="finance").opinions.get().conclusion == "disagree"
    # Round 1's 不同意 does not count against round 2 (nor its evaluation: each round is evaluated).
    ready_for_decision(reviewing, signers)
    services.approve(reviewing, by=signers["ndrc"])


def test_r_rev_5_an_agency_without_a_task_cannot_return(reviewing):
    crypto_signer = member(Role.SIGNER, agency_code="stats")
    with pytest.raises(NotAllowed, match="R-REV-5"):
        services.return_application(reviewing, by=crypto_signer, reason="不符合要求")
    assert ReviewRound.objects.get(project=reviewing).status == "open"


def test_r_rev_5_a_return_needs_reasons(reviewing, signers):
    with pytest.raises(Refused, match="理由"):
        services.return_application(reviewing, by=signers["finance"], reason="  ")


def test_r_rev_5_ndrc_may_return_during_evaluation(reviewing, signers):
    sign_all(reviewing, signers)
    services.return_application(reviewing, by=signers["ndrc"], reason="请补充专家评审意见的落实情况。")
    assert reviewing.state == State.RETURNED


# -- R-APP-8 / R-APP-9: two steps --------------------------------------------------------------------


def test_r_app_8_a_two_step_project_gets_the_feasibility_approval_then_its_design_round(
    unit, applicant, signers
):
    from projects.models import MaterialKind, TwoStepStage
    from tests.projects.factories import pdf_upload

    project = in_review(unit, applicant, signers["ndrc"], name="四川省全民健康信息平台", investment_wan=8600)
    assert ReviewRound.objects.get(project=project).stage == "feasibility"
    ready_for_decision(project, signers)
    first = services.approve(project, by=signers["ndrc"])
    assert first.title == "关于《四川省全民健康信息平台可行性研究报告》的批复"
    project.refresh_from_db()
    assert project.state == State.DRAFT and project.two_step_stage == TwoStepStage.PRELIMINARY_DESIGN
    assert project.feasibility_approved_investment == Decimal(8600) * 10000

    # R-APP-9: the unit now submits the 初步设计, which gets its own review round.
    project_services.update_section(
        project, by=applicant, section="design", changes={"design_exceeds_feasibility": False}
    )
    project_services.upload_material(
        project, by=applicant, kind=MaterialKind.PRELIMINARY_DESIGN, upload=pdf_upload("初步设计.pdf")
    )
    project_services.submit(project, by=applicant)
    design_round = services.accept_into_review(project, by=signers["ndrc"])
    assert (design_round.stage, design_round.number) == ("preliminary_design", 1)
    ready_for_decision(project, signers)  # the 初步设计 has its own 评估论证 (R-REV-4: every 批复)
    final = services.approve(project, by=signers["ndrc"])
    assert final.title == "关于《四川省全民健康信息平台初步设计》的批复"
    project.refresh_from_db()
    assert project.state == State.APPROVED
    assert final.number == first.number + 1  # NDRC writes no opinion of its own in between


def test_r_rev_2_a_correction_dates_the_opinion_it_corrects_on_beijing_time(reviewing, signers, monkeypatch):
    # Signed at 04:30 on 25 November in Beijing, which is still 24 November in UTC.
    import datetime as dt

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 24, 20, 30, tzinfo=dt.UTC))
    sign(reviewing, "cyberspace", signers["cyberspace"], Conclusion.DISAGREE)
    monkeypatch.undo()
    correction = draft(reviewing, "cyberspace", signers["cyberspace"], Conclusion.AGREE, "补充后同意。")
    correction = services.sign_opinion(correction, by=signers["cyberspace"])
    assert "本意见更正本机构2026年11月25日出具的审核意见" in correction.document.content["body"][-1][1]
