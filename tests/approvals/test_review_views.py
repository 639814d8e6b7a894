"""Every review page and action, asked by every role: who may, who is refused (403 with the reason),
who learns nothing (404), and the anonymous visitor (sent to log in)."""

import pytest
from django.urls import reverse

from approvals import decisions, services
from approvals.models import Conclusion, IssuedDocument, Opinion, ReviewRound
from govinfo.orgs.models import Role
from projects.models import State
from tests.factories import member

from .review_factories import DEFAULT_AGENCIES, draft, evaluate, ready_for_decision, sign, task_of

ROLES = [
    "applicant",
    "other_applicant",
    "ndrc",
    "ndrc_clerk",
    "finance",
    "finance_clerk",
    "cyberspace",
    "bigdata",
    "agency_without_task",
    "expert_invited",
    "expert_not_invited",
    "auditor",
    "anonymous",
]


@pytest.fixture
def people(applicant, other_applicant, signers, auditor, expert):
    return {
        "applicant": applicant,
        "other_applicant": other_applicant,
        "ndrc": signers["ndrc"],
        "ndrc_clerk": member(Role.REVIEWER, agency_code="ndrc", username="ndrc-clerk"),
        "finance": signers["finance"],
        "finance_clerk": member(Role.REVIEWER, agency_code="finance", username="finance-clerk"),
        "cyberspace": signers["cyberspace"],
        "bigdata": signers["bigdata"],
        "agency_without_task": signers["stats"],
        "expert_invited": expert,
        "expert_not_invited": member(Role.EXPERT, username="expert-2"),
        "auditor": auditor,
        "anonymous": None,
    }


@pytest.fixture
def case(reviewing, people):
    """Round 1 open: finance signed (原则同意), bigdata drafted, one expert invited."""
    sign(reviewing, "finance", people["finance"], Conclusion.AGREE_WITH_CHANGES, "运维经费逐年核定。")
    draft(reviewing, "bigdata", people["bigdata"], text="草稿：数据共享接口尚待确认。")
    services.invite_expert(reviewing, people["expert_invited"], by=people["ndrc"])
    reviewing.refresh_from_db()
    return reviewing


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _expect(response, outcome):
    if outcome == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == outcome, response.content.decode()[:400]


# -- the reviewer's task list ---------------------------------------------------------------------

TASK_LIST = {
    "ndrc": 200,
    "ndrc_clerk": 200,
    "finance": 200,
    "finance_clerk": 200,
    "cyberspace": 200,
    "bigdata": 200,
    "agency_without_task": 200,
    "applicant": 403,
    "other_applicant": 403,
    "expert_invited": 403,
    "expert_not_invited": 403,
    "auditor": 403,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", ROLES)
def test_task_list_by_role(client, case, people, who):
    response = _as(client, people[who]).get(reverse("approvals:tasks") + "?show=all")
    _expect(response, TASK_LIST[who])
    if who in ("agency_without_task", "ndrc", "ndrc_clerk"):  # NDRC has no review task (R-REV-1)
        assert case.name not in response.content.decode()
    elif TASK_LIST[who] == 200:
        assert case.name in response.content.decode()


def test_the_open_task_list_leaves_out_signed_tasks(client, case, people):
    body = _as(client, people["finance"]).get(reverse("approvals:tasks")).content.decode()
    assert case.name not in body and 'data-testid="task-list-empty"' in body


def test_task_list_is_sorted_by_due_date_and_marks_overdue(client, case, people, unit, applicant):
    from datetime import timedelta

    from approvals.models import ReviewTask

    from .review_factories import in_review

    later = in_review(unit, applicant, people["ndrc"], name="四川省后到期的系统")
    ReviewTask.objects.filter(round__project=later).update(
        due_date=task_of(case, "cyberspace").due_date + timedelta(days=3)
    )
    ReviewTask.objects.filter(round__project=case, agency__code="cyberspace").update(
        due_date=task_of(case, "cyberspace").due_date - timedelta(days=30)
    )
    body = _as(client, people["cyberspace"]).get(reverse("approvals:tasks")).content.decode()
    assert body.index(case.name) < body.index("四川省后到期的系统")
    assert body.count('data-testid="overdue"') == 1


def test_task_list_query_count_does_not_grow_with_rows(
    client, case, people, unit, applicant, django_assert_max_num_queries
):
    from .review_factories import in_review

    for n in range(4):
        in_review(unit, applicant, people["ndrc"], name=f"四川省批量测试系统{n}")
    _as(client, people["ndrc"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("approvals:tasks")).status_code == 200


# -- one task -------------------------------------------------------------------------------------

TASK_PAGE = {
    "finance": 200,
    "finance_clerk": 200,
    "auditor": 200,
    "ndrc": 404,
    "ndrc_clerk": 404,
    "cyberspace": 404,
    "bigdata": 404,
    "agency_without_task": 404,
    "applicant": 404,
    "other_applicant": 404,
    "expert_invited": 404,
    "expert_not_invited": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", ROLES)
def test_task_page_by_role(client, case, people, who):
    task = task_of(case, "finance")
    _expect(_as(client, people[who]).get(reverse("approvals:task", args=[task.pk])), TASK_PAGE[who])


def test_the_auditor_reads_a_task_without_any_form(client, case, people):
    body = _as(client, people["auditor"]).get(reverse("approvals:task", args=[task_of(case, "bigdata").pk]))
    text = body.content.decode()
    assert "草稿：数据共享接口尚待确认。" in text
    assert 'data-testid="opinion-form"' not in text and 'data-testid="sign"' not in text


@pytest.mark.parametrize("who", ROLES)
def test_drafting_by_role(client, case, people, who):
    task = task_of(case, "cyberspace")
    data = {"conclusion": "agree", "text": "同意。", "conditions": ""}
    response = _as(client, people[who]).post(reverse("approvals:task_draft", args=[task.pk]), data)
    allowed = {"cyberspace": 302}
    expected = allowed.get(who, 403 if who == "auditor" else ("login" if who == "anonymous" else 404))
    _expect(response, expected)
    assert task.opinions.exists() == (who == "cyberspace")


def test_a_bad_draft_shows_the_error_next_to_the_field(client, case, people):
    task = task_of(case, "cyberspace")
    data = {"conclusion": "agree_with_changes", "text": "原则同意。", "conditions": ""}
    response = _as(client, people["cyberspace"]).post(reverse("approvals:task_draft", args=[task.pk]), data)
    assert response.status_code == 400
    assert "须写明修改意见" in response.content.decode() and "原则同意。" in response.content.decode()


@pytest.mark.parametrize("who", ROLES)
def test_signing_by_role(client, case, people, who):
    opinion = Opinion.objects.get(task=task_of(case, "bigdata"), status="draft")
    response = _as(client, people[who]).post(
        reverse("approvals:opinion_sign", args=[opinion.pk]), {"version": opinion.version}
    )
    expected = {"bigdata": 302, "auditor": 403, "anonymous": "login"}.get(who, 404)
    _expect(response, expected)
    opinion.refresh_from_db()
    assert opinion.is_signed == (who == "bigdata")


def test_a_reviewer_who_is_not_signer_is_refused_with_the_reason(client, case, people):
    opinion = draft(case, "finance", people["finance_clerk"], text="更正意见")
    response = _as(client, people["finance_clerk"]).post(
        reverse("approvals:opinion_sign", args=[opinion.pk]), {"version": opinion.version}
    )
    assert response.status_code == 403
    assert "签发人" in response.content.decode() and "R-REV-2" in response.content.decode()


@pytest.mark.parametrize("who", ROLES)
def test_assigning_by_role(client, case, people, who):
    task = task_of(case, "cyberspace")
    colleague = member(Role.REVIEWER, agency_code="cyberspace", username="cyber-clerk")
    response = _as(client, people[who]).post(
        reverse("approvals:task_assign", args=[task.pk]), {"assignee": colleague.pk}
    )
    expected = {"cyberspace": 302, "auditor": 403, "anonymous": "login"}.get(who, 404)
    _expect(response, expected)
    task.refresh_from_db()
    assert (task.assignee == colleague) == (who == "cyberspace")


def test_a_task_cannot_go_to_another_agencys_staff(client, case, people):
    task = task_of(case, "cyberspace")
    response = _as(client, people["cyberspace"]).post(
        reverse("approvals:task_assign", args=[task.pk]), {"assignee": people["finance_clerk"].pk}
    )
    assert response.status_code == 400  # not in the choice list: the error stands next to the field
    task.refresh_from_db()
    assert task.assignee is None


# -- a project's review page ----------------------------------------------------------------------

REVIEW_PAGE = {
    "applicant": 200,
    "ndrc": 200,
    "ndrc_clerk": 200,
    "finance": 200,
    "finance_clerk": 200,
    "cyberspace": 200,
    "bigdata": 200,
    "expert_invited": 200,
    "auditor": 200,
    "other_applicant": 404,
    "agency_without_task": 404,
    "expert_not_invited": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", ROLES)
def test_review_page_by_role(client, case, people, who):
    response = _as(client, people[who]).get(reverse("approvals:project", args=[case.pk]))
    _expect(response, REVIEW_PAGE[who])
    if REVIEW_PAGE[who] == 200:
        body = response.content.decode()
        assert "运维经费逐年核定。" in body  # finance's signed opinion: everyone who follows the review
        drafts_shown = "草稿：数据共享接口尚待确认。" in body
        assert drafts_shown == (who in ("bigdata", "auditor"))


@pytest.mark.parametrize("who", ROLES)
def test_review_list_by_role(client, case, people, who):
    response = _as(client, people[who]).get(reverse("approvals:projects"))
    if who == "anonymous":
        return _expect(response, "login")
    assert response.status_code == 200
    assert (case.name in response.content.decode()) == (REVIEW_PAGE[who] == 200)


def test_the_review_page_query_count_is_bounded(client, case, people, django_assert_max_num_queries):
    _as(client, people["ndrc"])
    # The decision guard (R-REV-3, R-REV-4, R-APP-4) runs once and feeds both the 批复 button and the list
    # of what still blocks it; the 评估论证 section adds a fixed number; the decision texts and the
    # application of the round under review add two more; the R-APP-4 bars are asked once (see below).
    with django_assert_max_num_queries(37):
        assert client.get(reverse("approvals:project", args=[case.pk])).status_code == 200


def test_r_app_4_the_review_page_asks_for_the_units_bars_once(client, case, people, monkeypatch):
    from delivery import blocking

    asked = []
    real = blocking.unit_bars

    def counting(unit, **kwargs):
        asked.append(unit.pk)
        return real(unit, **kwargs)

    monkeypatch.setattr(blocking, "unit_bars", counting)
    _as(client, people["ndrc"])
    assert client.get(reverse("approvals:project", args=[case.pk])).status_code == 200
    assert asked == [case.lead_unit_id]


# -- NDRC's actions -------------------------------------------------------------------------------


def _ready(case, people, signers):
    for code in DEFAULT_AGENCIES:
        if code == "finance":
            continue  # signed by the case fixture
        opinion = Opinion.objects.filter(task=task_of(case, code), status="draft").first()
        if opinion:
            services.sign_opinion(opinion, by=signers[code])
        else:
            sign(case, code, signers[code])
    invitation = ReviewRound.objects.get(project=case).expert_invitations.get()
    services.submit_expert_opinion(
        invitation, by=people["expert_invited"], recommendation="agree", opinion="可行。"
    )
    evaluate(case, people["ndrc"], method="experts", note="")
    case.refresh_from_db()
    assert case.state == State.EVALUATION


DECIDE = {
    "ndrc": 302,
    "ndrc_clerk": 403,
    "finance": 403,
    "finance_clerk": 403,
    "cyberspace": 403,
    "bigdata": 403,
    "applicant": 403,
    "expert_invited": 403,
    "auditor": 403,
    "other_applicant": 404,
    "agency_without_task": 404,
    "expert_not_invited": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", ROLES)
def test_approving_by_role(client, case, people, signers, who):
    _ready(case, people, signers)
    draft = decisions.save_draft(case, "approved", by=people["ndrc_clerk"], data=None, version=0)
    response = _as(client, people[who]).post(
        reverse("approvals:project_approve", args=[case.pk]), {"state": case.state, "version": draft.version}
    )
    _expect(response, DECIDE[who])
    assert IssuedDocument.objects.filter(kind="approval").exists() == (who == "ndrc")


@pytest.mark.parametrize("who", ROLES)
def test_rejecting_by_role(client, case, people, signers, who):
    _ready(case, people, signers)
    draft = decisions.save_draft(
        case, "rejected", by=people["ndrc_clerk"], data={"reasons": "不符合", "cc": ""}, version=0
    )
    response = _as(client, people[who]).post(
        reverse("approvals:project_reject", args=[case.pk]), {"state": case.state, "version": draft.version}
    )
    _expect(response, DECIDE[who])
    case.refresh_from_db()
    assert (case.state == State.REJECTED) == (who == "ndrc")


def test_the_decision_page_shows_why_it_cannot_approve_yet(client, case, people):
    body = _as(client, people["ndrc"]).get(reverse("approvals:project", args=[case.pk])).content.decode()
    assert 'data-testid="blocking"' in body and "R-REV-3" in body and 'data-testid="approve"' not in body
    response = client.post(reverse("approvals:project_approve", args=[case.pk]))
    assert response.status_code == 403 and "R-REV-3" in response.content.decode()


RETURN = {
    "ndrc": 302,
    "ndrc_clerk": 302,
    "finance": 302,
    "finance_clerk": 302,
    "cyberspace": 302,
    "bigdata": 302,
    "applicant": 403,
    "expert_invited": 403,
    "auditor": 403,
    "other_applicant": 404,
    "agency_without_task": 404,
    "expert_not_invited": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", ROLES)
def test_returning_by_role(client, case, people, who):
    response = _as(client, people[who]).post(
        reverse("approvals:project_return", args=[case.pk]), {"reason": "请补充材料。", "state": "in_review"}
    )
    _expect(response, RETURN[who])
    case.refresh_from_db()
    assert (case.state == State.RETURNED) == (RETURN[who] == 302)


def test_a_return_without_reasons_keeps_the_form_with_its_error(client, case, people):
    response = _as(client, people["finance"]).post(
        reverse("approvals:project_return", args=[case.pk]), {"reason": ""}
    )
    assert response.status_code == 400 and "field-error" in response.content.decode()


NDRC_ONLY = {
    "ndrc": 302,
    "ndrc_clerk": 302,
    "finance": 403,
    "finance_clerk": 403,
    "cyberspace": 403,
    "bigdata": 403,
    "applicant": 403,
    "expert_invited": 403,
    "auditor": 403,
    "other_applicant": 404,
    "agency_without_task": 404,
    "expert_not_invited": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", ROLES)
def test_adding_an_agency_by_role(client, case, people, who):
    from tests.factories import agency

    crypto = agency("stats")
    response = _as(client, people[who]).post(
        reverse("approvals:project_add_agency", args=[case.pk]), {"agency": crypto.pk}
    )
    _expect(response, NDRC_ONLY[who])
    assert ReviewRound.objects.get(project=case).tasks.filter(agency=crypto).exists() == (
        NDRC_ONLY[who] == 302
    )


@pytest.mark.parametrize("who", ROLES)
def test_inviting_an_expert_by_role(client, case, people, who):
    response = _as(client, people[who]).post(
        reverse("approvals:project_invite_expert", args=[case.pk]),
        {"expert": people["expert_not_invited"].pk},
    )
    _expect(response, NDRC_ONLY[who])
    invited = ReviewRound.objects.get(project=case).expert_invitations.filter(
        expert=people["expert_not_invited"]
    )
    assert invited.exists() == (NDRC_ONLY[who] == 302)


@pytest.mark.parametrize("who", ROLES)
def test_accepting_by_role(client, people, who, unit, applicant):
    from .review_factories import submitted

    project = submitted(unit, applicant)
    # NDRC sees every submitted project; reviewers have no task yet, so they learn nothing of it.
    expected = dict(
        NDRC_ONLY, finance=404, finance_clerk=404, cyberspace=404, bigdata=404, expert_invited=404
    )
    expected["auditor"] = 403
    response = _as(client, people[who]).post(reverse("approvals:project_accept", args=[project.pk]))
    _expect(response, expected[who])
    assert ReviewRound.objects.filter(project=project).exists() == (expected[who] == 302)


@pytest.mark.parametrize("who", ROLES)
def test_expert_opinion_by_role(client, case, people, who):
    invitation = ReviewRound.objects.get(project=case).expert_invitations.get()
    response = _as(client, people[who]).post(
        reverse("approvals:invitation_submit", args=[invitation.pk]),
        {"recommendation": "agree", "opinion": "可行。"},
    )
    expected = {"expert_invited": 302, "anonymous": "login", "auditor": 403}.get(who, 404)
    _expect(response, expected)
    invitation.refresh_from_db()
    assert invitation.is_submitted == (who == "expert_invited")


# -- documents: the applicant downloads its 批复 and signed 审核意见书 ---------------------------------

DOWNLOAD = {
    "applicant": 200,
    "ndrc": 200,
    "ndrc_clerk": 200,
    "finance": 200,
    "finance_clerk": 200,
    "cyberspace": 200,
    "bigdata": 200,
    "expert_invited": 200,
    "auditor": 200,
    "other_applicant": 404,
    "agency_without_task": 404,
    "expert_not_invited": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", ROLES)
def test_downloading_the_approval_and_opinions_by_role(client, case, people, signers, who):
    _ready(case, people, signers)
    approval = services.approve(case, by=people["ndrc"])
    opinion_document = Opinion.objects.get(task=task_of_round(case, "finance")).document
    for document in (approval, opinion_document):
        response = _as(client, people[who]).get(reverse("documents:download", args=[document.pk]))
        _expect(response, DOWNLOAD[who])


def test_the_document_list_agrees_with_the_download_check_for_every_role(case, people, signers):
    from django.contrib.auth.models import AnonymousUser

    from govinfo.documents import access

    _ready(case, people, signers)
    services.approve(case, by=people["ndrc"])
    documents = list(IssuedDocument.objects.all())
    for who, user in people.items():
        user = user or AnonymousUser()
        allowed = {document for document in documents if access.can_view_document(user, document)[0]}
        assert set(access.documents_visible_to(user)) == allowed, who


def task_of_round(project, code):
    return ReviewRound.objects.get(project=project).tasks.get(agency__code=code)


def test_the_applicant_sees_signed_opinions_and_the_approval_on_its_review_page(
    client, reviewing, signers, applicant
):
    ready_for_decision(reviewing, signers)
    document = services.approve(reviewing, by=signers["ndrc"])
    body = _as(client, applicant).get(reverse("approvals:project", args=[reviewing.pk])).content.decode()
    assert document.doc_number in body and reverse("documents:download", args=[document.pk]) in body
    assert body.count('data-testid="opinion-document"') == 7


def test_the_unit_finds_the_review_from_its_project_page(client, db):
    from approvals import services as review_services
    from govinfo.orgs.models import Role
    from projects import services as project_services
    from tests.factories import PASSWORD, UnitFactory, member
    from tests.projects.factories import complete

    unit = UnitFactory()
    clerk = member(Role.APPLICANT, unit=unit)
    ndrc = member(Role.SIGNER, agency_code="ndrc")
    project = complete(unit, clerk)
    project_services.submit(project, by=clerk)
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "审查与批复" not in page  # no review round yet
    review_services.accept_into_review(project, by=ndrc)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/review/projects/{project.pk}/"' in page
    assert client.get(f"/review/projects/{project.pk}/").status_code == 200
