"""Production refuses to print a verification link nobody can open (GOVINFO_SITE_URL, documents.checks)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from govinfo.documents.checks import check_site_url

ROOT = Path(__file__).resolve().parents[2]


def _ids(**overrides):
    with override_settings(**overrides):
        return [message.id for message in check_site_url()]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.3.4.5",
        "https://localhost",
        "https://LOCALHOST.:8443",
        "http://app.localhost",
        "http://[::1]:8000",
        "http://0.0.0.0:8000",
    ],
)
def test_production_refuses_a_loopback_site_url(url):
    assert _ids(DEBUG=False, SITE_URL=url) == ["documents.E002"]


@pytest.mark.parametrize("url", ["", "govinfo.sc.gov.cn", "ftp://govinfo.sc.gov.cn", "https://"])
def test_production_refuses_an_unset_or_malformed_site_url(url):
    assert _ids(DEBUG=False, SITE_URL=url) == ["documents.E001"]


def test_a_public_https_address_passes_and_plain_http_is_a_warning():
    assert _ids(DEBUG=False, SITE_URL="https://govinfo.sc.gov.cn") == []
    assert _ids(DEBUG=False, SITE_URL="https://10.20.30.40:8443") == []  # an intranet address is fine
    assert _ids(DEBUG=False, SITE_URL="http://govinfo.sc.gov.cn") == ["documents.W001"]


def test_a_development_site_may_use_the_loopback_default():
    assert _ids(DEBUG=True, SITE_URL="http://127.0.0.1:8000") == []


def _production_check(**env_overrides):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govinfo.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 20 + "production-like-secret-key-3f9a7c1e5b",
        "DJANGO_ALLOWED_HOSTS": "govinfo.example.gov.cn",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://govinfo.example.gov.cn",
    }
    # Drop what the test run itself sets (the browser tests relax async safety, tests turn HTTPS off).
    for name in (
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_SECURE_COOKIES",
        "GOVINFO_STATIC_MANIFEST",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    env.pop("GOVINFO_SITE_URL", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_manage_py_check_deploy_fails_while_govinfo_site_url_is_unset():
    result = _production_check()
    assert result.returncode != 0
    assert "documents.E002" in result.stderr and "GOVINFO_SITE_URL" in result.stderr


def test_manage_py_check_deploy_fails_for_a_loopback_site_url_and_passes_for_a_public_one():
    assert "documents.E002" in _production_check(GOVINFO_SITE_URL="http://localhost:8000").stderr
    assert _production_check(GOVINFO_SITE_URL="https://govinfo.example.gov.cn").returncode == 0
