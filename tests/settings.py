"""Test settings: production settings (DEBUG off) with what a plain-HTTP test server needs."""

import os
import sys
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("GOVINFO_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="govinfo-test-static-"))
os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="govinfo-test-media-"))
# Each pytest-xdist worker stores files in a folder of its own: a test that counts the stored files must not see
# another worker's. The variable is inherited by xdist workers, so set it again once per worker (and keep it for
# the subprocesses a test starts, which inherit both variables).
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("GOVINFO_TEST_MEDIA_WORKER") != _worker:
    os.environ["GOVINFO_TEST_MEDIA_WORKER"] = _worker
    os.environ["DJANGO_MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"govinfo-test-media-{_worker}-")
# Production refuses a loopback verification link (govinfo.documents.checks); tests print this one.
os.environ.setdefault("GOVINFO_SITE_URL", "https://govinfo.example.gov.cn")
# Tests load the demo under production settings: its known passwords are wanted here (a test site).
os.environ.setdefault("GOVINFO_ALLOW_DEMO_PASSWORDS", "1")

from govinfo.settings import *  # noqa: E402,F403

# Hashing passwords slowly protects real accounts; tests create hundreds of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "loggers": QUIET_LOGGERS}  # noqa: F405
# Background tasks run at once in the test process (tests/exports runs the database worker too).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
# Serve static files straight from static/ as runserver does, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's default shared-cache in-memory test database: shared cache ignores the busy
    # timeout, so tests with concurrent writers (R-REV-6) fail with "database table is locked" instead
    # of waiting their turn as they do on a real SQLite file. One directory per process (xdist-safe).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="govinfo-test-db-"), "test.sqlite3")
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and "pytest" in sys.modules:  # noqa: F405
    # The test databases are thrown away: a commit need not wait for the disk (migrations, the races' and
    # the browser journeys' commits). The bench, which also reads these settings, keeps the default.
    DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    options = DATABASES["default"]["OPTIONS"].get("options", "")  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] = f"{options} -c synchronous_commit=off".strip()  # noqa: F405
