"""The auditor's pages: only the auditor reaches them (every other role gets 404, recorded), they carry no
action, the auditor can act on nothing anywhere (every posted action refused with 403 and recorded), the
dashboard costs the same number of queries at 5 and at 50 projects, the trail pages by keyset."""

from __future__ import annotations

import csv
import io
import re
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from approvals import services as review_services
from govinfo.audit.exports import case_key
from govinfo.audit.models import AuditEvent
from govinfo.orgs.models import Role
from projects import services as project_services
from projects.models import FundChannel
from tests.approvals.review_factories import sign
from tests.factories import PASSWORD
from tests.projects.factories import complete, draft

pytestmark = pytest.mark.django_db

PAGES = [
    ("auditor:hub", []),
    ("auditor:register", ["projects"]),
    ("auditor:register", ["opinions"]),
    ("auditor:register", ["documents"]),
    ("auditor:register", ["catalogue-resources"]),
    ("auditor:register", ["share-requests"]),
    ("auditor:dashboard", []),
    ("auditor:dashboard_csv", ["stages"]),
    ("auditor:trail", []),
]
POST_FORM = re.compile(r'<form[^>]*method="post"[^>]*>', re.I)


def _posted_to(html: str) -> set[str]:
    """Where each POST form of a page posts ("" for a form that posts to the page itself)."""
    found = set()
    for tag in POST_FORM.findall(html):
        action = re.search(r'action="([^"]*)"', tag)
        found.add(action.group(1) if action else "")
    return found


@pytest.fixture
def people(applicant, ndrc_signer, auditor, expert, admin_user, reviewer_factory):
    return {
        "applicant": applicant,
        "ndrc": ndrc_signer,
        "finance": reviewer_factory("finance", Role.SIGNER),
        "bigdata": reviewer_factory("bigdata"),
        "expert": expert,
        "admin": admin_user,
        "auditor": auditor,
    }


@pytest.fixture
def reviewed(unit, applicant, ndrc_signer, people):
    project = project_services.submit(complete(unit, applicant), by=applicant)
    review_services.accept_into_review(project, by=ndrc_signer)
    project.refresh_from_db()
    sign(project, "finance", people["finance"])
    return project


@pytest.mark.parametrize("who", ["applicant", "ndrc", "finance", "bigdata", "expert", "admin"])
def test_no_other_role_reaches_the_auditors_pages(client, people, who):
    client.force_login(people[who])
    for name, args in PAGES:
        before = AuditEvent.objects.count()
        response = client.get(reverse(name, args=args))
        assert response.status_code == 404, (who, name, args)
        refusal = AuditEvent.objects.order_by("-seq").first()
        assert AuditEvent.objects.count() == before + 1
        assert (refusal.action, refusal.actor, refusal.details["status"]) == (
            "govinfo.access.refused",
            people[who],
            404,
        )
    assert client.post(reverse("auditor:verify")).status_code in (403, 404)


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name, args in PAGES:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_auditor_reads_every_page_and_finds_no_action(client, reviewed, auditor):
    client.force_login(auditor)
    allowed = {reverse("auditor:verify"), reverse("logout"), reverse("set_language")}
    for name, args in PAGES:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, (name, args)
        if not name.endswith("_csv"):
            actions = _posted_to(response.content.decode())
            assert actions <= allowed, (name, actions - allowed)
    home = client.get("/").content.decode()
    assert reverse("auditor:hub") in home  # the nav leads there


def test_the_catalogue_pages_show_the_auditor_no_action(
    client, unit, applicant, other_unit, other_applicant, auditor
):
    from catalogue import services as catalogue_services
    from tests.catalogue.factories import bigdata_member, make_resource

    bigdata = bigdata_member("bigdata-9")
    resources = [
        make_resource(unit, applicant),
        make_resource(unit, applicant, state="submitted"),
        make_resource(unit, applicant, state="published", publisher=bigdata),
    ]
    request = catalogue_services.request_share(
        resources[2], unit=other_unit, by=other_applicant, purpose="核验"
    )
    catalogue_services.answer_share_request(request, by=applicant, approve=True, text="同意")
    feedback = catalogue_services.report_feedback(
        resources[2], unit=other_unit, by=other_applicant, kind="error", text="错"
    )
    pages = [reverse("catalogue:resource", args=[r.pk]) for r in resources] + [
        reverse("catalogue:request", args=[request.pk]),
        reverse("catalogue:feedback", args=[feedback.pk]),
        reverse("catalogue:list"),
        reverse("catalogue:conflicts"),
    ]
    client.force_login(auditor)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        actions = _posted_to(response.content.decode()) - {
            reverse("logout"),
            reverse("set_language"),
        }
        assert not actions, (url, actions)
    for resource in resources:
        assert (
            reverse("catalogue:edit", args=[resource.pk])
            not in client.get(reverse("catalogue:resource", args=[resource.pk])).content.decode()
        )


def _posted_urls() -> list[str]:
    """Every URL of the site with sample values, for the auditor to post to."""
    samples = {"int": "1", "slug": "projects", "str": "x", "uuid": str(uuid.uuid4()), "path": "x"}
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if str(entry.pattern).startswith("admin/"):
                    continue
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                for converter in re.findall(r"<(?:(\w+):)?\w+>", route):
                    route = re.sub(r"<(?:\w+:)?\w+>", samples[converter or "str"], route, count=1)
                found.append((entry.name, "/" + route.lstrip("^").rstrip("$")))

    walk(get_resolver().url_patterns)
    return found


NOT_ACTIONS = {"logout", "login", "set_language", "verify", "start"}


def test_every_action_the_auditor_posts_is_refused_and_recorded(client, reviewed, auditor):
    client.force_login(auditor)
    posted = [(name, url) for name, url in _posted_urls() if name not in NOT_ACTIONS]
    assert len(posted) > 30
    for name, url in posted:
        before = AuditEvent.objects.count()
        response = client.post(url, {"reason": "审计尝试办理", "text": "x", "state": "draft"})
        assert response.status_code == 403, (name, url, response.status_code)
        assert "审计和系统管理人员可以查阅全部案件，但不能办理业务" in response.content.decode()
        event = AuditEvent.objects.order_by("-seq").first()
        assert AuditEvent.objects.count() == before + 1
        assert (event.action, event.actor, event.details["path"]) == ("govinfo.action.refused", auditor, url)


def test_the_project_page_opens_its_whole_trail_for_the_auditor(client, reviewed, auditor, applicant):
    client.force_login(auditor)
    page = client.get(reverse("projects:detail", args=[reviewed.pk])).content.decode()
    link = f"{reverse('auditor:trail')}?case={case_key(reviewed)}"
    assert link in page
    trail = client.get(link).content.decode()
    for action in ("提交申报", "受理", "签署审核意见", "签发公文"):
        assert action in trail, action
    client.force_login(applicant)
    assert link not in client.get(reverse("projects:detail", args=[reviewed.pk])).content.decode()


def test_every_event_of_a_case_carries_it(reviewed):
    events = AuditEvent.objects.filter(case_id=str(reviewed.pk), case_type__model="project")
    actions = set(events.values_list("action", flat=True))
    # the opinion's document and the round's events belong to the project too
    assert {"projects.project.submitted", "approvals.opinion.signed", "documents.document.issued"} <= actions


def test_the_trail_pages_by_keyset_and_filters(client, reviewed, auditor, applicant):
    client.force_login(auditor)
    total = AuditEvent.objects.count()
    seen, url = [], reverse("auditor:trail")
    while url:
        page = client.get(url).content.decode()
        seen += [int(n) for n in re.findall(r'<td class="num"><span title="[0-9a-f]{64}">(\d+)</span>', page)]
        older = re.search(r'data-testid="trail-older" href="([^"]+)"', page)
        url = reverse("auditor:trail") + older.group(1).replace("&amp;", "&") if older else None
    assert seen == sorted(seen, reverse=True) and len(seen) >= total
    filtered = client.get(
        reverse("auditor:trail"), {"actor": applicant.username, "action": "projects.project.submitted"}
    )
    rows = re.findall(r'<td class="num"><span title="[0-9a-f]{64}">(\d+)</span>', filtered.content.decode())
    assert len(rows) == 1


def _fill(unit, applicant, n: int) -> None:
    for i in range(n):
        draft(
            unit,
            applicant,
            name=f"统计项目{i}",
            year=2024 + i % 3,
            total_investment=Decimal(1_000_000 + i),
            fund_channels=[FundChannel.PROVINCIAL_FISCAL, FundChannel.CENTRAL_SPECIAL][: 1 + i % 2],
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_dashboard_costs_the_same_at_5_and_50_projects(client, reviewed, unit, applicant, auditor):
    client.force_login(auditor)
    url = reverse("auditor:dashboard")
    _fill(unit, applicant, 5)
    at_5 = _queries(client, url)
    _fill(unit, applicant, 45)
    at_50 = _queries(client, url)
    assert at_5 == at_50, (at_5, at_50)
    register = reverse("auditor:register", args=["projects"])
    assert _queries(client, register) < 30


def test_the_dashboard_draws_from_json_blocks_and_each_chart_downloads(
    client, reviewed, unit, applicant, auditor
):
    _fill(unit, applicant, 4)
    client.force_login(auditor)
    page = client.get(reverse("auditor:dashboard")).content.decode()
    assert "vendor/echarts/echarts.min.js" in page and "js/dashboard.js" in page
    assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", page)  # no inline script
    for identifier in ("stages", "overdue", "units", "years", "channels", "durations"):
        assert f'id="chart-data-{identifier}" type="application/json"' in page
        body = b"".join(client.get(reverse("auditor:dashboard_csv", args=[identifier])).streaming_content)
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows[0] and len(rows) >= 2, identifier
    stages = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(reverse("auditor:dashboard_csv", args=["stages"])).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert stages[0] == ["状态", "项目数", "总投资（万元）"]
    assert ["草稿", "4", "400.00"] in stages
    durations = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(reverse("auditor:dashboard_csv", args=["durations"])).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert durations[0][0] == "审核机构" and durations[1][1] == "1"  # the one signed finance task


def test_the_hub_shows_the_chain_whole_then_broken(client, reviewed, auditor):
    client.force_login(auditor)
    assert 'data-testid="chain-ok"' in client.get(reverse("auditor:hub")).content.decode()
    response = client.post(reverse("auditor:verify"), follow=True)
    assert "审计链完整" in response.content.decode()
    assert AuditEvent.objects.order_by("-seq").first().action == "govinfo.audit.verified"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 3")
    page = client.get(reverse("auditor:hub")).content.decode()
    assert 'data-testid="chain-broken"' in page and "第 3 条记录缺失" in page


def test_login_with_the_form_reaches_the_hub(client, auditor):
    client.post(reverse("login"), {"username": auditor.username, "password": PASSWORD})
    assert client.get(reverse("auditor:hub")).status_code == 200
