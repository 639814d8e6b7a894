"""Issue 9's journey: unit-a submits; NDRC accepts; every agency the round opened (the seven of 第二十二条)
reviews the whole application and signs after previewing its 审核意见书 (样稿); NDRC invites an expert,
who gives its opinion, and records the expert 评估论证;
NDRC drafts the 批复, previews it, confirms it; unit-a finds the notice on its to-do list, signs for it and opens
the 批复 from its project page.

The agencies are whatever the round opened (each signs with its demo signer login), so the journey holds
as agencies are added. What a 批复 needs besides the opinions is ``before_the_decision``.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from approvals.models import ReviewTask
from govinfo.demo.users import DEMO_PASSWORD, DEMO_PEOPLE, load_people, load_units
from govinfo.orgs.models import Role, Unit
from projects.models import Project, State
from tests.projects.factories import complete

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "四川省学生资助管理信息系统"
FUNDING_NOTE = "省级财政分两年安排，2027年安排七成。"
SCHEDULE = "项目建设期18个月，自本批复印发之日起计算。"


def assert_sample_pdf(page, url: str) -> None:
    """The preview is a PDF served fresh every time (样稿: no number, not stored)."""
    response = page.request.get(url)
    assert response.status == 200, url
    assert response.headers["content-type"] == "application/pdf"
    assert "no-store" in response.headers["cache-control"]
    assert response.body().startswith(b"%PDF-")


def review_and_sign(page, project: Project, agency_code: str) -> None:
    """One agency: open the task from the list, read the application, draft, preview, confirm, sign."""
    page.get_by_role("link", name="审核任务").click()
    page.get_by_test_id("task-list").get_by_role("link", name=NAME).click()
    # The whole application of the round under review, on the task page itself.
    application = page.get_by_test_id("application")
    assert "本轮审查的申报内容（第1版）" in application.inner_text()
    assert FUNDING_NOTE in page.get_by_test_id("revision-section-funding").inner_text()
    assert page.get_by_test_id("revision-section-exclusions").is_visible()
    assert page.get_by_test_id("revision-materials").get_by_role("link").count() >= 1

    page.locator("input[name=conclusion][value=agree]").check()
    page.get_by_label("审核意见", exact=True).fill(f"经审核，{agency_code}同意该项目建设方案。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_test_id("sign").click()
    # The confirmation: what will be numbered, and the 样稿 to read first.
    assert page.get_by_test_id("confirm-title").inner_text().endswith("审核意见")
    assert "签署时按顺序取号" in page.get_by_test_id("confirm-number").inner_text()
    assert_sample_pdf(page, page.get_by_test_id("opinion-preview").get_attribute("href"))
    page.get_by_test_id("confirm-sign").click()
    assert page.get_by_test_id("task-status").inner_text() == "已签署"


def before_the_decision(page, project: Project, login) -> None:
    """What NDRC records between the last opinion and the 批复 besides the opinions themselves: the
    评估论证 (R-REV-4, 川办法 第二十四条), here by an invited expert whose opinion NDRC then records."""
    page.goto(f"/review/projects/{project.pk}/")
    assert "R-REV-4" in page.get_by_test_id("blocking").inner_text()
    page.get_by_label("评估专家", exact=True).select_option(label="郑教授")
    page.get_by_role("button", name="邀请专家评估").click()

    # The expert opens the invitation from its to-do list and gives its opinion.
    expert = login("expert", DEMO_PASSWORD)
    expert.goto(f"/review/projects/{project.pk}/")
    invitation = expert.get_by_test_id("expert-invitation")
    invitation.get_by_label("同意", exact=True).check()
    invitation.get_by_label("评估意见", exact=True).fill("建设内容必要，技术路线可行，投资估算基本合理。")
    invitation.get_by_role("button", name="提交评估意见").click()
    assert "建设内容必要" in expert.get_by_test_id("expert-invitation").inner_text()

    page.goto(f"/review/projects/{project.pk}/")
    form = page.get_by_test_id("evaluation-form")
    form.get_by_label("组织专家评估论证", exact=True).check()
    form.get_by_label("评估论证情况", exact=True).fill("邀请郑教授评估论证，同意建设。")
    form.get_by_role("button", name="记录评估论证").click()
    assert "组织专家评估论证" in page.get_by_test_id("evaluation-current").inner_text()
    assert page.get_by_test_id("ready").is_visible()


def test_every_agency_signs_after_a_preview_and_ndrc_drafts_previews_and_confirms_the_approval(
    login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # The demo's people (a login per agency, named after its code), not the other apps' demo cases: the
    # journey builds its own case and depends on nothing else of the demo.
    load_people(load_units())
    User = get_user_model()
    clerk = User.objects.get(username="unit-a")
    User.objects.filter(pk=clerk.pk).update(email="unit-a@edu.sc.gov.cn")
    unit = Unit.objects.get(pk=clerk.memberships.get().unit_id)
    project = complete(unit, clerk, name=NAME, funding_note=FUNDING_NOTE)

    # unit-a submits from its project page.
    unit_a = login("unit-a", DEMO_PASSWORD)
    unit_a.goto(f"/projects/{project.pk}/")
    unit_a.get_by_role("button", name="提交申报").click()
    assert unit_a.get_by_test_id("project-state").inner_text() == "已申报"

    # NDRC accepts: the round opens a task for every agency required by default.
    ndrc = login("ndrc", DEMO_PASSWORD)
    ndrc.goto(f"/review/projects/{project.pk}/")
    ndrc.get_by_role("button", name="受理并分送会签").click()
    assert ndrc.get_by_test_id("project-state").inner_text() == "审查中"

    codes = list(
        ReviewTask.objects.filter(round__project=project, round__status="open")
        .order_by("agency__sort_order", "agency__code")
        .values_list("agency__code", flat=True)
    )
    assert len(codes) >= 7  # R-REV-1: the seven agencies of 第二十二条 at least
    logins = {
        where: username for username, _name, role, where, _purpose in DEMO_PEOPLE if role == Role.SIGNER
    }
    missing = [code for code in codes if code not in logins]
    assert not missing, f"the demo has no signer login for {missing}"
    for code in codes:
        review_and_sign(ndrc if code == "ndrc" else login(logins[code], DEMO_PASSWORD), project, code)

    ndrc.goto(f"/review/projects/{project.pk}/")
    assert ndrc.get_by_test_id("project-state").inner_text() == "评估论证"
    before_the_decision(ndrc, project, login)

    # NDRC drafts the 批复 from the pre-fill, edits it, previews it and confirms it.
    ndrc.goto(f"/review/projects/{project.pk}/")
    ndrc.get_by_test_id("approve").click()  # no draft yet: the way to the 批复 starts with its text
    assert "原则同意该项目实施方案" in ndrc.get_by_label("建设内容与规模", exact=True).input_value()
    ndrc.get_by_label("建设期限", exact=True).fill(SCHEDULE)
    ndrc.get_by_test_id("save-draft").click()
    assert "第1稿" in ndrc.get_by_test_id("draft-status").inner_text()
    assert_sample_pdf(ndrc, ndrc.get_by_test_id("decision-preview").get_attribute("href"))
    ndrc.get_by_test_id("decision-confirm-link").click()
    assert ndrc.get_by_test_id("confirm-title").inner_text() == f"关于《{NAME}实施方案》的批复"
    assert "川发改审〔" in ndrc.get_by_test_id("confirm-number").inner_text()
    ndrc.get_by_test_id("confirm-issue").click()
    assert ndrc.get_by_test_id("project-state").inner_text() == "已批复"
    assert Project.objects.get(pk=project.pk).state == State.APPROVED
    number = ndrc.get_by_test_id("decision-document").get_by_role("link").inner_text().split(" ")[0]

    # unit-a: the notice on its to-do list and in its mailbox; it signs for it and opens the 批复.
    assert [m.to for m in mail.outbox] == [["unit-a@edu.sc.gov.cn"]] and number in mail.outbox[0].subject
    unit_a.goto("/")
    unit_a.get_by_test_id("todo-list").get_by_role(
        "link", name=f"批复已印发：关于《{NAME}实施方案》的批复"
    ).click()
    unit_a.get_by_test_id("acknowledge").click()
    assert unit_a.get_by_test_id("project-state").inner_text() == "已批复"
    with unit_a.expect_download() as download_info:
        unit_a.get_by_role("link", name=f"批复 {number}").click()
    pdf_path = tmp_path / "批复.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    unit_a.goto("/")
    assert "批复已印发" not in unit_a.content()

    # The 批复 says what NDRC wrote, after the 评估论证 it followed.
    document = Project.objects.get(pk=project.pk).review_rounds.get().decision_document
    assert SCHEDULE in [block[1] for block in document.content["body"]]
    assert "经组织专家评估论证，并征求" in document.content["body"][0][1]
