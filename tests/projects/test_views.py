"""The applicant's pages: what each user sees and may do, and that nothing typed is lost."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govinfo.audit.trail import timeline
from projects import services
from projects.models import Material, MaterialKind, Project, State

from .factories import EXE_BYTES, complete, draft, pdf_upload, return_for_revision

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def url(name, project, *args):
    return reverse(f"projects:{name}", args=[project.pk, *args])


# -- 我的项目 ----------------------------------------------------------------------------------


def test_my_projects_lists_the_units_projects_only(client, unit, other_unit, applicant, other_applicant):
    mine = draft(unit, applicant, name="本单位项目")
    draft(other_unit, other_applicant, name="别的单位项目")
    page = login(client, applicant).get(reverse("projects:list")).content.decode()
    assert mine.name in page and "别的单位项目" not in page


def test_my_projects_filters_by_state_and_year(client, unit, applicant):
    draft(unit, applicant, name="草稿项目", year=2026)
    submitted = services.submit(complete(unit, applicant, name="已申报项目"), by=applicant)
    Project.objects.filter(pk=submitted.pk).update(year=2027)
    login(client, applicant)
    by_state = client.get(reverse("projects:list"), {"state": State.SUBMITTED}).content.decode()
    assert "已申报项目" in by_state and "草稿项目" not in by_state
    by_year = client.get(reverse("projects:list"), {"year": 2026}).content.decode()
    assert "草稿项目" in by_year and "已申报项目" not in by_year


def test_my_projects_paginates_and_its_queries_do_not_grow(
    client, unit, applicant, django_assert_max_num_queries
):
    for n in range(25):
        draft(unit, applicant, name=f"项目{n:02d}")
    login(client, applicant)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("projects:list"))
    assert first.content.decode().count('href="/projects/') >= 20
    # Uncounted paging: "page 1" and a next link, no COUNT(*) over every visible case.
    assert "第 1 页" in first.content.decode() and "page=2" in first.content.decode()
    assert "项目00" in client.get(reverse("projects:list"), {"page": 2}).content.decode()


def test_an_empty_list_says_how_to_start(client, applicant):
    page = login(client, applicant).get(reverse("projects:list")).content.decode()
    assert "没有符合条件的项目" in page and "新建项目申报" in page


# -- creating and filling in the form ------------------------------------------------------------


def test_a_clerk_creates_a_draft_and_moves_to_the_next_section(client, unit, applicant):
    response = login(client, applicant).post(
        reverse("projects:create"), {"name": "四川省教育数据中台", "year": 2027, "save_next": "1"}
    )
    project = Project.objects.get(name="四川省教育数据中台")
    assert project.lead_unit == unit and project.state == State.DRAFT
    assert response["Location"] == url("section", project, "technical")
    assert [e.action for e in timeline(project)] == ["projects.project.created"]


def test_only_clerks_can_create(client, finance_reviewer, auditor):
    for user in (finance_reviewer, auditor):
        assert login(client, user).get(reverse("projects:create")).status_code == 403


def test_funding_is_entered_in_wan_stored_in_yuan_and_shown_in_wan(client, project, applicant):
    login(client, applicant)
    response = client.post(
        url("section", project, "funding"),
        {"total_investment": "2580.5", "om_funding": "120", "fund_channels": ["capital_budget"], "save": "1"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.total_investment == Decimal("25805000.00")
    assert project.approval_path == "two_step"
    page = client.get(url("detail", project)).content.decode()
    assert "2,580.50 万元" in page and "两步" in page
    form = client.get(url("section", project, "funding")).content.decode()
    assert 'value="2580.5"' in form


def test_bad_input_is_shown_next_to_the_field_and_nothing_saved_is_lost(client, project, applicant):
    login(client, applicant)
    client.post(
        url("section", project, "basic"), {"name": project.name, "year": 2027, "main_tasks": "已保存的任务"}
    )
    response = client.post(
        url("section", project, "basic"),
        {"name": project.name, "year": 2027, "main_tasks": "新写的任务", "national_code": "123"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "投资项目统一代码应为24位（GB/T 40058-2021），当前为3位。" in page
    assert "新写的任务" in page  # what the user typed stays in the form
    project.refresh_from_db()
    assert project.main_tasks == "已保存的任务"


def test_an_override_without_reason_is_refused_next_to_the_field(client, project, applicant):
    response = login(client, applicant).post(
        url("section", project, "funding"),
        {"total_investment": "5000", "path_override": "central_requirement"},
    )
    assert response.status_code == 400
    assert "（R-APP-8），选择特殊情形须写明具体依据和理由" in response.content.decode()


def test_sections_show_their_completeness(client, project, applicant):
    page = login(client, applicant).get(url("section", project, "technical")).content.decode()
    assert "基本情况" in page and "待补充" in page
    assert "购买服务条件" not in page  # not a 购买服务 project


def test_the_exclusion_checklist_saves_answers_and_basis(client, project, applicant):
    login(client, applicant)
    data = {
        "machine_room_answer": "yes",
        "machine_room_basis": "涉密系统按保密法要求",
        "dedicated_line_answer": "no",
    }
    assert client.post(url("section", project, "exclusions"), data).status_code == 302
    project.refresh_from_db()
    assert project.exclusion_answers["machine_room"] == {"answer": "yes", "basis": "涉密系统按保密法要求"}
    assert project.exclusion_answers["dedicated_line"]["answer"] == "no"
    page = client.get(url("section", project, "exclusions")).content.decode()
    assert "涉密系统按保密法要求" in page and "尚未作答" in page


def test_participants_are_added_with_scopes(client, project, applicant, other_unit, other_applicant):
    login(client, applicant)
    data = {
        "lead_scope": "统一门户",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-unit": other_unit.pk,
        "form-0-scope": "健康数据接口",
        "form-1-unit": "",
        "form-1-scope": "",
    }
    assert client.post(url("section", project, "participants"), data).status_code == 302
    assert project.participants.get().scope == "健康数据接口"
    client.force_login(other_applicant)
    page = client.get(url("detail", project)).content.decode()
    assert "健康数据接口" in page and "提交申报</button>" not in page
    assert client.get(url("section", project, "basic")).status_code == 403


# -- materials -----------------------------------------------------------------------------------


def test_an_upload_is_versioned_and_downloadable(client, project, applicant):
    login(client, applicant)
    for name in ("第一稿.pdf", "第二稿.pdf"):
        response = client.post(
            url("section", project, "materials"), {"kind": MaterialKind.CRYPTO_PLAN, "file": pdf_upload(name)}
        )
        assert response.status_code == 302
    page = client.get(url("section", project, "materials")).content.decode()
    assert "第 1 版" in page and "第 2 版" in page
    material = Material.objects.get(version=2)
    download = client.get(url("material_download", project, material.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]
    assert "projects.material.downloaded" in [e.action for e in timeline(project)]


def test_a_renamed_executable_is_refused_and_the_draft_loses_nothing(client, project, applicant):
    login(client, applicant)
    client.post(url("section", project, "basic"), {"name": project.name, "year": 2027, "main_tasks": "任务"})
    client.post(url("section", project, "materials"), {"kind": MaterialKind.CLOUD_PLAN, "file": pdf_upload()})
    response = client.post(
        url("section", project, "materials"),
        {"kind": MaterialKind.CRYPTO_PLAN, "file": SimpleUploadedFile("密码应用方案.pdf", EXE_BYTES)},
    )
    assert response.status_code == 400
    assert "实际内容是Windows 可执行程序" in response.content.decode()
    project.refresh_from_db()
    assert project.main_tasks == "任务"
    assert list(project.materials.values_list("kind", flat=True)) == [MaterialKind.CLOUD_PLAN]


def test_an_oversized_upload_is_refused_with_the_limit(client, project, applicant, settings):
    settings.GOVINFO_MATERIAL_MAX_BYTES = 2048
    response = login(client, applicant).post(
        url("section", project, "materials"),
        {"kind": MaterialKind.CLOUD_PLAN, "file": SimpleUploadedFile("大.pdf", b"%PDF-1.7\n" + b"0" * 4096)},
    )
    assert response.status_code == 400
    assert "超过 2 KB 的上限" in response.content.decode()
    assert not project.materials.exists()


def test_a_path_traversal_upload_never_leaves_the_project_folder(client, project, applicant, media_root):
    """Django strips the path before we see it; the stored name is ours and the shown name is clean."""
    boundary = "XyZ"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncloud_plan\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../../etc/evil.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + pdf_upload().read()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    login(client, applicant)
    response = client.generic(
        "POST",
        url("section", project, "materials"),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    material = project.materials.get()
    assert material.display_name == "evil.pdf"
    assert (
        material.file.name.startswith(f"projects/{project.pk}/materials/") and ".." not in material.file.name
    )
    assert not (media_root.parent / "etc").exists()


# -- the project page and submitting -------------------------------------------------------------


def test_submit_refused_lists_every_failure_with_rule_and_article(client, project, applicant):
    response = login(client, applicant).post(url("submit", project), {"state": "draft"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "未能提交申报" in page
    assert "依据《四川省省级政务信息化项目管理办法》第十六条（R-APP-1）" in page
    assert "第八条（一）至（七）（R-APP-5）" in page
    project.refresh_from_db()
    assert project.state == State.DRAFT


def test_submit_succeeds_and_shows_the_code(client, ready_project, applicant):
    login(client, applicant)
    response = client.post(url("submit", ready_project), {"state": "draft"}, follow=True)
    ready_project.refresh_from_db()
    assert ready_project.state == State.SUBMITTED
    page = response.content.decode()
    assert ready_project.code in page and "已申报" in page
    assert "提交申报</button>" not in page


def test_a_stale_page_does_not_submit(client, ready_project, applicant):
    response = login(client, applicant).post(url("submit", ready_project), {"state": "returned"}, follow=True)
    assert "项目已被他人处理" in response.content.decode()
    ready_project.refresh_from_db()
    assert ready_project.state == State.DRAFT


def test_the_project_page_shows_data_materials_timeline_and_actions(
    client, ready_project, applicant, django_assert_max_num_queries
):
    login(client, applicant)
    with django_assert_max_num_queries(25):
        page = client.get(url("detail", ready_project)).content.decode()
    assert "1,500.00 万元" in page
    assert "实施方案" in page and "上传申报材料" in page
    assert "新建项目" in page  # timeline
    assert "提交申报</button>" in page and "检查通过，可以提交申报" in page


def test_a_returned_project_shows_the_reason_and_resubmit(client, ready_project, applicant, ndrc_signer):
    project = services.submit(ready_project, by=applicant)
    return_for_revision(project, by=ndrc_signer, reason="请细化政务云资源测算")
    page = login(client, applicant).get(url("detail", project)).content.decode()
    assert "请细化政务云资源测算" in page and "修改后重新申报" in page


# -- who may not (every page, every other role) ---------------------------------------------------


@pytest.fixture
def outsiders(other_applicant, finance_reviewer, expert, ndrc_signer):
    # NDRC sees a case only once it is submitted; before that it is an outsider too. The auditor reads
    # every case and acts on none: see test_the_auditor_reads_every_page_and_is_refused_every_action.
    return {
        "other unit": other_applicant,
        "reviewer": finance_reviewer,
        "expert": expert,
        "ndrc before submission": ndrc_signer,
    }


def _pages(project, material):
    return [
        ("get", url("detail", project)),
        ("get", url("section", project, "basic")),
        ("post", url("section", project, "funding")),
        ("get", url("section", project, "participants")),
        ("get", url("section", project, "materials")),
        ("post", url("section", project, "materials")),
        ("post", url("submit", project)),
        ("get", url("material_download", project, material.pk)),
    ]


def test_every_page_is_a_404_for_every_other_role(client, project, applicant, outsiders):
    material = services.upload_material(project, by=applicant, kind=MaterialKind.OTHER, upload=pdf_upload())
    for who, user in outsiders.items():
        client.force_login(user)
        for method, address in _pages(project, material):
            response = getattr(client, method)(address)
            assert response.status_code == 404, (who, method, address, response.status_code)
        assert project.name not in client.get(reverse("projects:list")).content.decode(), who
    assert [e.action for e in timeline(project)] == ["projects.project.created", "projects.material.uploaded"]


def test_the_auditor_reads_every_page_and_is_refused_every_action(client, project, applicant, auditor):
    material = services.upload_material(project, by=applicant, kind=MaterialKind.OTHER, upload=pdf_upload())
    client.force_login(auditor)
    page = client.get(url("detail", project))
    assert page.status_code == 200 and project.name in page.content.decode()
    assert f'action="{url("submit", project)}"' not in page.content.decode()
    assert client.get(url("material_download", project, material.pk)).status_code == 200
    assert project.name in client.get(reverse("projects:list")).content.decode()
    for method, address in _pages(project, material):
        if method == "post":
            response = client.post(address, {"total_investment": "1"})
            assert response.status_code == 403, address
            assert "审计和系统管理人员可以查阅全部案件，但不能办理业务" in response.content.decode()
    project.refresh_from_db()
    assert project.state == State.DRAFT and project.total_investment != 1


def test_every_page_sends_anonymous_visitors_to_login(client, project, applicant):
    material = services.upload_material(project, by=applicant, kind=MaterialKind.OTHER, upload=pdf_upload())
    for method, address in [
        *_pages(project, material),
        ("get", reverse("projects:list")),
        ("get", reverse("projects:create")),
    ]:
        response = getattr(client, method)(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], address


def test_a_download_of_another_projects_material_is_a_404(client, unit, applicant, project):
    other = draft(unit, applicant, name="另一个项目")
    material = services.upload_material(other, by=applicant, kind=MaterialKind.OTHER, upload=pdf_upload())
    response = login(client, applicant).get(url("material_download", project, material.pk))
    assert response.status_code == 404


def test_the_nav_and_todo_show_returned_projects(client, ready_project, applicant, ndrc_signer):
    project = services.submit(ready_project, by=applicant)
    return_for_revision(project, by=ndrc_signer, reason="补充材料")
    page = login(client, applicant).get(reverse("home")).content.decode()
    assert "我的项目" in page and f"退回修改：{project.name}" in page
    assert "我的项目" not in login(client, ndrc_signer).get(reverse("home")).content.decode()
