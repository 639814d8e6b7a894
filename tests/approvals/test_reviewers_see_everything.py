"""Reviewers sign what they have seen (issue 9 item 4): the task page and NDRC's review page show the whole
application as the revision of the round under review — every section and answer, every material
(downloadable, the version current at submission), the linked catalogue entries — with what changed since
the previous round, in a number of queries that does not grow with the application."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services
from govinfo.orgs.models import Role
from projects import exclusions, revisions
from projects import services as project_services
from projects.forms import BasicForm, FundingForm, PurchaseForm, TechnicalForm
from projects.models import MaterialKind, Mode
from tests.factories import member
from tests.projects.factories import link_own_resource, pdf_upload

from .review_factories import DEFAULT_AGENCIES, in_review, task_of

FUNDING_NOTE = "省级财政分三年安排，其中2027年安排六成。"
BASIS = "《国家政务信息化项目建设管理办法》第十二条"
COMPARISON = "五年服务费800万元，自建加运维约1300万元。"


@pytest.fixture
def purchase_case(unit, applicant, signers):
    """A 购买服务 project in review whose every section has an answer a reviewer must see."""
    answers = {item.code: {"answer": exclusions.NO, "basis": ""} for item in exclusions.ITEMS}
    answers[exclusions.ITEMS[0].code] = {"answer": exclusions.YES, "basis": BASIS}
    return in_review(
        unit,
        applicant,
        signers["ndrc"],
        name="四川省政务服务热线购买服务项目",
        implementation_mode=Mode.PURCHASE,
        funding_note=FUNDING_NOTE,
        exclusion_answers=answers,
        purchase_not_goods_or_works=True,
        purchase_cheaper_than_self_build=True,
        purchase_multiple_suppliers=True,
        purchase_no_secrecy_conflict=True,
        purchase_comparison=COMPARISON,
    )


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:300]
    return response.content.decode()


SECTIONS = [
    "basic",
    "technical",
    "funding",
    "exclusions",
    "purchase",
    "participants",
    "catalogue",
    "materials",
]


def _assert_everything(body: str, project):
    for key in SECTIONS:
        assert f'data-testid="revision-section-{key}"' in body, key
    assert project.application_summary in body  # 技术方案
    assert project.cloud_requirement in body
    assert "省级财政资金" in body and FUNDING_NOTE in body  # fund channels and funding note
    assert BASIS in body  # the 不予立项 self-check answer with its basis
    assert COMPARISON in body  # 购买服务 conditions
    for material in project.materials.all():
        assert reverse("projects:material_download", args=[project.pk, material.pk]) in body
    for link in project.resource_links.select_related("resource"):
        assert link.resource.code in body and link.resource.name in body


@pytest.mark.parametrize("code", DEFAULT_AGENCIES)
def test_every_reviewer_sees_the_whole_application_on_the_task_page(client, purchase_case, signers, code):
    body = _page(client, signers[code], reverse("approvals:task", args=[task_of(purchase_case, code).pk]))
    assert 'data-testid="application"' in body and "本轮审查的申报内容（第1版）" in body
    _assert_everything(body, purchase_case)


def test_ndrc_sees_the_whole_application_on_its_review_page(client, purchase_case, signers):
    body = _page(client, signers["ndrc"], reverse("approvals:project", args=[purchase_case.pk]))
    _assert_everything(body, purchase_case)


def test_an_auditor_reads_the_same_application_on_a_task_page(client, purchase_case, auditor):
    body = _page(client, auditor, reverse("approvals:task", args=[task_of(purchase_case, "finance").pk]))
    _assert_everything(body, purchase_case)


def test_the_page_shows_the_round_under_review_not_what_the_unit_typed_since(
    client, reviewing, signers, applicant
):
    """Round 2 reviews revision 2; the unit's later edits (after the next return) are not shown."""
    services.return_application(reviewing, by=signers["cyberspace"], reason="请补充量化绩效目标。")
    reviewing.refresh_from_db()
    project_services.update_section(
        reviewing, by=applicant, section="basic", changes={"performance_goals": "办件量提升至每年50万件。"}
    )
    project_services.upload_material(
        reviewing,
        by=applicant,
        kind=MaterialKind.IMPLEMENTATION_PLAN,
        upload=pdf_upload("实施方案第二版.pdf"),
    )
    project_services.submit(reviewing, by=applicant)
    services.accept_into_review(reviewing, by=signers["ndrc"])
    body = _page(
        client, signers["finance"], reverse("approvals:task", args=[task_of(reviewing, "finance").pk])
    )
    assert "本轮审查的申报内容（第2版）" in body
    changes = body[body.index('data-testid="changes"') :]
    assert "与上一版（第1版）相比的变化" in changes
    assert "<ins>办件量提升至每年50万件。</ins>" in changes
    assert "替换材料" in changes and "实施方案第二版.pdf" in changes
    # Edits the unit makes after round 2 opened are not what round 2 reviews.
    reviewing.refresh_from_db()
    assert reviewing.state == "in_review"
    body = _page(client, signers["ndrc"], reverse("approvals:project", args=[reviewing.pk]))
    assert "本轮审查的申报内容（第2版）" in body


def test_r_rev_1_every_reviewer_with_a_task_downloads_every_material_of_the_revision(
    client, reviewing, signers, applicant
):
    """The revision lists the versions current at submission; a later upload does not replace them."""
    revision = revisions.latest(reviewing)
    rows = next(s for s in revision.content["sections"] if s["key"] == "materials")["rows"]
    assert rows
    for code in [
        *DEFAULT_AGENCIES,
        "ndrc",
    ]:  # every agency with a task, and NDRC (every case submitted to it)
        client.force_login(signers[code])
        for row in rows:
            response = client.get(
                reverse("projects:material_download", args=[reviewing.pk, row["material_id"]])
            )
            assert response.status_code == 200, (code, row["display_name"])
            assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["agency_without_task", "other_applicant", "expert_not_invited"])
def test_a_material_is_not_downloadable_by_those_who_do_not_follow_the_review(
    client, reviewing, signers, other_applicant, who
):
    people = {
        "agency_without_task": signers["stats"],
        "other_applicant": other_applicant,
        "expert_not_invited": member(Role.EXPERT, username="expert-x"),
    }
    material = reviewing.materials.first()
    client.force_login(people[who])
    response = client.get(reverse("projects:material_download", args=[reviewing.pk, material.pk]))
    assert response.status_code == 404


def test_an_invited_expert_and_an_auditor_download_the_materials(client, reviewing, signers, expert, auditor):
    services.invite_expert(reviewing, expert, by=signers["ndrc"])
    material = reviewing.materials.first()
    for user in (expert, auditor):
        client.force_login(user)
        response = client.get(reverse("projects:material_download", args=[reviewing.pk, material.pk]))
        assert response.status_code == 200


def test_every_answer_the_application_form_asks_is_in_the_revision_reviewers_see(purchase_case):
    """A field added to a section form but not frozen would be an answer no reviewer sees."""
    frozen = {
        entry["name"]
        for section in revisions.latest(purchase_case).content["sections"]
        for entry in section["fields"]
    }
    asked = {
        name for form in (BasicForm, TechnicalForm, FundingForm, PurchaseForm) for name in form._meta.fields
    }
    # Two-step fields only exist on two-step projects: this one is one-step.
    missing = asked - frozen - set(revisions.TWO_STEP_FIELDS)
    assert not missing, f"asked on the form but not shown to reviewers: {sorted(missing)}"
    assert {item.code for item in exclusions.ITEMS} <= frozen


def _queries(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _second_round(project, applicant, signers, extra: int):
    """Returned, ``extra`` materials and catalogue links added, resubmitted and accepted: round 2 open."""
    services.return_application(project, by=signers["finance"], reason="补充材料。")
    project.refresh_from_db()
    for index in range(extra):
        project_services.upload_material(
            project, by=applicant, kind=MaterialKind.OTHER, upload=pdf_upload(f"附件{index}.pdf")
        )
        link_own_resource(project, applicant)
    project_services.submit(project, by=applicant)
    services.accept_into_review(project, by=signers["ndrc"])
    return project


def test_the_pages_take_as_many_queries_for_a_large_application_as_for_a_small_one(
    client, unit, applicant, signers
):
    small = _second_round(
        in_review(unit, applicant, signers["ndrc"], name="四川省小型系统"), applicant, signers, 1
    )
    large = _second_round(
        in_review(unit, applicant, signers["ndrc"], name="四川省大型系统"), applicant, signers, 8
    )
    assert large.materials.count() >= small.materials.count() + 7
    finance = signers["finance"]
    for url_name in ("approvals:task", "approvals:project"):
        counts = []
        for project in (small, large):
            pk = task_of(project, "finance").pk if url_name == "approvals:task" else project.pk
            counts.append(_queries(client, finance, reverse(url_name, args=[pk])))
        assert counts[0] == counts[1], (url_name, counts)
