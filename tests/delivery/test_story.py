"""The project page tells the whole story: every event and document in time order, and who may do what next.

The story is read generically — from the audit trail, the issued documents and the lifecycle table — so
steps and events of parts built elsewhere (acceptance, evaluation) show up without the page knowing them.
"""

import pytest
from django.urls import reverse

from delivery import changes, supervision
from delivery.models import SupervisionBasis
from govinfo.audit import actions, trail
from projects import story
from projects.models import State

from .construction_factories import approved, change, filed
from .construction_fixtures import *  # noqa: F401,F403  (the fixtures of these tests)

pytestmark = pytest.mark.django_db


def _titles(user, project):
    return [entry.title for entry in story.timeline(user, project)]


def _steps(user, project):
    return {(step.role, step.label): step for step in story.next_steps(user, project)}


def test_the_timeline_runs_from_application_to_construction_with_every_document(building, applicant, signers):
    pending = change(building, applicant, new_wan=1700, adjusted_wan=200)
    changes.approve_change(pending, by=signers["ndrc"])
    entries = story.timeline(applicant, building)
    titles = [entry.title for entry in entries]
    for expected in [
        "新建项目",
        "提交申报",
        "受理审查",
        "签署审核意见",
        "批复",
        "备案登记",
        "登记项目责任人和监理单位",
        "登记采购情况",
        "开工建设",
        "提交项目调整申请",
        "批准项目调整（调整批复）",
    ]:
        assert expected in titles, expected
    assert (
        titles.index("提交申报") < titles.index("批复") < titles.index("备案登记") < titles.index("开工建设")
    )
    assert [entry.when for entry in entries] == sorted(entry.when for entry in entries)
    documents = [entry for entry in entries if entry.kind == "document"]
    kinds = [entry.title for entry in documents]
    assert kinds.count("签发审核意见书") == 7 and "签发批复" in kinds and "签发调整批复" in kinds
    assert all(entry.link_url.startswith("/documents/") for entry in documents)  # the unit opens each one
    started = next(entry for entry in entries if entry.title == "开工建设")
    assert started.state == "建设中" and any(line.startswith("应申请验收日期") for line in started.lines)


def test_a_document_someone_may_not_open_is_listed_without_a_link(building, applicant, signers):
    from django.utils import timezone

    from govinfo.documents.issue import issue_document
    from govinfo.orgs.models import Agency

    finance = Agency.objects.get(code="finance")
    issue_document(
        kind="opinion",
        agency=finance,
        title="关于项目资金安排的内部意见",
        addressee="省发展改革委",
        body=["内部意见。"],
        project_code=building.code,
        project_name=building.name,
        signer_agency_name=finance.name,
        date=timezone.localdate(),
        issued_by=signers["finance"],
    )
    own = next(
        e for e in story.timeline(signers["finance"], building) if e.lines and "内部意见" in e.lines[0]
    )
    unit_sees = next(e for e in story.timeline(applicant, building) if e.lines and "内部意见" in e.lines[0])
    assert own.link_url and not unit_sees.link_url and unit_sees.kind == "document"


def test_events_of_other_parts_show_up_without_the_page_knowing_them(building, applicant, monkeypatch):
    # Registered for this test only: a label left in the registry would show on every later page (the trail's
    # action filter), untranslated.
    monkeypatch.setattr(actions, "_REGISTRY", {**actions._REGISTRY})
    actions.register("tests.trial.started", "进入试运行")
    trail.record("tests.trial.started", actor=applicant, target=building, details={"reason": "系统上线"})
    entry = story.timeline(applicant, building)[-1]
    assert entry.title == "进入试运行" and entry.lines == ("理由：系统上线",)


def test_next_steps_name_each_role_and_say_what_the_viewer_may_do(unit, applicant, signers, ndrc_reviewer):
    project = approved(unit, applicant, signers)
    # The filing step is no provider's: it is read from its row of the lifecycle table (role, page), as the
    # rows of trial operation, acceptance and evaluation are.
    bigdata_view = _steps(signers["bigdata"], project)
    file_step = bigdata_view[("省大数据中心", "备案登记")]
    assert file_step.allowed and file_step.mine and file_step.url.endswith("/construction/")
    unit_view = _steps(applicant, project)
    assert (
        not unit_view[("省大数据中心", "备案登记")].allowed
        and not unit_view[("省大数据中心", "备案登记")].mine
    )

    project = filed(project, signers["bigdata"])
    start = _steps(applicant, project)[("项目单位", "开工建设")]
    assert start.mine and not start.allowed and "R-BLD-1" in start.reason  # the unit's, waiting for the facts
    assert ("项目单位", "登记采购情况") in _steps(applicant, project)
    assert ("省发展改革委", "要求限期整改") in _steps(ndrc_reviewer, project)


def test_next_steps_in_construction_and_through_termination(building, applicant, signers):
    ndrc = signers["ndrc"]
    view = _steps(ndrc, building)
    assert view[("省发展改革委", "暂停建设")].allowed
    assert ("项目单位", "报告项目调整") in view and ("项目单位", "申请终止项目") in view
    assert not any(step.step == "terminate" for step in story.next_steps(ndrc, building))  # nothing asked yet
    request = supervision.apply_termination(building, by=applicant, progress="已建成门户", reason="不可抗力")
    assert _steps(ndrc, building)[("省发展改革委", "将终止申请核报领导小组")].allowed
    supervision.submit_termination(request, by=ndrc)
    record = _steps(ndrc, building)[("省发展改革委", "登记领导小组意见（同意则终止项目）")]
    assert record.allowed and record.step == "terminate"
    supervision.suspend(building, by=ndrc, basis=SupervisionBasis.LOSS, reason="损失")
    building.refresh_from_db()
    assert _steps(ndrc, building)[("省发展改革委", "恢复建设")].allowed


def test_the_auditor_sees_the_whole_story_and_no_step_of_its_own(client, building, auditor, applicant):
    change(building, applicant, new_wan=1500, adjusted_wan=10)
    assert not any(step.mine or step.allowed for step in story.next_steps(auditor, building))
    client.force_login(auditor)
    html = client.get(reverse("projects:detail", args=[building.pk])).content.decode()
    assert 'data-testid="next-steps"' in html and "您可以办理" not in html
    assert 'data-testid="story-construction"' in html and 'data-testid="story-changes"' in html
    assert "报备项目调整" in html and "签发批复" in html


def test_the_project_page_shows_the_story_in_a_fixed_number_of_queries(
    client, building, applicant, signers, django_assert_max_num_queries
):
    client.force_login(applicant)
    client.get(reverse("projects:detail", args=[building.pk]))
    with django_assert_max_num_queries(60) as first:
        client.get(reverse("projects:detail", args=[building.pk]))
    for n in range(3):
        change(building, applicant, new_wan=1500, adjusted_wan=10 + n)
    supervision.order_rectification(
        building, by=signers["ndrc"], basis=SupervisionBasis.QUALITY, issues="质量", working_days=5
    )
    with django_assert_max_num_queries(len(first.captured_queries) + 3):  # + the cards that appear
        response = client.get(reverse("projects:detail", args=[building.pk]))
    assert response.status_code == 200 and building.state == State.IN_CONSTRUCTION
