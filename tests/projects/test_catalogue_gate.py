"""The application and the 信息资源目录: R-APP-2 (川办法 第二十条), the sharing half of R-APP-4 (第三十三条),
which entries a project may link, who may change the links, and the 信息资源目录 section page."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue import links
from catalogue import services as catalogue_services
from catalogue.compliance import sharing_violations
from catalogue.models import Resource, ShareRequest
from govinfo.audit.trail import timeline
from projects import services
from projects.catalogue_links import PRODUCING_STATES
from projects.checks import submission_failures
from projects.guards import ActionRefused, NotAllowed
from projects.models import Project, ProjectResource, State
from tests.catalogue.factories import bigdata_member, make_resource

from .factories import complete, draft, link_own_resource, return_for_revision

pytestmark = pytest.mark.django_db

PRODUCED, USED = ProjectResource.Relation.PRODUCED, ProjectResource.Relation.USED
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def login(client, user):
    client.force_login(user)
    return client


def section_url(project):
    return reverse("projects:section", args=[project.pk, "catalogue"])


def unlink_url(project, link):
    return reverse("projects:resource_unlink", args=[project.pk, link.pk])


def row(table: str, text: str) -> str:
    (found,) = [tr for tr in table.split("<tr>") if text in tr]
    return found


def rules_of(project):
    return [f.rule for f in submission_failures(project)]


@pytest.fixture
def publisher(db):
    return bigdata_member("bigdata-gate")


@pytest.fixture
def foreign_published(other_unit, other_applicant, publisher):
    return make_resource(
        other_unit, other_applicant, state="published", publisher=publisher, name="居民电子健康档案"
    )


# -- R-APP-2: at least one catalogue entry ------------------------------------------------------


def test_r_app_2_submission_is_refused_without_a_linked_catalogue_entry(unit, applicant):
    project = complete(unit, applicant, catalogue=False)
    with pytest.raises(ActionRefused) as refused:
        services.submit(project, by=applicant)
    (failure,) = refused.value.failures
    assert failure.rule == "R-APP-2" and failure.section == "catalogue"
    assert "第二十条（R-APP-2）" in str(failure) and "信息资源目录" in str(failure)
    project.refresh_from_db()
    assert project.state == State.DRAFT and project.code is None


def test_r_app_2_the_refusal_on_the_page_cites_article_20_and_links_to_the_section(client, unit, applicant):
    project = complete(unit, applicant, catalogue=False)
    response = login(client, applicant).post(reverse("projects:submit", args=[project.pk]))
    page = response.content.decode()
    assert response.status_code == 400
    assert "《四川省省级政务信息化项目管理办法》第二十条（R-APP-2）" in page
    assert section_url(project) in page


def test_r_app_2_passes_with_an_own_entry_linked_as_produced(unit, applicant):
    project = complete(unit, applicant, catalogue=False)
    link_own_resource(project, applicant)
    assert services.submit(project, by=applicant).state == State.SUBMITTED


def test_r_app_2_passes_with_another_units_published_entry_linked_as_used(unit, applicant, foreign_published):
    project = complete(unit, applicant, catalogue=False)
    services.link_resource(project, by=applicant, resource=foreign_published, relation=USED)
    assert services.submit(project, by=applicant).state == State.SUBMITTED


def test_r_app_2_a_retired_entry_does_not_count_and_is_named(unit, applicant, publisher):
    project = complete(unit, applicant, catalogue=False)
    resource = make_resource(unit, applicant, state="published", publisher=publisher, name="民办学校年检信息")
    services.link_resource(project, by=applicant, resource=resource, relation=PRODUCED)
    catalogue_services.retire_resource(resource, by=applicant, reason="已整合")
    messages = [str(f) for f in submission_failures(project) if f.rule == "R-APP-2"]
    assert len(messages) == 2
    assert "尚未关联信息资源目录条目" in messages[0]
    assert "“民办学校年检信息”" in messages[1] and "已停用" in messages[1]


def test_retiring_a_linked_resource_keeps_the_link_and_the_catalogue_still_lists_the_project(
    client, unit, applicant, publisher
):
    project = complete(unit, applicant, catalogue=False)
    resource = make_resource(unit, applicant, state="published", publisher=publisher)
    services.link_resource(project, by=applicant, resource=resource, relation=PRODUCED)
    services.submit(project, by=applicant)
    catalogue_services.retire_resource(resource, by=applicant, reason="已整合")
    assert Resource.objects.get(pk=resource.pk).state == Resource.State.RETIRED
    assert ProjectResource.objects.filter(project=project, resource=resource).exists()
    page = login(client, applicant).get(reverse("catalogue:resource", args=[resource.pk])).content.decode()
    assert project.name in page and "产生" in page


def test_a_linked_resource_cannot_be_deleted(unit, applicant):
    link = link_own_resource(draft(unit, applicant), applicant)
    with pytest.raises(ProtectedError):
        Resource.objects.filter(pk=link.resource_id).delete()


# -- R-APP-4: sharing violations block new applications ----------------------------------------


def test_r_app_4_an_overdue_share_request_the_unit_must_answer_blocks_submission(
    client, unit, applicant, other_unit, other_applicant, publisher
):
    resource = make_resource(unit, applicant, state="published", publisher=publisher, name="学生基本信息")
    request = catalogue_services.request_share(resource, unit=other_unit, by=other_applicant, purpose="核验")
    ShareRequest.objects.filter(pk=request.pk).update(due_date=YESTERDAY)
    # 第三十三条: a violation bars the unit's projects of the following year (delivery.blocking).
    project = complete(unit, applicant, year=YESTERDAY.year + 1)

    response = login(client, applicant).post(reverse("projects:submit", args=[project.pk]))
    page = response.content.decode()
    assert response.status_code == 400
    assert "第三十三条（R-APP-4）" in page and "（R-CAT-3）" in page
    assert "“学生基本信息”" in page and other_unit.name in page
    assert Project.objects.get(pk=project.pk).state == State.DRAFT
    # The project page links to the request that must be answered.
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("catalogue:request", args=[request.pk]) in detail

    # Answered (late), the unit may file again.
    catalogue_services.answer_share_request(request, by=applicant, approve=True, text="同意")
    assert services.submit(project, by=applicant).state == State.SUBMITTED


def test_r_app_4_an_overdue_request_of_another_provider_does_not_block(
    unit, applicant, other_unit, other_applicant, foreign_published
):
    request = catalogue_services.request_share(foreign_published, unit=unit, by=applicant, purpose="核验")
    ShareRequest.objects.filter(pk=request.pk).update(due_date=YESTERDAY)
    assert "R-APP-4" not in rules_of(complete(unit, applicant, year=YESTERDAY.year + 1))


def test_r_app_4_an_operating_projects_unpublished_produced_resource_blocks(unit, applicant):
    running = draft(unit, applicant, name="四川省教育资源公共服务平台")
    link_own_resource(running, applicant, name="课程资源目录信息")
    Project.objects.filter(pk=running.pk).update(state=State.IN_OPERATION)  # its lifecycle lands later
    project = complete(unit, applicant, year=timezone.localdate().year + 1)
    with pytest.raises(ActionRefused) as refused:
        services.submit(project, by=applicant)
    (failure,) = [f for f in refused.value.failures if f.rule == "R-APP-4"]
    assert "第三十三条（R-APP-4）" in str(failure) and "（R-CAT-1）" in str(failure)
    assert "“四川省教育资源公共服务平台”" in str(failure) and "“课程资源目录信息”" in str(failure)


def test_r_app_4_an_applying_projects_draft_produced_resource_does_not_block(unit, applicant):
    """The correction: a project being applied for produces no data yet, so its draft entry is no violation."""
    earlier = services.submit(complete(unit, applicant, name="已申报的项目"), by=applicant)
    assert earlier.resource_links.get().resource.state == Resource.State.DRAFT
    project = complete(unit, applicant)  # also links a draft entry it will produce
    assert sharing_violations(unit) == []
    assert services.submit(project, by=applicant).state == State.SUBMITTED


@pytest.mark.parametrize("state", [s for s in State.values])
def test_r_cat_1_only_projects_that_have_entered_operation_owe_their_produced_data(unit, applicant, state):
    project = draft(unit, applicant)
    link_own_resource(project, applicant)
    Project.objects.filter(pk=project.pk).update(state=state)
    found = [v.rule for v in sharing_violations(unit)]
    assert found == (["R-CAT-1"] if state in PRODUCING_STATES else [])


def test_r_cat_1_a_used_or_published_or_retired_resource_is_no_violation(unit, applicant, publisher):
    project = draft(unit, applicant)
    link_own_resource(project, applicant, relation=USED)
    services.link_resource(
        project,
        by=applicant,
        resource=make_resource(unit, applicant, state="published", publisher=publisher),
        relation=PRODUCED,
    )
    retired = make_resource(unit, applicant, state="published", publisher=publisher)
    services.link_resource(project, by=applicant, resource=retired, relation=PRODUCED)
    catalogue_services.retire_resource(retired, by=applicant, reason="已整合")
    Project.objects.filter(pk=project.pk).update(state=State.IN_OPERATION)
    assert sharing_violations(unit) == []


# -- which entries may be linked -----------------------------------------------------------------


def test_own_entries_in_draft_submitted_or_published_may_be_linked_either_way(unit, applicant, publisher):
    project = draft(unit, applicant)
    for state in ("draft", "submitted", "published"):
        resource = make_resource(unit, applicant, state=state, publisher=publisher)
        for relation in (PRODUCED, USED):
            services.link_resource(project, by=applicant, resource=resource, relation=relation)
    assert project.resource_links.count() == 6


def test_another_units_published_entry_is_used_not_produced(unit, applicant, foreign_published):
    project = draft(unit, applicant)
    with pytest.raises(NotAllowed) as refused:
        services.link_resource(project, by=applicant, resource=foreign_published, relation=PRODUCED)
    assert "第二十条（R-APP-2）" in refused.value.message and "只能作为“使用”" in refused.value.message
    services.link_resource(project, by=applicant, resource=foreign_published, relation=USED)
    assert [link.relation for link in project.resource_links.all()] == [USED]


def test_another_units_unpublished_entry_cannot_be_linked(unit, applicant, other_unit, other_applicant):
    project = draft(unit, applicant)
    theirs = make_resource(other_unit, other_applicant, state="submitted")
    with pytest.raises(NotAllowed) as refused:
        services.link_resource(project, by=applicant, resource=theirs, relation=USED)
    assert "须在目录中发布后" in refused.value.message and "R-APP-2" in refused.value.message
    assert not project.resource_links.exists()


def test_a_retired_entry_cannot_be_linked_anew(unit, applicant, publisher):
    project = draft(unit, applicant)
    retired = make_resource(unit, applicant, state="retired", publisher=publisher)
    for relation in (PRODUCED, USED):
        with pytest.raises(NotAllowed) as refused:
            services.link_resource(project, by=applicant, resource=retired, relation=relation)
        assert "已停用" in refused.value.message


def test_the_same_link_twice_is_refused(unit, applicant):
    project = draft(unit, applicant)
    link = link_own_resource(project, applicant)
    with pytest.raises(NotAllowed, match="无需重复关联"):
        services.link_resource(project, by=applicant, resource=link.resource, relation=PRODUCED)
    assert project.resource_links.count() == 1


def test_link_and_unlink_are_on_the_projects_timeline(unit, applicant):
    project = draft(unit, applicant)
    link = link_own_resource(project, applicant, name="学生资助发放信息")
    services.unlink_resource(project, by=applicant, link=link)
    events = [e for e in timeline(project) if e.action.startswith("projects.project.resource_")]
    assert [e.action for e in events] == [
        "projects.project.resource_linked",
        "projects.project.resource_unlinked",
    ]
    assert events[0].details["name"] == "学生资助发放信息" and events[0].details["relation"] == "产生"
    assert not project.resource_links.exists()
    assert Resource.objects.filter(pk=link.resource_id).exists()  # the catalogue entry itself stays


# -- who may change the links ------------------------------------------------------------------


@pytest.fixture
def outsiders(other_applicant, reviewer_factory, auditor, expert, ndrc_signer):
    return {
        "other unit": other_applicant,
        "reviewer": reviewer_factory("finance"),
        "big-data centre": reviewer_factory("bigdata"),
        "expert": expert,
        "ndrc before submission": ndrc_signer,
    }


def test_the_auditor_reads_the_section_but_links_nothing(client, unit, applicant, auditor):
    project = draft(unit, applicant)
    link = link_own_resource(project, applicant)
    spare = make_resource(unit, applicant)
    client.force_login(auditor)
    refused = client.post(section_url(project), {"resource": spare.pk, "relation": PRODUCED})
    assert refused.status_code == 403 and "不能办理业务" in refused.content.decode()
    assert client.post(unlink_url(project, link)).status_code == 403
    with pytest.raises(NotAllowed):
        services.link_resource(project, by=auditor, resource=spare, relation=PRODUCED)
    assert list(project.resource_links.values_list("pk", flat=True)) == [link.pk]


def test_every_other_role_gets_404_and_changes_nothing(client, unit, applicant, outsiders):
    project = draft(unit, applicant)
    link = link_own_resource(project, applicant)
    spare = make_resource(unit, applicant)
    for who, user in outsiders.items():
        client.force_login(user)
        assert client.get(section_url(project)).status_code == 404, who
        response = client.post(section_url(project), {"resource": spare.pk, "relation": PRODUCED})
        assert response.status_code == 404, who
        assert client.post(unlink_url(project, link)).status_code == 404, who
        with pytest.raises(NotAllowed):
            services.link_resource(project, by=user, resource=spare, relation=PRODUCED)
        with pytest.raises(NotAllowed):
            services.unlink_resource(project, by=user, link=link)
    assert list(project.resource_links.values_list("pk", flat=True)) == [link.pk]


def test_anonymous_visitors_are_sent_to_login_and_change_nothing(client, unit, applicant):
    project = draft(unit, applicant)
    link = link_own_resource(project, applicant)
    spare = make_resource(unit, applicant)
    for response in (
        client.get(section_url(project)),
        client.post(section_url(project), {"resource": spare.pk, "relation": PRODUCED}),
        client.post(unlink_url(project, link)),
    ):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert list(project.resource_links.values_list("pk", flat=True)) == [link.pk]


def test_a_participating_units_clerk_sees_the_project_but_cannot_change_its_links(
    client, unit, applicant, other_unit, other_applicant
):
    project = draft(unit, applicant)
    services.set_participants(project, by=applicant, lead_scope="门户", rows=[(other_unit, "数据接口")])
    link = link_own_resource(project, applicant)
    theirs = make_resource(other_unit, other_applicant)
    login(client, other_applicant)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200
    response = client.get(section_url(project))
    assert response.status_code == 403 and "只有牵头单位" in response.content.decode()
    assert (
        client.post(section_url(project), {"resource": link.resource_id, "relation": USED}).status_code == 403
    )
    assert client.post(unlink_url(project, link)).status_code == 403
    with pytest.raises(NotAllowed, match="只有牵头单位"):
        services.link_resource(project, by=other_applicant, resource=theirs, relation=USED)
    assert list(project.resource_links.values_list("pk", flat=True)) == [link.pk]


def test_links_are_fixed_once_submitted_and_open_again_when_returned(client, unit, applicant, ndrc_signer):
    project = services.submit(complete(unit, applicant), by=applicant)
    link = project.resource_links.get()
    spare = make_resource(unit, applicant)
    login(client, applicant)
    response = client.get(section_url(project))
    assert response.status_code == 403 and "只有草稿或退回修改的项目可以修改" in response.content.decode()
    assert client.post(section_url(project), {"resource": spare.pk, "relation": USED}).status_code == 403
    assert client.post(unlink_url(project, link)).status_code == 403
    with pytest.raises(NotAllowed):
        services.link_resource(project, by=applicant, resource=spare, relation=USED)
    # NDRC now sees the project, and still may not change its links.
    assert login(client, ndrc_signer).get(section_url(project)).status_code == 403
    assert project.resource_links.count() == 1

    return_for_revision(project, by=ndrc_signer, reason="补充共享数据说明")
    response = login(client, applicant).post(section_url(project), {"resource": spare.pk, "relation": USED})
    assert response.status_code == 302
    assert project.resource_links.count() == 2


# -- the catalogue sees linked projects -----------------------------------------------------------


def test_the_catalogue_reads_linked_projects_in_one_query(unit, applicant, foreign_published):
    resources = [make_resource(unit, applicant) for _ in range(4)] + [foreign_published]
    for n in range(3):
        project = draft(unit, applicant, name=f"项目{n}")
        for resource in resources:
            services.link_resource(project, by=applicant, resource=resource, relation=USED)
        Project.objects.filter(pk=project.pk).update(
            code=f"川政信-2026-{n + 1:04d}"
        )  # as on first submission
    with CaptureQueriesContext(connection) as queries:
        found = links.projects_for_resources([r.pk for r in resources])
    assert len(queries) == 1
    assert {len(refs) for refs in found.values()} == {3} and set(found) == {r.pk for r in resources}
    ref = found[foreign_published.pk][0]
    assert ref.name == "项目0" and ref.relation_label == "使用" and ref.url == f"/projects/{ref.pk}/"


def test_a_draft_project_is_not_named_on_the_catalogue_before_it_is_submitted(
    client, unit, applicant, other_applicant, foreign_published
):
    project = complete(unit, applicant, catalogue=False)
    services.link_resource(project, by=applicant, resource=foreign_published, relation=USED)
    resource_page = reverse("catalogue:resource", args=[foreign_published.pk])
    assert project.name not in login(client, other_applicant).get(resource_page).content.decode()
    services.submit(project, by=applicant)
    assert project.name in login(client, other_applicant).get(resource_page).content.decode()


# -- the 信息资源目录 section -----------------------------------------------------------------------


def test_the_section_shows_r_app_2_open_until_an_entry_is_linked(client, unit, applicant):
    project = draft(unit, applicant)
    login(client, applicant)
    page = client.get(section_url(project)).content.decode()
    assert "第二十条（R-APP-2）" in page and 'data-testid="no-linked-resources"' in page
    assert reverse("catalogue:create") in page and "新建目录条目" in page
    resource = make_resource(unit, applicant, name="学生体质健康监测信息")

    response = client.post(section_url(project), {"resource": resource.pk, "relation": PRODUCED})
    assert response.status_code == 302
    page = client.get(section_url(project)).content.decode()
    assert "已关联“学生体质健康监测信息”（产生）" in page
    assert 'data-testid="section-failures"' not in page  # no open R-APP-2 item left in the section
    linked = page.split('data-testid="linked-resources"')[1].split("</table>")[0]
    assert resource.code in linked and "学生体质健康监测信息" in linked and "草稿" in linked
    assert "产生" in linked and unit.display_name in linked and "移除" in linked


def test_the_section_removes_a_link(client, unit, applicant):
    project = draft(unit, applicant)
    link = link_own_resource(project, applicant, name="教育经费统计信息")
    response = login(client, applicant).post(unlink_url(project, link))
    assert response.status_code == 302 and response["Location"] == section_url(project)
    assert not project.resource_links.exists()
    assert "已移除“教育经费统计信息”（产生）的关联" in client.get(section_url(project)).content.decode()


def test_a_link_of_another_project_is_a_404(client, unit, applicant):
    project = draft(unit, applicant)
    other_link = link_own_resource(draft(unit, applicant, name="另一个项目"), applicant)
    assert login(client, applicant).post(unlink_url(project, other_link)).status_code == 404
    assert ProjectResource.objects.filter(pk=other_link.pk).exists()


def test_the_section_offers_only_linkable_entries_with_the_relations_they_allow(
    client, unit, applicant, other_unit, other_applicant, foreign_published, publisher
):
    project = draft(unit, applicant)
    own = make_resource(unit, applicant, name="本单位草稿资源")
    make_resource(unit, applicant, state="retired", publisher=publisher, name="本单位停用资源")
    make_resource(other_unit, other_applicant, name="他单位草稿资源")
    page = login(client, applicant).get(section_url(project)).content.decode()
    candidates = page.split('data-testid="candidates"')[1].split("</table>")[0]
    assert "本单位草稿资源" in candidates and "居民电子健康档案" in candidates
    assert "本单位停用资源" not in candidates and "他单位草稿资源" not in candidates
    own_row = row(candidates, "本单位草稿资源")
    foreign_row = row(candidates, "居民电子健康档案")
    assert f'value="{PRODUCED}"' in own_row and f'value="{USED}"' in own_row
    assert f'value="{PRODUCED}"' not in foreign_row and f'value="{USED}"' in foreign_row
    assert own.code in candidates


def test_a_forged_link_is_refused_next_to_the_form_and_nothing_is_linked(
    client, unit, applicant, other_unit, other_applicant, foreign_published
):
    project = draft(unit, applicant)
    login(client, applicant)
    response = client.post(section_url(project), {"resource": foreign_published.pk, "relation": PRODUCED})
    assert response.status_code == 400
    assert (
        "第二十条（R-APP-2）" in response.content.decode()
        and 'data-testid="link-error"' in response.content.decode()
    )
    theirs = make_resource(other_unit, other_applicant)
    response = client.post(section_url(project), {"resource": theirs.pk, "relation": USED})
    assert response.status_code == 400 and "不能与本项目关联" in response.content.decode()
    assert not project.resource_links.exists()


def test_the_section_searches_and_paginates_on_the_server(client, unit, applicant):
    project = draft(unit, applicant)
    for n in range(12):
        make_resource(unit, applicant, name=f"学籍变动信息{n:02d}")
    make_resource(unit, applicant, name="校车安全信息")
    login(client, applicant)
    first = client.get(section_url(project), {"q": "学籍"}).content.decode()
    assert first.count('name="resource"') == 10 * 2  # ten rows, two relations each
    assert "校车安全信息" not in first and "第 1 页" in first and "page=2" in first
    second = client.get(section_url(project), {"q": "学籍", "page": 2}).content.decode()
    assert "学籍变动信息11" in second and second.count('name="resource"') == 2 * 2
    # Linking from page 2 returns to page 2 of the same search.
    target = Resource.objects.get(name="学籍变动信息11")
    response = client.post(
        section_url(project) + "?q=学籍&page=2", {"resource": target.pk, "relation": PRODUCED}
    )
    assert response["Location"] == section_url(project) + "?q=%E5%AD%A6%E7%B1%8D&page=2"


def test_the_section_queries_do_not_grow_with_the_linked_resources(
    client, unit, applicant, foreign_published
):
    project = draft(unit, applicant)
    link_own_resource(project, applicant)
    login(client, applicant)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(section_url(project)).status_code == 200
        return len(queries)

    few = count()
    for _ in range(8):
        link_own_resource(project, applicant)
    services.link_resource(project, by=applicant, resource=foreign_published, relation=USED)
    assert project.resource_links.count() == 10
    assert count() == few


def test_the_project_page_lists_the_linked_entries(client, unit, applicant, foreign_published):
    project = draft(unit, applicant)
    services.link_resource(project, by=applicant, resource=foreign_published, relation=USED)
    page = login(client, applicant).get(reverse("projects:detail", args=[project.pk])).content.decode()
    table = page.split('data-testid="project-resources"')[1].split("</table>")[0]
    assert "居民电子健康档案" in table and "使用" in table and foreign_published.code in table
    timeline_part = page.split('data-testid="timeline"')[1]
    assert (
        "关联信息资源目录" in timeline_part
        and f"使用：居民电子健康档案（{foreign_published.code}）" in timeline_part
    )
