"""The 批复 is NDRC's text (issue 9 item 5): drafted from a summarised pre-fill, edited within limits,
previewed as a 样稿 that takes no number, confirmed with the version shown (a stale confirmation is a
Conflict), and a 不予批复 issues its own numbered document (R-REV-6). Every other role is refused."""

import pytest
from django.urls import reverse

from approvals import decisions, letters, services
from approvals.models import DecisionDraft, ReviewRound
from govinfo.audit.models import AuditEvent
from govinfo.documents.models import DocumentCounter, IssuedDocument
from govinfo.orgs.models import Role
from projects.models import State
from tests.factories import member

from .decision_factories import ready_for_decision
from .review_factories import in_review

APPROVED, REJECTED = DecisionDraft.Outcome.APPROVED, DecisionDraft.Outcome.REJECTED
TAIL = "附录：各地市接入的逐项技术参数。"
LONG_TASKS = (
    "建设全省统一的业务办理系统，实现申报、受理、审核全流程网上办理。"
    + "各子系统的详细功能说明。" * 900
    + TAIL
)


@pytest.fixture
def ready(reviewing):
    return ready_for_decision(reviewing, conditions={"finance": "年度运行维护经费纳入部门预算统筹保障。"})


@pytest.fixture
def ndrc_clerk(db):
    return member(Role.REVIEWER, agency_code="ndrc", username="ndrc-clerk")


def _round(project) -> ReviewRound:
    return ReviewRound.objects.get(project=project, status="open")


def _url(name, project, kind="approval"):
    return reverse(f"approvals:{name}", args=[project.pk, kind])


def _form(draft: DecisionDraft, **changes) -> dict:
    data = {name: getattr(draft, name) for name in decisions.fields_of(draft.outcome)}
    return {**data, "version": draft.version, **changes}


# -- the pre-fill: NDRC's wording around summaries, never a long unit text verbatim -----------------


def test_summary_keeps_a_short_text_and_cuts_a_long_one_at_a_sentence_end():
    assert letters.summary("建设统一门户。") == "建设统一门户。"
    text = "第一句说明建设目标。" * 30
    cut = letters.summary(text, limit=50)
    assert len(cut) <= 50 and cut.endswith("。") and text.startswith(cut)
    one_long_sentence = "无标点的长句" * 100
    cut = letters.summary(one_long_sentence, limit=40)
    assert len(cut) == 40 and cut.endswith("……")


def test_r_rev_6_the_prefill_summarises_a_10000_character_main_tasks(unit, applicant, signers):
    project = in_review(unit, applicant, signers["ndrc"], main_tasks=LONG_TASKS, funding_note="说明。" * 3000)
    assert len(LONG_TASKS) > 10000
    ready_for_decision(project)
    draft = decisions.draft_for(_round(project), APPROVED)
    assert draft.pk is None and draft.version == 0
    assert "建设全省统一的业务办理系统" in draft.construction
    assert TAIL not in draft.construction and len(draft.construction) < 600
    for name in decisions.fields_of(APPROVED):
        assert len(getattr(draft, name)) <= letters.DECISION_FIELD_LIMIT, name
    for line in draft.construction.splitlines() + draft.investment.splitlines():
        assert len(line) <= letters.PREFILL_LIMIT + 20, line[:40]


def test_r_rev_6_the_issued_approval_never_carries_the_long_unit_text(unit, applicant, signers):
    project = in_review(unit, applicant, signers["ndrc"], main_tasks=LONG_TASKS)
    ready_for_decision(project)
    document = services.approve(project, by=signers["ndrc"])
    text = "".join(block[1] + block[2] for block in document.content["body"])
    assert TAIL not in text
    assert len(text) < 2500


def test_the_prefill_quotes_each_agencys_conditions_as_a_numbered_requirement(ready):
    draft = decisions.draft_for(_round(ready), APPROVED)
    assert "（一）省财政厅意见：年度运行维护经费纳入部门预算统筹保障。" in draft.requirements
    assert draft.cc_names == ["省财政厅", "省委网信办", "省大数据中心"] or "省财政厅" in draft.cc_names


# -- editing: NDRC's text, capped, versioned -------------------------------------------------------


def test_the_approval_is_issued_from_the_text_ndrc_edited(client, ready, signers):
    ndrc = signers["ndrc"]
    draft = decisions.draft_for(_round(ready), APPROVED)
    client.force_login(ndrc)
    response = client.post(
        _url("decision_draft", ready),
        _form(
            draft, construction="同意建设全省统一的学生资助管理信息系统，含资助申请、审核和发放三个子系统。"
        ),
    )
    assert response.status_code == 302
    saved = DecisionDraft.objects.get(round=_round(ready), outcome=APPROVED)
    assert saved.version == 1 and saved.updated_by == ndrc
    assert AuditEvent.objects.filter(action="approvals.decision.drafted").exists()
    response = client.post(
        reverse("approvals:project_approve", args=[ready.pk]), {"state": ready.state, "version": 1}
    )
    assert response.status_code == 302
    document = IssuedDocument.objects.get(kind="approval")
    text = "".join(block[1] + block[2] for block in document.content["body"])
    assert "含资助申请、审核和发放三个子系统" in text
    assert [b[1] for b in document.content["body"] if b[0] == 1] == [
        "一、建设内容与规模",
        "二、总投资及资金来源",
        "三、建设期限",
        "四、有关要求",
    ]
    ready.refresh_from_db()
    assert ready.state == State.APPROVED


def test_ndrc_may_not_type_more_than_the_limit_and_sees_why_beside_the_field(client, ready, signers):
    draft = decisions.draft_for(_round(ready), APPROVED)
    client.force_login(signers["ndrc"])
    too_long = "超" * (letters.DECISION_FIELD_LIMIT + 1)
    response = client.post(_url("decision_draft", ready), _form(draft, construction=too_long))
    assert response.status_code == 400
    body = response.content.decode()
    assert f"本部分不超过{letters.DECISION_FIELD_LIMIT}字" in body and 'class="field-error"' in body
    assert not DecisionDraft.objects.exists()


def test_the_service_refuses_an_over_long_text_too(ready, signers):
    with pytest.raises(services.ActionRefused):
        decisions.save_draft(
            ready,
            APPROVED,
            by=signers["ndrc"],
            data={"construction": "超" * 5000, "investment": "投资。"},
            version=0,
        )


def test_a_required_part_left_empty_is_an_error(client, ready, signers):
    draft = decisions.draft_for(_round(ready), APPROVED)
    client.force_login(signers["ndrc"])
    response = client.post(_url("decision_draft", ready), _form(draft, investment=""))
    assert response.status_code == 400 and "请填写本部分内容" in response.content.decode()


def test_saving_over_a_draft_someone_saved_since_is_a_conflict(client, ready, signers, ndrc_clerk):
    first = decisions.save_draft(ready, APPROVED, by=ndrc_clerk, data=None, version=0)
    client.force_login(signers["ndrc"])
    stale = _form(first, construction="A")
    decisions.save_draft(ready, APPROVED, by=ndrc_clerk, data=_form(first, construction="B"), version=1)
    response = client.post(_url("decision_draft", ready), {**stale, "version": 1}, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert DecisionDraft.objects.get().construction == "B"


def test_restoring_the_prefill_keeps_the_version_count(client, ready, signers):
    draft = decisions.save_draft(ready, APPROVED, by=signers["ndrc"], data=None, version=0)
    decisions.save_draft(
        ready, APPROVED, by=signers["ndrc"], data=_form(draft, construction="改写。"), version=1
    )
    client.force_login(signers["ndrc"])
    client.post(_url("decision_draft", ready), {"reset": "1", "version": 2})
    restored = DecisionDraft.objects.get()
    assert restored.version == 3 and restored.construction.startswith("原则同意该项目实施方案")


def test_the_draft_cannot_change_after_the_decision(client, ready, signers):
    services.approve(ready, by=signers["ndrc"])
    client.force_login(signers["ndrc"])
    draft = DecisionDraft.objects.get()
    response = client.post(_url("decision_draft", ready), _form(draft, construction="事后改写。"))
    assert response.status_code in (403, 404)
    assert DecisionDraft.objects.get().construction != "事后改写。"


# -- the preview: 样稿, no number, nothing stored --------------------------------------------------


def test_r_rev_6_the_preview_takes_no_number_and_stores_nothing(client, ready, signers):
    counters = list(DocumentCounter.objects.values_list("agency_id", "last_number"))
    documents = IssuedDocument.objects.count()
    client.force_login(signers["ndrc"])
    events = AuditEvent.objects.count()
    for kind in ("approval", "rejection"):
        response = client.get(_url("decision_preview", ready, kind))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf" and "no-store" in response["Cache-Control"]
        assert response.content.startswith(b"%PDF-")
    assert list(DocumentCounter.objects.values_list("agency_id", "last_number")) == counters
    assert IssuedDocument.objects.count() == documents
    assert AuditEvent.objects.count() == events
    assert not DecisionDraft.objects.exists()  # a preview of the pre-fill saves nothing either


def test_the_preview_html_carries_the_sample_mark_in_place_of_the_number(monkeypatch, ready, signers):
    from govinfo.documents import rendering
    from govinfo.documents.issue import PREVIEW_MARK, preview_document

    seen = {}
    monkeypatch.setattr(rendering, "html_to_pdf", lambda html: seen.setdefault("html", html) and b"%PDF-1.4")
    round = _round(ready)
    preview_document(**decisions.document_args(ready, round, decisions.draft_for(round, APPROVED)))
    html = seen["html"]
    assert f'<p class="doc-number">{PREVIEW_MARK}</p>' in html
    assert 'class="preview-mark"' in html and ".note{visibility:hidden}" in html
    assert "川发改审〔" not in html


# -- the confirmation: what will be numbered, posted with the version shown -------------------------


def test_the_confirmation_shows_what_will_be_numbered_without_reserving_it(client, ready, signers):
    decisions.save_draft(ready, APPROVED, by=signers["ndrc"], data=None, version=0)
    before = list(DocumentCounter.objects.values_list("agency_id", "year", "last_number"))
    client.force_login(signers["ndrc"])
    body = client.get(_url("decision_confirm", ready)).content.decode()
    assert "关于《四川省测试业务系统实施方案》的批复" in body
    assert "川发改审〔" in body and "签发时按顺序取号" in body
    assert 'name="version" value="1"' in body and 'data-testid="confirm-issue"' in body
    assert list(DocumentCounter.objects.values_list("agency_id", "year", "last_number")) == before


def test_the_confirmation_asks_for_a_saved_draft_first(client, ready, signers):
    client.force_login(signers["ndrc"])
    response = client.get(_url("decision_confirm", ready))
    assert response.status_code == 302 and response["Location"] == _url("decision_draft", ready)


def test_a_stale_confirmation_is_a_conflict_and_issues_nothing(client, ready, signers, ndrc_clerk):
    draft = decisions.save_draft(ready, APPROVED, by=signers["ndrc"], data=None, version=0)
    client.force_login(signers["ndrc"])
    client.get(_url("decision_confirm", ready))  # shows version 1
    decisions.save_draft(
        ready, APPROVED, by=ndrc_clerk, data=_form(draft, schedule="建设期两年。"), version=1
    )
    response = client.post(
        reverse("approvals:project_approve", args=[ready.pk]),
        {"state": ready.state, "version": 1},
        follow=True,
    )
    assert "已被他人修改" in response.content.decode()
    assert not IssuedDocument.objects.filter(kind="approval").exists()
    ready.refresh_from_db()
    assert ready.state == State.EVALUATION


def test_an_approval_posted_without_a_confirmation_is_refused(client, ready, signers):
    client.force_login(signers["ndrc"])
    response = client.post(reverse("approvals:project_approve", args=[ready.pk]), {"state": ready.state})
    assert response.status_code == 400 and "确认页面" in response.content.decode()
    assert not IssuedDocument.objects.filter(kind="approval").exists()


def test_a_confirmation_for_a_case_that_moved_on_is_a_conflict(client, ready, signers):
    decisions.save_draft(ready, APPROVED, by=signers["ndrc"], data=None, version=0)
    client.force_login(signers["ndrc"])
    response = client.post(
        reverse("approvals:project_approve", args=[ready.pk]),
        {"state": State.IN_REVIEW, "version": 1},
        follow=True,
    )
    assert "已被他人处理" in response.content.decode()
    assert not IssuedDocument.objects.filter(kind="approval").exists()


# -- R-REV-6: a 不予批复 is a numbered document of its own --------------------------------------------


def test_r_rev_6_a_rejection_issues_its_own_numbered_document(client, ready, signers, applicant):
    opinions = IssuedDocument.objects.filter(agency__code="ndrc").count()
    draft = decisions.save_draft(
        ready,
        REJECTED,
        by=signers["ndrc"],
        data={"reasons": "（一）项目建设内容与已建系统重复。\n（二）未落实运行维护经费。", "cc": "省财政厅"},
        version=0,
    )
    client.force_login(signers["ndrc"])
    body = client.get(_url("decision_confirm", ready, "rejection")).content.decode()
    assert "不予批复函" in body and "不予批复的函" in body
    response = client.post(
        reverse("approvals:project_reject", args=[ready.pk]), {"state": ready.state, "version": draft.version}
    )
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.state == State.REJECTED
    document = IssuedDocument.objects.get(kind=IssuedDocument.Kind.REJECTION)
    assert document.title == "关于《四川省测试业务系统实施方案》不予批复的函"
    assert document.agency.code == "ndrc" and document.number == opinions + 1
    assert document.content["addressee"] == ready.lead_unit.name and document.content["cc"] == ["省财政厅"]
    heads = [(b[0], b[1]) for b in document.content["body"] if b[0]]
    assert heads[0] == (1, "一、不予批复的理由") and (2, "（一）项目建设内容与已建系统重复。") in heads
    round = ReviewRound.objects.get(project=ready)
    assert round.outcome == "rejected" and round.decision_document == document
    assert "项目建设内容与已建系统重复" in round.reason
    event = AuditEvent.objects.filter(action="approvals.project.rejected").get()
    assert event.details["doc_number"] == document.doc_number
    # The unit opens it like the 批复.
    client.force_login(applicant)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 200


def test_a_rejection_through_the_service_writes_its_reason_into_the_document(ready, signers):
    services.reject(ready, by=signers["ndrc"], reason="项目必要性论证不充分。")
    document = IssuedDocument.objects.get(kind="rejection")
    assert "项目必要性论证不充分。" in [b[1] for b in document.content["body"]]


def test_a_rejection_needs_reasons(client, ready, signers):
    client.force_login(signers["ndrc"])
    response = client.post(
        _url("decision_draft", ready, "rejection"), {"reasons": "", "cc": "", "version": 0}
    )
    assert response.status_code == 400 and "请填写本部分内容" in response.content.decode()
    with pytest.raises(services.ActionRefused):
        services.reject(ready, by=signers["ndrc"], reason="")


def test_a_feasibility_approval_is_drafted_with_its_own_wording(unit, applicant, signers):
    project = in_review(unit, applicant, signers["ndrc"], name="四川省两步项目", investment_wan=3000)
    ready_for_decision(project)
    draft = decisions.draft_for(_round(project), APPROVED)
    assert "估算总投资3,000.00万元" in draft.investment
    assert "初步设计方案（含投资概算）" in draft.requirements
    document = services.approve(project, by=signers["ndrc"])
    assert document.title.endswith("可行性研究报告》的批复")
    project.refresh_from_db()
    assert project.state == State.DRAFT


# -- who may: every other role refused ---------------------------------------------------------------

ROLES = [
    "ndrc",
    "ndrc_clerk",
    "auditor",
    "applicant",
    "finance",
    "expert_invited",
    "other_applicant",
    "agency_without_task",
    "expert_not_invited",
    "anonymous",
]
READ = {
    "ndrc": 200,
    "ndrc_clerk": 200,
    "auditor": 200,
    "applicant": 403,
    "finance": 403,
    "expert_invited": 403,
    "other_applicant": 404,
    "agency_without_task": 404,
    "expert_not_invited": 404,
    "anonymous": "login",
}
WRITE = {**READ, "ndrc": 302, "ndrc_clerk": 302, "auditor": 403}


@pytest.fixture
def people(ready, signers, ndrc_clerk, auditor, applicant, other_applicant, expert):
    invitation = services.invite_expert(ready, expert, by=signers["ndrc"])
    services.submit_expert_opinion(invitation, by=expert, recommendation="agree", opinion="技术路线可行。")
    return {
        "ndrc": signers["ndrc"],
        "ndrc_clerk": ndrc_clerk,
        "auditor": auditor,
        "applicant": applicant,
        "finance": signers["finance"],
        "expert_invited": expert,
        "other_applicant": other_applicant,
        "agency_without_task": signers["stats"],
        "expert_not_invited": member(Role.EXPERT, username="expert-2"),
        "anonymous": None,
    }


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _expect(response, outcome):
    if outcome == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == outcome, response.content.decode()[:300]


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("kind", ["approval", "rejection"])
def test_the_draft_page_by_role(client, ready, people, who, kind):
    response = _as(client, people[who]).get(_url("decision_draft", ready, kind))
    _expect(response, READ[who])
    if READ[who] == 200:
        body = response.content.decode()
        editable = 'data-testid="decision-form"' in body
        assert editable == (who != "auditor")
        assert ('data-testid="draft-readonly"' in body) == (who == "auditor")


@pytest.mark.parametrize("who", ROLES)
def test_saving_the_draft_by_role(client, ready, people, who):
    draft = decisions.draft_for(_round(ready), APPROVED)
    response = _as(client, people[who]).post(_url("decision_draft", ready), _form(draft))
    _expect(response, WRITE[who])
    assert DecisionDraft.objects.exists() == (WRITE[who] == 302)
    if who == "auditor":
        assert AuditEvent.objects.filter(action="govinfo.action.refused", actor=people[who]).exists()


@pytest.mark.parametrize("who", ROLES)
def test_the_preview_by_role(client, ready, people, who):
    response = _as(client, people[who]).get(_url("decision_preview", ready))
    _expect(response, READ[who])


@pytest.mark.parametrize("who", ROLES)
def test_the_confirmation_page_by_role(client, ready, people, who):
    decisions.save_draft(ready, APPROVED, by=people["ndrc_clerk"], data=None, version=0)
    response = _as(client, people[who]).get(_url("decision_confirm", ready))
    _expect(response, READ[who])
    if READ[who] == 200:
        body = response.content.decode()
        # Only NDRC's signer issues; the clerk and the auditor see why not.
        assert ('data-testid="confirm-issue"' in body) == (who == "ndrc")
        assert ('data-testid="issue-refused"' in body) == (who != "ndrc")


@pytest.mark.parametrize("who", ["ndrc_clerk", "auditor", "applicant", "finance"])
def test_only_ndrcs_signer_may_post_the_confirmed_decision(client, ready, people, who):
    draft = decisions.save_draft(ready, APPROVED, by=people["ndrc_clerk"], data=None, version=0)
    response = _as(client, people[who]).post(
        reverse("approvals:project_approve", args=[ready.pk]),
        {"state": ready.state, "version": draft.version},
    )
    assert response.status_code == 403
    assert not IssuedDocument.objects.filter(kind="approval").exists()


@pytest.mark.documents
def test_r_rev_6_the_rendered_preview_reads_as_a_sample_with_no_number(client, ready, signers):
    import subprocess

    client.force_login(signers["ndrc"])
    pdf = client.get(_url("decision_preview", ready)).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert "样稿" in flat and "不作为正式文件使用" in flat
    assert "关于《四川省测试业务系统实施方案》的批复" in flat and "一、建设内容与规模" in flat
    assert "川发改审〔" not in flat and "核验真伪" not in flat
    assert not IssuedDocument.objects.filter(kind="approval").exists()


def test_r_rev_4_the_approval_says_how_it_was_evaluated_and_cites_the_governments_consent(ready, signers):
    from django.utils import timezone

    from approvals import evaluation

    evaluation.flag_government_review(ready, by=signers["ndrc"], reason="省级重大项目")
    evaluation.record_government_consent(
        ready, by=signers["ndrc"], doc_number="川府函〔2026〕15号", date=timezone.localdate()
    )
    document = services.approve(ready, by=signers["ndrc"])
    opening = document.content["body"][0][1]
    assert "经组织相关部门评估论证，并征求" in opening and "省财政厅" in opening
    assert "报经省人民政府同意（川府函〔2026〕15号），现批复如下：" in opening
