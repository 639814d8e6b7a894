"""The pages of monitoring, acceptance and evaluation: who sees them, what a post does, what a refusal says."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.dates import add_months
from delivery.models import Acceptance
from govinfo.audit.models import AuditEvent
from projects.models import Project, State

from .factories import in_trial, operating, pdf, under_acceptance, upload_all

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who,status", [("unit", 200), ("ndrc", 200), ("auditor", 200), ("admin", 200),
                                        ("other_unit", 404), ("expert", 404)])  # fmt: skip
def test_the_acceptance_page_is_seen_by_whoever_sees_the_case(client, building, people, who, status):
    response = login(client, people[who]).get(reverse("delivery:acceptance", args=[building.pk]))
    assert response.status_code == status


def test_the_acceptance_page_of_a_project_not_yet_building_is_not_found(client, unit, applicant):
    from tests.projects.factories import complete

    project = complete(unit, applicant)
    assert login(client, applicant).get(reverse("delivery:acceptance", args=[project.pk])).status_code == 404


def test_the_unit_starts_trial_on_the_page_and_an_auditors_post_is_refused_and_recorded(
    client, building, applicant, auditor
):
    url = reverse("delivery:start_trial", args=[building.pk])
    data = {
        "started_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
        "completion_note": "完成。",
        "construction_complete": "on",
        "state": "in_construction",
    }
    response = login(client, auditor).post(url, data)
    assert response.status_code == 403 and "审计和系统管理人员" in response.content.decode()
    assert AuditEvent.objects.filter(action="govinfo.action.refused", actor=auditor).exists()
    response = login(client, applicant).post(url, data)
    assert response.status_code == 302
    assert Project.objects.get(pk=building.pk).state == State.TRIAL_OPERATION


def test_a_stale_page_gets_a_conflict_not_an_action(client, building, applicant):
    in_trial(building, applicant)
    url = reverse("delivery:start_trial", args=[building.pk])
    data = {"started_on": TODAY().isoformat(), "completion_note": "完成。", "construction_complete": "on"}
    response = login(client, applicant).post(url, {**data, "state": "in_construction"}, follow=True)
    assert "已被他人处理" in response.content.decode()


def test_applying_without_materials_names_each_one_on_the_page(client, building, applicant):
    in_trial(building, applicant)
    page = login(client, applicant).get(reverse("delivery:acceptance", args=[building.pk])).content.decode()
    assert 'data-testid="apply-failures"' in page and "密码应用安全性评估报告" in page
    response = client.post(reverse("delivery:apply", args=[building.pk]), {"state": "trial_operation"})
    assert response.status_code == 403
    assert "第三十一条（R-ACC-2）" in response.content.decode()


def test_upload_refusals_show_on_the_page(client, building, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.projects.factories import EXE_BYTES

    response = login(client, applicant).post(
        reverse("delivery:acceptance_upload", args=[building.pk]),
        {"kind": "summary", "file": SimpleUploadedFile("总结.pdf", EXE_BYTES)},
    )
    assert response.status_code == 400 and "Windows 可执行程序" in response.content.decode()
    response = client.post(
        reverse("delivery:acceptance_upload", args=[building.pk]),
        {"kind": "summary", "file": pdf("总结.pdf")},
    )
    assert response.status_code == 302


def test_ndrc_fails_then_passes_on_the_page_and_the_unit_finds_the_opinion_on_its_project_page(
    client, building, applicant, signers
):
    in_trial(building, applicant)
    under_acceptance(building, applicant)
    ndrc = login(client, signers["ndrc"])
    response = ndrc.post(
        reverse("delivery:fail", args=[building.pk]),
        {"items": "补充性能测试。", "state": "acceptance_review"},
    )
    assert response.status_code == 302
    login(client, applicant).post(
        reverse("delivery:reapply", args=[building.pk]),
        {"rectification_report": "已补充。", "state": "acceptance_failed"},
    )
    login(client, signers["ndrc"]).post(
        reverse("delivery:pass", args=[building.pk]), {"state": "acceptance_review"}
    )
    passed = Acceptance.objects.get(project=building, outcome="passed")
    page = login(client, applicant).get(reverse("projects:detail", args=[building.pk])).content.decode()
    download = reverse("documents:download", args=[passed.document_id])
    assert download in page and passed.document.doc_number in page
    assert client.get(download).status_code == 200


def test_the_acceptance_page_costs_the_same_with_more_history(
    client, building, applicant, signers, django_assert_max_num_queries
):
    in_trial(building, applicant)
    under_acceptance(building, applicant)
    from delivery import acceptance

    acceptance.fail_acceptance(building, by=signers["ndrc"], items="整改。")
    acceptance.reapply(building, by=applicant, rectification_report="已整改。")
    login(client, signers["ndrc"])
    with django_assert_max_num_queries(45):
        assert client.get(reverse("delivery:acceptance", args=[building.pk])).status_code == 200


def test_the_monitoring_page_files_a_report(client, building, applicant):
    url = reverse("delivery:monitoring", args=[building.pk])
    page = login(client, applicant).get(url).content.decode()
    assert 'data-testid="monitoring-form"' in page
    response = client.post(
        reverse("delivery:monitoring_file", args=[building.pk]),
        {
            "year": TODAY().year,
            "progress": "进度正常。",
            "fund_execution": "执行60%。",
            "user_unit_name": "使用单位",
            "user_unit_opinion": "满意。",
            "supervisor_name": "监理公司",
            "supervisor_opinion": "受控。",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "已报送" in page and 'data-testid="monitoring-form"' not in page


def test_the_evaluation_page_says_when_the_self_evaluation_may_be_filed(client, building, applicant, signers):
    operating(building, applicant, signers["ndrc"], months_ago=2)
    page = login(client, applicant).get(reverse("delivery:evaluation", args=[building.pk])).content.decode()
    assert 'data-testid="self-reason"' in page and "R-EVA-1" in page
    opens = add_months(Acceptance.objects.get(project=building).decided_on, 12)
    assert f"{opens.year}年{opens.month}月{opens.day}日" in page


def test_the_to_do_lists_name_what_is_due(client, building, applicant, signers):
    in_trial(building, applicant)
    upload_all(building, applicant)
    page = login(client, applicant).get("/").content.decode()
    assert "申请验收：" in page
    from delivery import acceptance

    acceptance.apply(building, by=applicant)
    page = login(client, signers["ndrc"]).get("/").content.decode()
    assert "验收审核：" in page


def test_the_review_page_shows_the_acceptance_round_and_lets_the_invited_expert_answer(
    client, building, applicant, signers, expert
):
    from delivery import acceptance

    in_trial(building, applicant)
    under_acceptance(building, applicant)
    acceptance.invite_expert(building, expert, by=signers["ndrc"])
    page = (
        login(client, signers["ndrc"]).get(reverse("approvals:project", args=[building.pk])).content.decode()
    )
    assert 'data-testid="acceptance-elsewhere"' in page and "验收第1轮" in page
    assert 'data-testid="approve"' not in page
    page = login(client, expert).get(reverse("approvals:project", args=[building.pk])).content.decode()
    assert 'data-testid="expert-invitation"' in page
    invitation = building.review_rounds.get(stage="acceptance").expert_invitations.get()
    response = client.post(
        reverse("approvals:invitation_submit", args=[invitation.pk]),
        {"recommendation": "agree", "opinion": "同意通过验收。"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.is_submitted
