"""Application revisions (issue 8 item 5, R-REV-5 "all rounds are kept"): every submission freezes what
was submitted, review rounds point at the revision they reviewed, and the revision page shows it with
what changed since the revision before — to the people who may see the project, and to no one else."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services as review_services
from approvals.models import ReviewRound
from govinfo.audit.models import AuditEvent
from govinfo.orgs.models import Role
from projects import revisions, services
from projects.models import (
    ApplicationRevision,
    ApplicationStage,
    ApprovalPath,
    Material,
    MaterialKind,
    Mode,
    Project,
    RevisionImmutableError,
    TwoStepStage,
    stage_of,
)
from tests.approvals.review_factories import in_review
from tests.factories import member

from .factories import WAN, complete, link_own_resource, pdf_upload, return_for_revision

pytestmark = pytest.mark.django_db


def _returned(project, ndrc_user):
    return return_for_revision(project, by=ndrc_user, reason="请细化总投资测算")


def _revise(project, clerk, *, investment_wan=1800, replace=MaterialKind.IMPLEMENTATION_PLAN):
    project = services.update_section(
        project, by=clerk, section="funding", changes={"total_investment": Decimal(investment_wan) * WAN}
    )
    services.upload_material(project, by=clerk, kind=replace, upload=pdf_upload("实施方案（修订）.pdf"))
    return project


def _field(revision, section_key, name):
    section = next(s for s in revision.content["sections"] if s["key"] == section_key)
    return next(f for f in section["fields"] if f["name"] == name)


def _rows(revision, section_key):
    return next(s for s in revision.content["sections"] if s["key"] == section_key)["rows"]


@pytest.fixture
def resubmitted(ready_project, applicant, ndrc_signer):
    """Submitted (revision 1), returned, revised (1800万元, a new 实施方案), resubmitted (revision 2)."""
    project = services.submit(ready_project, by=applicant)
    project = _returned(project, ndrc_signer)
    project = _revise(project, applicant)
    return services.submit(project, by=applicant)


# -- freezing -------------------------------------------------------------------------------------


def test_first_submission_freezes_revision_1_with_an_audit_event(ready_project, applicant):
    project = services.submit(ready_project, by=applicant)
    revision = ApplicationRevision.objects.get(project=project)
    assert revision.number == 1
    assert revision.stage == ApplicationStage.IMPLEMENTATION
    assert revision.submitted_by == applicant
    assert revision.submitted_at == project.submitted_at
    assert not revision.backfilled
    event = AuditEvent.objects.get(action="projects.revision.frozen")
    assert event.details["number"] == 1 and event.details["content_sha256"] == revision.content_sha256


def test_resubmission_after_a_return_freezes_revision_2(resubmitted):
    numbers = list(resubmitted.revisions.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2]
    first, second = resubmitted.revisions.order_by("number")
    assert _field(first, "funding", "total_investment")["value"] == "15000000.00"
    assert _field(second, "funding", "total_investment")["value"] == "18000000.00"
    assert AuditEvent.objects.filter(action="projects.revision.frozen").count() == 2


def test_content_holds_labels_display_values_and_yuan_amounts(ready_project, applicant):
    revision = revisions.latest(services.submit(ready_project, by=applicant))
    titles = [section["title"] for section in revision.content["sections"]]
    assert titles == [
        "基本情况",
        "技术方案",
        "资金来源",
        "不予立项自查",
        "参建单位",
        "信息资源目录",
        "申报材料",
    ]
    total = _field(revision, "funding", "total_investment")
    assert total["label"] == "总投资"
    assert total["value"] == "15000000.00" and total["display"] == "1,500.00 万元"
    assert _field(revision, "basic", "category")["display"] == "重点业务信息系统"
    assert _field(revision, "funding", "fund_channels")["display"] == "省级财政资金"
    assert _field(revision, "exclusions", "machine_room")["display"] == "否"
    assert (
        revision.content["project"]["code"] == ready_project.__class__.objects.get(pk=ready_project.pk).code
    )


def test_content_holds_the_current_material_versions_and_linked_resources(ready_project, applicant):
    services.upload_material(
        ready_project, by=applicant, kind=MaterialKind.CLOUD_PLAN, upload=pdf_upload("政务云（第二版）.pdf")
    )
    revision = revisions.latest(services.submit(ready_project, by=applicant))
    materials = {row["kind"]: row for row in _rows(revision, "materials")}
    cloud = Material.objects.get(project=ready_project, kind=MaterialKind.CLOUD_PLAN, version=2)
    assert materials[MaterialKind.CLOUD_PLAN] == {
        "material_id": cloud.pk,
        "kind": MaterialKind.CLOUD_PLAN,
        "kind_label": "政务云需求方案",
        "version": 2,
        "display_name": cloud.display_name,
        "file_format": "pdf",
        "sha256": cloud.sha256,
        "size": cloud.size,
    }
    [resource] = _rows(revision, "catalogue")
    link = ready_project.resource_links.select_related("resource__provider").get()
    assert resource["code"] == link.resource.code and resource["name"] == link.resource.name
    assert resource["provider"] == link.resource.provider.name
    assert resource["relation"] == "produced" and resource["relation_label"] == "产生"


def test_a_purchase_project_freezes_its_purchase_conditions(unit, applicant):
    project = complete(
        unit,
        applicant,
        implementation_mode=Mode.PURCHASE,
        purchase_not_goods_or_works=True,
        purchase_cheaper_than_self_build=True,
        purchase_multiple_suppliers=True,
        purchase_no_secrecy_conflict=True,
        purchase_comparison="三年服务费总额低于自建及运维总额。",
    )
    revision = revisions.latest(services.submit(project, by=applicant))
    assert revision.stage == ApplicationStage.SERVICE_PLAN
    assert _field(revision, "purchase", "purchase_multiple_suppliers")["display"] == "是"


def test_stage_of_follows_mode_path_and_two_step_stage(project):
    assert stage_of(project) == ApplicationStage.IMPLEMENTATION
    project.implementation_mode = Mode.PURCHASE
    assert stage_of(project) == ApplicationStage.SERVICE_PLAN
    project.implementation_mode = Mode.SELF_BUILD
    project.approval_path = ApprovalPath.TWO_STEP
    assert stage_of(project) == ApplicationStage.FEASIBILITY
    project.two_step_stage = TwoStepStage.PRELIMINARY_DESIGN
    assert stage_of(project) == ApplicationStage.PRELIMINARY_DESIGN


def test_the_content_fingerprint_survives_the_database(ready_project, applicant):
    services.submit(ready_project, by=applicant)
    revision = ApplicationRevision.objects.get(project=ready_project)
    assert len(revision.content_sha256) == 64
    assert revisions.is_intact(revision)


# -- immutability ----------------------------------------------------------------------------------


def test_a_revision_cannot_be_changed_or_deleted(ready_project, applicant):
    services.submit(ready_project, by=applicant)
    revision = ApplicationRevision.objects.get(project=ready_project)
    revision.content = {"sections": []}
    with pytest.raises(RevisionImmutableError):
        revision.save()
    with pytest.raises(RevisionImmutableError):
        revision.delete()
    with pytest.raises(RevisionImmutableError):
        ApplicationRevision.objects.filter(pk=revision.pk).update(content_sha256="0" * 64)
    with pytest.raises(RevisionImmutableError):
        ApplicationRevision.objects.filter(pk=revision.pk).delete()
    revision.refresh_from_db()
    assert revisions.is_intact(revision)


def test_the_database_refuses_to_update_a_revision(ready_project, applicant):
    services.submit(ready_project, by=applicant)
    revision = ApplicationRevision.objects.get(project=ready_project)
    table = ApplicationRevision._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET content_sha256 = %s WHERE id = %s", ["0" * 64, revision.pk])
    revision.refresh_from_db()
    assert revisions.is_intact(revision)


# -- what changed -----------------------------------------------------------------------------------


def test_diff_shows_a_changed_total_investment_and_a_replaced_material(resubmitted):
    first, second = resubmitted.revisions.order_by("number")
    changes = {section.key: section for section in revisions.diff(first, second)}
    assert set(changes) == {"funding", "materials"}
    [total] = changes["funding"].changes
    assert (total.kind, total.label, total.old, total.new) == (
        "changed",
        "总投资",
        "1,500.00 万元",
        "1,800.00 万元",
    )
    [replaced] = changes["materials"].changes
    assert replaced.kind == "replaced" and replaced.label == "实施方案"
    assert "第1版" in replaced.old and "第2版 实施方案（修订）.pdf" in replaced.new


def test_diff_of_a_first_revision_or_of_identical_content_is_empty(ready_project, applicant):
    revision = revisions.latest(services.submit(ready_project, by=applicant))
    assert revisions.diff(None, revision) == []
    assert revisions.diff(revision, revision.content) == []


def test_diff_shows_links_added_and_removed_and_participants_changed(ready_project, applicant, other_unit):
    before = revisions.build_content(ready_project)
    old_link = ready_project.resource_links.get()
    services.unlink_resource(ready_project, by=applicant, link=old_link)
    new_link = link_own_resource(ready_project, applicant, name="新增测试资源")
    services.set_participants(
        ready_project, by=applicant, lead_scope="统筹建设", rows=[(other_unit, "建设子系统")]
    )
    after = revisions.build_content(Project.objects.get(pk=ready_project.pk))
    changes = {section.key: section for section in revisions.diff(before, after)}
    catalogue = {(c.kind, c.label) for c in changes["catalogue"].changes}
    assert (
        "added",
        f"产生：新增测试资源（{new_link.resource.code}，{new_link.resource.provider.name}）",
    ) in catalogue
    assert any(kind == "removed" and old_link.resource.code in label for kind, label in catalogue)
    people = changes["participants"].changes
    assert ("added", "四川省卫生健康委员会：建设子系统") in {(c.kind, c.label) for c in people}
    assert any(c.kind == "changed" and c.new == "统筹建设" for c in people)


def test_diff_shows_the_move_from_feasibility_to_preliminary_design():
    old = {"stage": "feasibility", "stage_label": "可行性研究报告", "sections": []}
    new = {"stage": "preliminary_design", "stage_label": "初步设计方案", "sections": []}
    [stage] = revisions.diff(old, new)
    assert stage.changes[0].old == "可行性研究报告" and stage.changes[0].new == "初步设计方案"


# -- review rounds point at their revision --------------------------------------------------------


def test_each_review_round_links_the_revision_it_reviews(unit, applicant, ndrc_signer):
    project = in_review(unit, applicant, ndrc_signer)
    first_round = ReviewRound.objects.get(project=project)
    assert first_round.revision == revisions.latest(project) and first_round.revision.number == 1
    project = review_services.return_application(project, by=ndrc_signer, reason="补充资金测算")
    project = services.submit(_revise(project, applicant), by=applicant)
    second_round = review_services.accept_into_review(project, by=ndrc_signer)
    assert second_round.revision.number == 2
    first_round.refresh_from_db()
    assert first_round.revision.number == 1


def test_the_review_page_links_each_rounds_revision_and_its_changes(client, unit, applicant, ndrc_signer):
    project = in_review(unit, applicant, ndrc_signer)
    project = review_services.return_application(project, by=ndrc_signer, reason="补充资金测算")
    project = services.submit(_revise(project, applicant), by=applicant)
    review_services.accept_into_review(project, by=ndrc_signer)
    page = (
        client_for(client, ndrc_signer).get(reverse("approvals:project", args=[project.pk])).content.decode()
    )
    assert "本轮审查的申报版本（第2版）" in page and "本轮审查的申报版本（第1版）" in page
    assert reverse("approvals:project_revision", args=[project.pk, 2]) + "#changes" in page
    assert "与上一版相比的变化" in page


def test_backfill_gives_projects_submitted_before_revisions_one_and_links_their_rounds(
    unit, applicant, ndrc_signer, monkeypatch
):
    with monkeypatch.context() as patched:
        patched.setattr(revisions, "freeze", lambda project, by: None)
        project = in_review(unit, applicant, ndrc_signer)
    round = ReviewRound.objects.get(project=project)
    assert round.revision is None and not project.revisions.exists()
    migration = importlib.import_module("approvals.migrations.0004_round_revision")
    migration.backfill(apps, None)
    revision = ApplicationRevision.objects.get(project=project)
    assert revision.backfilled and revision.number == 1 and revision.submitted_by == applicant
    assert revisions.is_intact(revision)
    round.refresh_from_db()
    assert round.revision == revision
    migration.backfill(apps, None)  # idempotent
    assert project.revisions.count() == 1


# -- the pages and who may open them -------------------------------------------------------------


def client_for(client, user):
    client.force_login(user)
    return client


def revision_url(project, number=1):
    return reverse("projects:revision", args=[project.pk, number])


@pytest.fixture
def reviewed(unit, applicant, ndrc_signer):
    return in_review(unit, applicant, ndrc_signer)


@pytest.fixture
def finance_with_task(reviewed):
    return member(Role.REVIEWER, agency_code="finance", username="finance-reviewer")


@pytest.mark.parametrize("who", ["applicant", "ndrc_signer", "finance_with_task"])
def test_the_revision_page_is_shown_to_the_unit_ndrc_and_a_reviewer_with_a_task(
    client, reviewed, who, request
):
    response = client_for(client, request.getfixturevalue(who)).get(revision_url(reviewed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "申报版本（第1版）" in page and "1,500.00 万元" in page and "这是该项目的第一个申报版本" in page
    assert reverse("projects:material_download", args=[reviewed.pk, reviewed.materials.first().pk]) in page


@pytest.mark.parametrize("who", ["other_applicant", "expert"])
def test_the_revision_page_is_refused_to_outsiders(client, reviewed, who, request):
    for url in (revision_url(reviewed), reverse("approvals:project_revision", args=[reviewed.pk, 1])):
        assert client_for(client, request.getfixturevalue(who)).get(url).status_code == 404


def test_the_revision_page_sends_anonymous_visitors_to_log_in(client, reviewed):
    for url in (revision_url(reviewed), reverse("approvals:project_revision", args=[reviewed.pk, 1])):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_an_unknown_revision_number_is_404(client, reviewed, applicant):
    assert client_for(client, applicant).get(revision_url(reviewed, 2)).status_code == 404


def test_the_review_side_opens_the_revision_for_an_invited_expert(client, reviewed, ndrc_signer, expert):
    review_services.invite_expert(reviewed, expert, by=ndrc_signer)
    url = reverse("approvals:project_revision", args=[reviewed.pk, 1])
    response = client_for(client, expert).get(url)
    assert response.status_code == 200
    assert reverse("approvals:project", args=[reviewed.pk]) in response.content.decode()


def test_the_revision_page_shows_what_changed_since_the_previous_revision(client, resubmitted, applicant):
    page = client_for(client, applicant).get(revision_url(resubmitted, 2)).content.decode()
    assert "与上一版（第1版）相比的变化" in page
    assert "<del>1,500.00 万元</del> → <ins>1,800.00 万元</ins>" in page
    assert "替换材料 实施方案" in page


def test_the_project_page_lists_the_revisions(client, resubmitted, applicant):
    page = (
        client_for(client, applicant).get(reverse("projects:detail", args=[resubmitted.pk])).content.decode()
    )
    assert "申报版本" in page
    assert revision_url(resubmitted, 1) in page and revision_url(resubmitted, 2) in page


def test_the_revision_pages_queries_do_not_grow_with_its_rows(client, unit, applicant, other_unit):
    def queries_for(project):
        client_for(client, applicant)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(revision_url(project)).status_code == 200
        return len(captured)

    small = services.submit(complete(unit, applicant, name="小项目"), by=applicant)
    large = complete(unit, applicant, name="大项目")
    for n in range(4):
        link_own_resource(large, applicant, name=f"资源{n}")
        services.upload_material(
            large, by=applicant, kind=MaterialKind.OTHER, upload=pdf_upload(f"附件{n}.pdf")
        )
    services.set_participants(large, by=applicant, lead_scope="统筹", rows=[(other_unit, "子系统")])
    large = services.submit(large, by=applicant)
    assert queries_for(small) == queries_for(large)
