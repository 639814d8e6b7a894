"""Things an intranet deployment depends on: no external URLs, clean deploy check, repeatable demo data."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from govinfo.demo.users import DEMO_PASSWORD, DEMO_PEOPLE
from govinfo.orgs.models import Membership, Unit

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", re.I)


def test_no_template_or_stylesheet_loads_anything_from_outside():
    offenders = []
    for folder in ("templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".css", ".js"} and EXTERNAL.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_deploy_check_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govinfo.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 20 + "production-like-secret-key-3f9a7c1e5b",
        "DJANGO_ALLOWED_HOSTS": "govinfo.example.gov.cn",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://govinfo.example.gov.cn",
        "GOVINFO_SITE_URL": "https://govinfo.example.gov.cn",
    }
    # Drop what the test run itself sets (the browser tests relax async safety, tests turn HTTPS off).
    for name in (
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_SECURE_COOKIES",
        "GOVINFO_STATIC_MANIFEST",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govinfo.settings", "DJANGO_DEBUG": "0"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates_and_every_login_works(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    counts = (get_user_model().objects.count(), Unit.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (get_user_model().objects.count(), Unit.objects.count(), Membership.objects.count()) == counts
    assert DEMO_PASSWORD in out.getvalue()
    for username, *_ in DEMO_PEOPLE:
        assert username in out.getvalue()
        assert client.login(username=username, password=DEMO_PASSWORD), username


@pytest.mark.django_db
def test_a_sqlite_site_waits_for_a_writer_and_reads_while_one_writes():
    """Issue 12 item 4: a laptop site never answers "database is locked" to a login behind a long write."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout")
        (busy_ms,) = cursor.fetchone()
    assert mode.lower() == "wal"
    assert busy_ms >= 10_000


def test_the_readmes_deployment_section_covers_lockout_the_csp_and_backup_and_restore():
    """Issue 12: an operator finds how to unlock, what the CSP allows, and how to back up and restore."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Deployment and security")
    section = readme[start : readme.index("\n## ", start + 1)]
    for needed in (
        "Login lockout",
        "解除所选用户的登录锁定",
        "Content-Security-Policy",
        "manage.py backup",
        "manage.py restore",
        "check --deploy",
    ):
        assert needed in section, needed
