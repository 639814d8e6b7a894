"""Every page and action, and who may not use it (STYLE habit 9)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue import services
from catalogue.models import Feedback, Resource, ShareRequest, ShareType

from .factories import make_resource, resource_data


def url(name, *args):
    return reverse(f"catalogue:{name}", args=args)


def test_anonymous_visitors_are_sent_to_login_everywhere(client, published):
    for target in [
        url("list"),
        url("resource", published.pk),
        url("create"),
        url("mine"),
        url("queue"),
        url("conflicts"),
        url("import"),
        url("export"),
        url("request_create", published.pk),
        url("feedback_create", published.pk),
    ]:
        response = client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], target
    assert client.post(url("publish", published.pk)).status_code == 302


# --- browsing ---


def test_every_logged_in_role_browses_published_resources_only(
    as_user, published, draft, other_applicant, ndrc_reviewer, auditor, expert, bigdata
):
    for user in (other_applicant, ndrc_reviewer, auditor, expert, bigdata):
        page = as_user(user).get(url("list"))
        assert page.status_code == 200
        assert published.name in page.content.decode() and draft.name not in page.content.decode()


def test_search_by_name_provider_item_classification_and_sharing_type(
    as_user, unit, applicant, other_unit, other_applicant, bigdata
):
    a = make_resource(
        unit,
        applicant,
        state="published",
        publisher=bigdata,
        name="学籍信息",
        items=[{"name": "学籍号", "data_type": "string"}],
    )
    b = make_resource(
        other_unit,
        other_applicant,
        state="published",
        publisher=bigdata,
        name="疫苗接种记录",
        share_type=ShareType.UNCONDITIONAL,
        category="2",
        subject="t02",
        code="201001001/0001",
        items=[{"name": "接种日期", "data_type": "date"}],
    )
    client = as_user(other_applicant)

    def names(**params):
        return {r.name for r in client.get(url("list"), params).context["page"].object_list}

    assert names(q="学籍") == {a.name}
    assert names(provider=other_unit.pk) == {b.name}
    assert names(item="接种 日期") == {b.name}
    assert names(category="2") == {b.name}
    assert names(share_type="conditional") == {a.name}
    assert names() == {a.name, b.name}


def test_the_list_paginates(as_user, unit, applicant, bigdata):
    for _ in range(25):
        make_resource(unit, applicant, state="published", publisher=bigdata)
    page = as_user(applicant).get(url("list"), {"page": 2}).context["page"]
    assert page.number == 2 and len(page.object_list) == 5


# --- resource page ---


@pytest.mark.parametrize("who", ["applicant", "bigdata", "auditor"])
def test_draft_page_is_seen_by_provider_bigdata_and_auditor(request, as_user, draft, who):
    response = as_user(request.getfixturevalue(who)).get(url("resource", draft.pk))
    assert response.status_code == 200 and draft.name in response.content.decode()


@pytest.mark.parametrize("who", ["other_applicant", "ndrc_reviewer", "expert"])
def test_draft_page_is_404_for_everyone_else(request, as_user, draft, who):
    assert as_user(request.getfixturevalue(who)).get(url("resource", draft.pk)).status_code == 404


def test_resource_page_lists_items_projects_empty_state_and_requests(
    as_user, published, applicant, other_unit, other_applicant
):
    services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    page = as_user(applicant).get(url("resource", published.pk)).content.decode()
    assert "身份证号码" in page and "暂无项目登记产生或使用该资源" in page and other_unit.name in page


def test_resource_page_hides_other_units_requests_from_a_third_unit(
    as_user, published, other_unit, other_applicant, third_applicant
):
    services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    page = as_user(third_applicant).get(url("resource", published.pk)).content.decode()
    assert other_unit.name not in page


def test_r_cat_2_not_shared_resource_page_says_why_it_cannot_be_requested(
    as_user, unit, applicant, other_applicant, bigdata
):
    resource = make_resource(
        unit,
        applicant,
        state="published",
        publisher=bigdata,
        share_type=ShareType.NONE,
        legal_basis="《个人信息保护法》第十三条",
    )
    client = as_user(other_applicant)
    page = client.get(url("resource", resource.pk)).content.decode()
    assert "R-CAT-2" in page and "《个人信息保护法》第十三条" in page and "申请共享</a>" not in page
    response = client.get(url("request_create", resource.pk), follow=True)
    assert "R-CAT-2" in response.content.decode() and not ShareRequest.objects.exists()


# --- create and edit ---


def _form_payload(**overrides):
    data = resource_data(**overrides)
    payload = {k: v for k, v in data.items()}
    payload.update(
        {
            "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-name": "学生姓名",
            "items-0-data_type": "string",
            "items-0-length": "50",
            "items-1-name": "学籍号",
            "items-1-data_type": "string",
        }
    )
    return payload


def test_applicant_creates_a_draft_with_items(as_user, unit, applicant):
    client = as_user(applicant)
    assert client.get(url("create")).status_code == 200
    response = client.post(
        url("create"), _form_payload(name="学生学籍", code="111112001/0500") | {"provider": unit.pk}
    )
    resource = Resource.objects.get(code="111112001/0500")
    assert response.status_code == 302 and response["Location"] == url("resource", resource.pk)
    assert resource.provider == unit and resource.state == Resource.State.DRAFT
    assert list(resource.items.values_list("name", flat=True)) == ["学生姓名", "学籍号"]


def test_bad_code_is_shown_next_to_the_field_and_the_input_is_kept(as_user, unit, applicant):
    response = as_user(applicant).post(
        url("create"), _form_payload(name="学生学籍", code="12-34") | {"provider": unit.pk}
    )
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "格式不正确" in page
        and 'value="学生学籍"' in page
        and "学籍号" in page
    )
    assert not Resource.objects.exists()


def test_duplicate_item_names_in_one_resource_are_refused(as_user, unit, applicant):
    payload = _form_payload() | {"provider": unit.pk, "items-1-name": "学生 姓名"}
    response = as_user(applicant).post(url("create"), payload)
    assert "信息项名称不能重复" in response.content.decode() and not Resource.objects.exists()


@pytest.mark.parametrize("who", ["ndrc_reviewer", "auditor", "expert", "bigdata"])
def test_non_applicants_cannot_create(request, as_user, who):
    assert as_user(request.getfixturevalue(who)).get(url("create")).status_code == 404


def test_provider_edits_a_draft(as_user, draft, applicant):
    client = as_user(applicant)
    assert client.get(url("edit", draft.pk)).status_code == 200
    items = list(draft.items.all())
    payload = {k: getattr(draft, k) for k in services.RESOURCE_FIELDS} | {
        "name": "改后的名称",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": items[0].pk,
        "items-0-resource": draft.pk,
        "items-0-name": "姓名",
        "items-0-data_type": "string",
        "items-1-id": items[1].pk,
        "items-1-resource": draft.pk,
        "items-1-name": "身份证号码",
        "items-1-data_type": "string",
        "items-1-DELETE": "on",
    }
    assert client.post(url("edit", draft.pk), payload).status_code == 302
    draft = Resource.objects.get(pk=draft.pk)
    assert draft.name == "改后的名称" and list(draft.items.values_list("name", flat=True)) == ["姓名"]


@pytest.mark.parametrize("who", ["other_applicant", "ndrc_reviewer", "auditor", "expert", "bigdata"])
def test_others_cannot_edit(request, as_user, draft, who):
    client = as_user(request.getfixturevalue(who))
    assert client.get(url("edit", draft.pk)).status_code == 404
    # The auditor's post is refused before any page looks at it (403, recorded: govinfo.refusals).
    refused = 403 if who == "auditor" else 404
    assert client.post(url("edit", draft.pk), {"name": "x"}).status_code == refused


# --- submit, publish, return, retire ---


def test_provider_submits_and_bigdata_publishes(as_user, draft, applicant, bigdata):
    assert as_user(applicant).post(url("submit", draft.pk)).status_code == 302
    assert Resource.objects.get(pk=draft.pk).state == Resource.State.SUBMITTED
    queue = as_user(bigdata).get(url("queue"))
    assert draft.name in queue.content.decode()
    as_user(bigdata).post(url("publish", draft.pk))
    assert Resource.objects.get(pk=draft.pk).state == Resource.State.PUBLISHED


@pytest.mark.parametrize("who", ["other_applicant", "ndrc_reviewer", "auditor", "expert", "bigdata"])
def test_others_cannot_submit(request, as_user, draft, who):
    as_user(request.getfixturevalue(who)).post(url("submit", draft.pk))
    assert Resource.objects.get(pk=draft.pk).state == Resource.State.DRAFT


@pytest.mark.parametrize("who", ["applicant", "other_applicant", "ndrc_reviewer", "auditor", "expert"])
def test_only_bigdata_publishes_or_returns(request, as_user, unit, applicant, who):
    resource = make_resource(unit, applicant, state="submitted")
    client = as_user(request.getfixturevalue(who))
    client.post(url("publish", resource.pk))
    client.post(url("return", resource.pk), {"text": "退回"})
    assert Resource.objects.get(pk=resource.pk).state == Resource.State.SUBMITTED


def test_refused_publication_tells_the_provider_why(as_user, unit, applicant):
    resource = make_resource(unit, applicant, state="submitted")
    response = as_user(applicant).post(url("publish", resource.pk), follow=True)
    assert "省大数据中心" in response.content.decode()


def test_bigdata_returns_with_a_reason(as_user, unit, applicant, bigdata):
    resource = make_resource(unit, applicant, state="submitted")
    as_user(bigdata).post(url("return", resource.pk), {"text": "共享范围不明确"})
    resource = Resource.objects.get(pk=resource.pk)
    assert resource.state == Resource.State.DRAFT and resource.return_reason == "共享范围不明确"
    assert "共享范围不明确" in as_user(applicant).get(url("resource", resource.pk)).content.decode()


@pytest.mark.parametrize("who", ["other_applicant", "ndrc_reviewer", "auditor", "expert"])
def test_others_cannot_retire(request, as_user, published, who):
    as_user(request.getfixturevalue(who)).post(url("retire", published.pk), {"text": "x"})
    assert Resource.objects.get(pk=published.pk).state == Resource.State.PUBLISHED


def test_provider_retires_with_a_reason(as_user, published, applicant):
    as_user(applicant).post(url("retire", published.pk), {"text": "已整合"})
    assert Resource.objects.get(pk=published.pk).state == Resource.State.RETIRED


# --- share requests ---


def test_r_cat_3_request_and_answer_through_the_pages(
    as_user, published, applicant, other_unit, other_applicant
):
    client = as_user(other_applicant)
    assert client.get(url("request_create", published.pk)).status_code == 200
    response = client.post(
        url("request_create", published.pk), {"unit": other_unit.pk, "purpose": "核验学籍"}
    )
    req = ShareRequest.objects.get()
    assert response["Location"] == url("request", req.pk) and req.state == ShareRequest.State.PENDING
    provider = as_user(applicant)
    refused = provider.post(url("request", req.pk), {"decision": "refuse", "text": ""})
    assert "R-CAT-3" in refused.content.decode()
    provider.post(url("request", req.pk), {"decision": "approve", "text": "同意"})
    assert ShareRequest.objects.get().state == ShareRequest.State.APPROVED
    page = as_user(other_applicant).get(url("request", req.pk)).content.decode()
    assert "已同意共享" in page and "已获授权使用该资源" in page


def test_a_late_second_answer_gets_a_clear_conflict(
    as_user, published, unit, applicant, other_unit, other_applicant
):
    from tests.factories import member

    colleague = member("applicant", unit=unit, username="clerk-a2")
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    services.answer_share_request(req, by=colleague, approve=False, text="不符合共享条件")
    # The page was opened before the colleague answered; the form is gone now, so the POST is refused.
    response = as_user(applicant).post(url("request", req.pk), {"decision": "approve", "text": "同意"})
    assert response.status_code == 404
    assert ShareRequest.objects.get().state == ShareRequest.State.REFUSED


@pytest.mark.parametrize("who", ["ndrc_reviewer", "auditor", "expert", "bigdata", "applicant"])
def test_only_other_units_clerks_request(request, as_user, published, who):
    response = as_user(request.getfixturevalue(who)).post(
        url("request_create", published.pk), {"purpose": "x"}
    )
    assert response.status_code == (403 if who == "auditor" else 302) and not ShareRequest.objects.exists()


@pytest.mark.parametrize(
    "who,status",
    [
        ("applicant", 200),
        ("other_applicant", 200),
        ("bigdata", 200),
        ("auditor", 200),
        ("third_applicant", 404),
        ("ndrc_reviewer", 404),
        ("expert", 404),
    ],
)
def test_request_page_is_seen_by_both_units_bigdata_and_auditor_only(
    request, as_user, published, other_unit, other_applicant, who, status
):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    assert as_user(request.getfixturevalue(who)).get(url("request", req.pk)).status_code == status


@pytest.mark.parametrize(
    "who", ["other_applicant", "bigdata", "auditor", "third_applicant", "ndrc_reviewer", "expert"]
)
def test_only_the_provider_answers_a_request(request, as_user, published, other_unit, other_applicant, who):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    response = as_user(request.getfixturevalue(who)).post(url("request", req.pk), {"decision": "approve"})
    assert response.status_code == (403 if who == "auditor" else 404)
    assert ShareRequest.objects.get().state == ShareRequest.State.PENDING


def test_unconditional_request_is_granted_on_the_page(
    as_user, unit, applicant, other_unit, other_applicant, bigdata
):
    resource = make_resource(
        unit, applicant, state="published", publisher=bigdata, share_type=ShareType.UNCONDITIONAL
    )
    response = as_user(other_applicant).post(
        url("request_create", resource.pk), {"unit": other_unit.pk, "purpose": "统计"}, follow=True
    )
    assert "无条件共享·已登记" in response.content.decode()


# --- feedback ---


@pytest.fixture
def granted_request(published, applicant, other_unit, other_applicant):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    return services.answer_share_request(req, by=applicant, approve=True)


def test_r_cat_4_user_reports_and_provider_answers_on_the_pages(
    as_user, granted_request, published, applicant, other_unit, other_applicant, bigdata
):
    client = as_user(other_applicant)
    assert client.get(url("feedback_create", published.pk)).status_code == 200
    client.post(
        url("feedback_create", published.pk), {"unit": other_unit.pk, "kind": "objection", "text": "号码错误"}
    )
    feedback = Feedback.objects.get()
    assert feedback.text in as_user(bigdata).get(url("queue")).content.decode()
    as_user(applicant).post(url("feedback", feedback.pk), {"text": "已核实更正"})
    assert Feedback.objects.get().state == Feedback.State.ANSWERED


def test_r_cat_4_a_non_user_is_told_why(as_user, published, third_applicant):
    response = as_user(third_applicant).get(url("feedback_create", published.pk), follow=True)
    assert "R-CAT-4" in response.content.decode()


@pytest.mark.parametrize(
    "who,status",
    [
        ("applicant", 200),
        ("other_applicant", 200),
        ("bigdata", 200),
        ("auditor", 200),
        ("third_applicant", 404),
        ("ndrc_reviewer", 404),
        ("expert", 404),
    ],
)
def test_feedback_page_visibility(
    request, as_user, granted_request, published, other_unit, other_applicant, who, status
):
    feedback = services.report_feedback(
        published, unit=other_unit, by=other_applicant, kind="error", text="错"
    )
    assert as_user(request.getfixturevalue(who)).get(url("feedback", feedback.pk)).status_code == status


@pytest.mark.parametrize("who", ["other_applicant", "bigdata", "auditor", "ndrc_reviewer", "expert"])
def test_only_the_provider_answers_feedback(
    request, as_user, granted_request, published, other_unit, other_applicant, who
):
    feedback = services.report_feedback(
        published, unit=other_unit, by=other_applicant, kind="error", text="错"
    )
    response = as_user(request.getfixturevalue(who)).post(url("feedback", feedback.pk), {"text": "答复"})
    assert response.status_code == (403 if who == "auditor" else 404) and Feedback.objects.get().is_open


# --- desks ---


def test_mine_lists_own_resources_and_requests(
    as_user, draft, published, applicant, other_unit, other_applicant
):
    services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    page = as_user(applicant).get(url("mine")).content.decode()
    assert draft.name in page and published.name in page and other_unit.name in page
    assert draft.name not in as_user(other_applicant).get(url("mine")).content.decode()


@pytest.mark.parametrize("who", ["ndrc_reviewer", "auditor", "expert", "bigdata"])
def test_mine_is_for_applicants(request, as_user, who):
    assert as_user(request.getfixturevalue(who)).get(url("mine")).status_code == 404


@pytest.mark.parametrize("who", ["applicant", "ndrc_reviewer", "auditor", "expert"])
def test_queue_is_for_bigdata(request, as_user, who):
    assert as_user(request.getfixturevalue(who)).get(url("queue")).status_code == 404


def test_conflicts_page_shows_both_sources(
    as_user, unit, applicant, other_unit, other_applicant, bigdata, expert
):
    make_resource(
        unit,
        applicant,
        state="published",
        publisher=bigdata,
        name="学生信息",
        items=[{"name": "身份证号码", "data_type": "string"}],
    )
    make_resource(
        other_unit,
        other_applicant,
        state="published",
        publisher=bigdata,
        name="就诊信息",
        items=[{"name": "身份证号码", "data_type": "string"}],
    )
    page = as_user(expert).get(url("conflicts")).content.decode()
    assert "学生信息" in page and "就诊信息" in page and unit.name in page and other_unit.name in page


# --- home: nav and to-do ---


def test_nav_entries_follow_roles(as_user, applicant, bigdata, expert):
    def labels(user):
        return [item["label"] for item in as_user(user).get("/").context["nav_items"]]

    assert {"信息资源目录", "我的目录"} <= set(map(str, labels(applicant)))
    assert "目录发布" not in map(str, labels(applicant))
    assert "目录发布" in map(str, labels(bigdata))
    assert set(map(str, labels(expert))) & {"我的目录", "目录发布"} == set()


def test_r_cat_3_provider_todo_flags_overdue_requests(
    as_user, published, applicant, other_unit, other_applicant
):
    req = services.request_share(published, unit=other_unit, by=other_applicant, purpose="核验")
    ShareRequest.objects.filter(pk=req.pk).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    items = as_user(applicant).get("/").context["items"]
    (item,) = [i for i in items if i.category == "共享申请"]
    assert item.overdue and item.url == url("request", req.pk) and "R-CAT-3" in item.detail
    assert not [i for i in as_user(other_applicant).get("/").context["items"] if i.category == "共享申请"]


def test_bigdata_todo_has_resources_to_publish_and_open_objections(
    as_user, unit, applicant, granted_request, published, other_unit, other_applicant, bigdata
):
    waiting = make_resource(unit, applicant, state="submitted")
    services.report_feedback(published, unit=other_unit, by=other_applicant, kind="objection", text="错")
    titles = [i.title for i in as_user(bigdata).get("/").context["items"]]
    assert any(waiting.name in t for t in titles) and any("数据异议" in t for t in titles)
