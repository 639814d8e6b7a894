"""What a page costs at 1k, 10k and 100k projects, beside the best hand-written SQL for the same rows.

    DATABASE_URL=postgres://…/govinfo_scale_100k .venv/bin/python bench/scale.py --projects 100000

Grows the configured database (migrated first if empty; give it a scratch database) to N projects with
``bench/scale_data.py``, keeping what is there, then requests each key page of each role through
Django's test client (production settings, ``tests.settings``) and prints one line per page:

    role page median_ms queries best_sql_ms

``median_ms`` is the median wall time of ``--repeat`` requests after one warm-up, ``queries`` the number
of SQL queries one request makes, ``best_sql_ms`` the median time of a hand-written query that fetches the
same page of rows with the same visibility (what the page cannot beat). Two runs compare line by line.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The visibility of a case, by hand: the grants of the user's groups (their ids known), and the personal
# grants only for a user who holds any (pages() puts in the one that applies).
VISIBLE_GROUPS = """p.id IN (
    SELECT g.content_object_id FROM projects_projectgroupobjectpermission g
     WHERE g.permission_id = %(view)s AND g.group_id = ANY(%(groups)s))"""
VISIBLE_PERSONAL = """p.id IN (
    SELECT u.content_object_id FROM projects_projectuserobjectpermission u
     WHERE u.permission_id = %(view)s AND u.user_id = %(uid)s)"""
PROJECT_PAGE = """
    SELECT p.id, p.name, p.code, p.state, p.year, p.updated_at, un.name
      FROM projects_project p JOIN orgs_unit un ON un.id = p.lead_unit_id
     WHERE {where}
     ORDER BY p.updated_at DESC, p.id DESC LIMIT 21
"""
TASK_PAGE = """
    SELECT t.id, t.status, t.due_date, r.number, p.id, p.name, un.name, a.name
      FROM approvals_reviewtask t
      JOIN approvals_reviewround r ON r.id = t.round_id
      JOIN projects_project p ON p.id = r.project_id
      JOIN orgs_unit un ON un.id = p.lead_unit_id
      JOIN orgs_agency a ON a.id = t.agency_id
     WHERE t.agency_id IN (SELECT m.agency_id FROM orgs_membership m WHERE m.user_id = %(uid)s AND m.is_active)
       {status}
     ORDER BY t.due_date, t.id LIMIT {limit}
"""
RESOURCE_PAGE = """
    SELECT r.id, r.code, r.name, un.name,
           (SELECT COUNT(*) FROM catalogue_dataitem i WHERE i.resource_id = r.id)
      FROM catalogue_resource r JOIN orgs_unit un ON un.id = r.provider_id
     WHERE r.state = 'published' {search}
     ORDER BY r.code LIMIT 21
"""
# A page of items in conflict, each with its first ten sources by provider.
CONFLICT_PAGE = """
    SELECT k.normalized_name, k.data_type, k.sources, s.*
      FROM (SELECT * FROM catalogue_conflictkey ORDER BY normalized_name, data_type LIMIT 21) k
     CROSS JOIN LATERAL (
           SELECT i.id, i.name, r.code, r.name, u.name
             FROM catalogue_dataitem i
             JOIN catalogue_resource r ON r.id = i.resource_id
             JOIN orgs_unit u ON u.id = i.published_provider_id
            WHERE i.normalized_name = k.normalized_name AND i.data_type = k.data_type
              AND i.published_provider_id IS NOT NULL
            ORDER BY u.name, i.id LIMIT 10) s
"""
TRAIL_PAGE = """
    SELECT e.id, e.seq, e.created_at, e.action, e.target_repr, e.from_state, e.to_state, u.username
      FROM audit_auditevent e LEFT JOIN accounts_user u ON u.id = e.actor_id
     WHERE {where}
     ORDER BY e.seq DESC LIMIT {limit}
"""


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command
    from django.db import connection

    if "projects_project" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


def users() -> dict:
    """The bench's logins by role (``scale_data.people``), and the clerk's first submitted case
    (the same project page at every size)."""
    from django.contrib.auth import get_user_model

    from projects.models import Project

    found = {u.username: u for u in get_user_model().objects.filter(username__startswith="scale-")}
    who = {role: found[username] for role, username in LOGINS.items()}
    lead = who["clerk"].memberships.filter(unit__isnull=False).first().unit
    who["clerk_project"] = (
        Project.objects.filter(lead_unit=lead, first_submitted_at__isnull=False).order_by("id").first()
    )
    return who


LOGINS = {
    "clerk": "scale-unit-000",
    "ndrc": "scale-ndrc",
    "finance": "scale-finance",
    "bigdata": "scale-bigdata",
    "expert": "scale-expert-00",
    "auditor": "scale-auditor",
    "admin": "scale-admin",
}
_VISIBLE = "(VISIBLE)"
_SUBMITTED = "p.first_submitted_at IS NOT NULL"
# role, page, URL ({pk}: the clerk's latest submitted case), the best SQL for the same rows.
PAGE_URLS = [
    # The home page's heaviest list for the role stands for its best SQL.
    ("clerk", "home", "/", PROJECT_PAGE.format(where=f"{_VISIBLE} AND p.state IN ('draft', 'returned')")),
    ("clerk", "projects", "/projects/", PROJECT_PAGE.format(where=_VISIBLE)),
    ("clerk", "review", "/review/projects/", PROJECT_PAGE.format(where=f"{_VISIBLE} AND {_SUBMITTED}")),
    ("clerk", "detail", "/projects/{pk}/", PROJECT_PAGE.format(where=f"p.id = %(pk)s AND {_VISIBLE}")),
    ("ndrc", "home", "/", PROJECT_PAGE.format(where="p.state = 'submitted'")),
    # NDRC is granted a case on submission: its grants add nothing to the predicate.
    ("ndrc", "projects", "/projects/", PROJECT_PAGE.format(where=_SUBMITTED)),
    ("ndrc", "review", "/review/projects/", PROJECT_PAGE.format(where=_SUBMITTED)),
    ("finance", "home", "/", TASK_PAGE.format(status="AND t.status = 'open'", limit=21)),
    ("finance", "projects", "/projects/", PROJECT_PAGE.format(where=_VISIBLE)),
    ("finance", "review", "/review/projects/", PROJECT_PAGE.format(where=f"{_VISIBLE} AND {_SUBMITTED}")),
    ("finance", "tasks", "/review/tasks/", TASK_PAGE.format(status="AND t.status = 'open'", limit=21)),
    ("expert", "home", "/", PROJECT_PAGE.format(where=_VISIBLE)),
    ("expert", "review", "/review/projects/", PROJECT_PAGE.format(where=f"{_VISIBLE} AND {_SUBMITTED}")),
    (
        "bigdata",
        "home",
        "/",
        RESOURCE_PAGE.format(search="")
        .replace("'published'", "'submitted'")
        .replace("ORDER BY r.code", "ORDER BY r.updated_at, r.id"),
    ),
    ("bigdata", "catalogue", "/catalogue/resources/", RESOURCE_PAGE.format(search="")),
    (
        "bigdata",
        "catalogue_search",
        "/catalogue/resources/?q=%E4%B8%8D%E5%8A%A8%E4%BA%A7%E7%99%BB%E8%AE%B0",  # 不动产登记
        RESOURCE_PAGE.format(
            search="AND (UPPER(r.name) LIKE '%%不动产登记%%' OR UPPER(r.code) LIKE '%%不动产登记%%'"
            " OR UPPER(r.summary) LIKE '%%不动产登记%%')"
        ),
    ),
    ("bigdata", "conflicts", "/catalogue/conflicts/", CONFLICT_PAGE),
    ("auditor", "home", "/", "SELECT 1"),
    ("auditor", "projects", "/projects/", PROJECT_PAGE.format(where="TRUE")),
    ("auditor", "trail", "/audit/trail/", TRAIL_PAGE.format(where="TRUE", limit=51)),
    (
        "auditor",
        "trail_action",
        "/audit/trail/?action=approvals.opinion.signed",
        TRAIL_PAGE.format(where="e.action = 'approvals.opinion.signed'", limit=51),
    ),
    (
        "auditor",
        "export_first_byte",
        "/exports/projects.csv",
        "SELECT p.id, p.code, p.name, p.state, un.name FROM projects_project p "
        "JOIN orgs_unit un ON un.id = p.lead_unit_id ORDER BY p.id LIMIT 500",
    ),
    ("admin", "audit_admin", "/admin/audit/auditevent/", TRAIL_PAGE.format(where="TRUE", limit=101)),
    (
        "admin",
        "audit_search",
        "/admin/audit/auditevent/?q=scale-unit-007",
        TRAIL_PAGE.format(
            where="e.actor_id = (SELECT id FROM accounts_user WHERE username = 'scale-unit-007')", limit=101
        ),
    ),
]


def urls(who: dict) -> list[tuple[str, str, str]]:
    """(role, page, URL) of every measured page."""
    pk = who["clerk_project"].pk if who.get("clerk_project") else 0
    return [(role, page, url.format(pk=pk)) for role, page, url, _sql in PAGE_URLS]


def pages(who: dict) -> list[tuple]:
    """(role, page, URL, best SQL, its parameters) for every measured page."""
    from django.contrib.auth.models import Permission

    from projects.models import ProjectUserObjectPermission

    view = Permission.objects.get(content_type__app_label="projects", codename="view_project").pk
    pk = who["clerk_project"].pk
    found = []
    for (role, page, url), (*_head, sql) in zip(urls(who), PAGE_URLS, strict=True):
        user = who[role]
        parts = [VISIBLE_GROUPS]
        if ProjectUserObjectPermission.objects.filter(user=user).exists():
            parts.append(VISIBLE_PERSONAL)
        sql = sql.replace("(VISIBLE)", "(" + " OR ".join(parts) + ")")
        groups = list(user.groups.values_list("pk", flat=True))
        found.append((role, page, url, sql, {"uid": user.pk, "view": view, "pk": pk, "groups": groups}))
    return found


def _time_request(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    if getattr(response, "streaming", False):
        next(iter(response.streaming_content), b"")
        elapsed = time.perf_counter() - started
        response.close()
    else:
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed * 1000


def measure(who: dict, repeat: int) -> list[tuple]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = []
    clients = {}
    for role, page, url, sql, params in pages(who):
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(who[role])
        client = clients[role]
        _time_request(client, url)  # warm-up: templates compiled, connection open
        with CaptureQueriesContext(connection) as captured:
            _time_request(client, url)
        queries = len(captured)  # now: the next request clears the log
        times, in_sql = [], []
        for _ in range(repeat):
            spent = []
            with connection.execute_wrapper(_timed(spent)):
                times.append(_time_request(client, url))
            in_sql.append((sum(spent), max(spent, default=0.0)))
        best = []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
            for _ in range(repeat):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                best.append((time.perf_counter() - started) * 1000)
        page_sql = statistics.median(total for total, _slowest in in_sql)
        slowest = statistics.median(slowest for _total, slowest in in_sql)
        results.append(
            (role, page, statistics.median(times), queries, statistics.median(best), page_sql, slowest)
        )
    return results


def _timed(spent: list):
    """An execute wrapper that adds each query's wall time (ms) to ``spent``."""

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - started) * 1000)

    return wrapper


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, required=True, help="grow the database to this many projects")
    parser.add_argument("--repeat", type=int, default=7, help="requests per page (median taken)")
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    from bench import scale_data

    if connection.vendor != "postgresql":
        print("note: figures are only meaningful on PostgreSQL (DATABASE_URL)", file=sys.stderr)
    _migrate()
    started = time.perf_counter()
    added = scale_data.grow(args.projects, log=lambda line: print(line, file=sys.stderr))
    print(f"# grew by {added} projects in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    results = measure(users(), args.repeat)
    # On stderr, for reading: the time the page spends in SQL (all its queries, and its slowest one,
    # medians of the same requests) beside the best SQL for its rows — the page's own time also holds
    # the session, the middleware and the template, a floor of some 15 ms that no query removes.
    print("# role page page_sql_ms slowest_query_ms best_sql_ms slowest/best", file=sys.stderr)
    for role, page, _median, _queries, best, page_sql, slowest in results:
        ratio = slowest / best if best else 0.0
        print(f"# {role} {page} {page_sql:.1f} {slowest:.2f} {best:.2f} {ratio:.1f}", file=sys.stderr)
    for role, page, median, queries, best, _page_sql, _slowest in results:
        print(f"{role} {page} {median:.1f} {queries} {best:.1f}")


if __name__ == "__main__":
    main()
