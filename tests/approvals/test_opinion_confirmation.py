"""Signing an opinion previews its 审核意见书 (样稿, no number) and confirms the version previewed (R-REV-2,
R-REV-6): a draft rewritten since is not signed. Opinion texts are capped, so the letter stays a letter."""

import pytest
from django.urls import reverse

from approvals import letters, services
from approvals.models import Conclusion, Opinion
from govinfo.documents.models import DocumentCounter, IssuedDocument
from govinfo.orgs.models import Role
from tests.factories import member

from .review_factories import draft, task_of


@pytest.fixture
def finance_clerk(db):
    return member(Role.REVIEWER, agency_code="finance", username="finance-clerk")


@pytest.fixture
def drafted(reviewing, finance_clerk):
    return draft(reviewing, "finance", finance_clerk, text="资金来源基本明确。")


def test_the_task_page_offers_a_preview_and_a_confirmation_not_a_direct_signature(client, drafted, signers):
    client.force_login(signers["finance"])
    body = client.get(reverse("approvals:task", args=[drafted.task_id])).content.decode()
    assert reverse("approvals:opinion_preview", args=[drafted.pk]) in body
    assert f'href="{reverse("approvals:opinion_sign", args=[drafted.pk])}"' in body
    assert 'method="post" action="' + reverse("approvals:opinion_sign", args=[drafted.pk]) not in body


def test_the_confirmation_shows_what_will_be_signed_and_numbered(client, drafted, signers):
    counters = list(DocumentCounter.objects.values_list("agency_id", "last_number"))
    client.force_login(signers["finance"])
    body = client.get(reverse("approvals:opinion_sign", args=[drafted.pk])).content.decode()
    assert "关于《四川省测试业务系统实施方案》的项目资金审核意见" in body
    assert "川财审〔" in body and "签署时按顺序取号" in body
    assert "资金来源基本明确。" in body
    assert f'name="version" value="{drafted.version}"' in body and 'data-testid="confirm-sign"' in body
    assert list(DocumentCounter.objects.values_list("agency_id", "last_number")) == counters


def test_signing_the_confirmed_version_issues_the_letter(client, drafted, signers):
    client.force_login(signers["finance"])
    response = client.post(reverse("approvals:opinion_sign", args=[drafted.pk]), {"version": drafted.version})
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.is_signed and drafted.document.doc_number.startswith("川财审〔")


def test_a_draft_rewritten_after_the_preview_is_not_signed(
    client, drafted, signers, finance_clerk, reviewing
):
    seen = drafted.version
    rewritten = draft(reviewing, "finance", finance_clerk, text="资金来源不明确，建议退回。")
    assert rewritten.pk == drafted.pk and rewritten.version == seen + 1
    client.force_login(signers["finance"])
    response = client.post(
        reverse("approvals:opinion_sign", args=[drafted.pk]), {"version": seen}, follow=True
    )
    assert "预览后已被修改" in response.content.decode()
    drafted.refresh_from_db()
    assert not drafted.is_signed and not IssuedDocument.objects.filter(kind="opinion").exists()


def test_a_signature_posted_without_a_confirmation_is_refused(client, drafted, signers):
    client.force_login(signers["finance"])
    response = client.post(reverse("approvals:opinion_sign", args=[drafted.pk]))
    assert response.status_code == 400 and "确认页面" in response.content.decode()
    drafted.refresh_from_db()
    assert not drafted.is_signed


def test_the_preview_takes_no_number_and_is_not_stored(client, drafted, signers):
    counters = list(DocumentCounter.objects.values_list("agency_id", "last_number"))
    client.force_login(signers["finance"])
    response = client.get(reverse("approvals:opinion_preview", args=[drafted.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    assert list(DocumentCounter.objects.values_list("agency_id", "last_number")) == counters
    assert not IssuedDocument.objects.exists()


def test_a_signed_opinions_preview_is_its_issued_document(client, reviewing, signers):
    from .review_factories import sign

    opinion = sign(reviewing, "finance", signers["finance"])
    client.force_login(signers["finance"])
    response = client.get(reverse("approvals:opinion_preview", args=[opinion.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:download", args=[opinion.document_id])


# -- who may --------------------------------------------------------------------------------------

PAGE = {
    "finance": 200,
    "finance_clerk": 200,
    "auditor": 200,
    "cyberspace": 404,
    "ndrc": 404,
    "applicant": 404,
    "anonymous": "login",
}


@pytest.fixture
def people(signers, finance_clerk, auditor, applicant):
    return {
        "finance": signers["finance"],
        "finance_clerk": finance_clerk,
        "auditor": auditor,
        "cyberspace": signers["cyberspace"],
        "ndrc": signers["ndrc"],
        "applicant": applicant,
        "anonymous": None,
    }


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _expect(response, outcome):
    if outcome == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == outcome


@pytest.mark.parametrize("who", list(PAGE))
def test_the_confirmation_page_by_role(client, drafted, people, who):
    response = _get(client, people[who], reverse("approvals:opinion_sign", args=[drafted.pk]))
    _expect(response, PAGE[who])
    if PAGE[who] == 200:
        body = response.content.decode()
        assert ('data-testid="confirm-sign"' in body) == (who == "finance")
        assert ('data-testid="sign-refused"' in body) == (who != "finance")


@pytest.mark.parametrize("who", list(PAGE))
def test_the_preview_by_role(client, drafted, people, who):
    _expect(_get(client, people[who], reverse("approvals:opinion_preview", args=[drafted.pk])), PAGE[who])


SIGN = {**PAGE, "finance": 302, "finance_clerk": 403, "auditor": 403}


@pytest.mark.parametrize("who", list(SIGN))
def test_the_confirmed_signature_by_role(client, drafted, people, who):
    if people[who] is not None:
        client.force_login(people[who])
    response = client.post(reverse("approvals:opinion_sign", args=[drafted.pk]), {"version": drafted.version})
    _expect(response, SIGN[who])
    assert Opinion.objects.get(pk=drafted.pk).is_signed == (who == "finance")


# -- opinion texts are capped ---------------------------------------------------------------------


def test_an_opinion_longer_than_the_limit_is_refused_with_the_reason(client, reviewing, signers):
    task = task_of(reviewing, "finance")
    client.force_login(signers["finance"])
    response = client.post(
        reverse("approvals:task_draft", args=[task.pk]),
        {"conclusion": "agree", "text": "长" * (letters.OPINION_TEXT_LIMIT + 1), "conditions": ""},
    )
    assert response.status_code == 400
    assert f"不超过{letters.OPINION_TEXT_LIMIT}字" in response.content.decode()
    with pytest.raises(services.ActionRefused):
        services.save_draft(
            task,
            by=signers["finance"],
            conclusion=Conclusion.AGREE_WITH_CHANGES,
            text="同意。",
            conditions="条" * (letters.OPINION_CONDITIONS_LIMIT + 1),
        )
    assert not task.opinions.exists()
