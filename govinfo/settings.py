"""Settings for govinfo, all deployment values read from the environment.

Defaults run a development site on SQLite under var/ with no other set-up; production sets
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL at least.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GOVINFO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public address printed (and QR-coded) on issued documents as their verification link. The default suits
# a development site only: with DEBUG off, govinfo.documents.checks refuses it (and any loopback host).
SITE_URL = os.environ.get("GOVINFO_SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
# R-REV-1: working days each agency has for its review opinion (and an invited expert for an evaluation).
REVIEW_DUE_WORKING_DAYS = int(os.environ.get("GOVINFO_REVIEW_DUE_WORKING_DAYS", "5"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "csp",
    "govinfo.accounts",
    "govinfo.orgs",
    "govinfo.audit",
    "govinfo.workdays",
    "govinfo.home",
    "govinfo.documents",
    "govinfo.notices",
    "govinfo.demo",
    "govinfo.backup",
    "govinfo.exports",
    "django_tasks",
    "django_tasks_db",
    "catalogue",
    "projects",
    "approvals",
    "delivery",
    "govinfo.auditor",
]

MIDDLEWARE = [
    # Outermost: after everything else has run, delete files stored by transactions that rolled back.
    "govinfo.documents.files.PendingFilesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "govinfo.badinput.RejectNulMiddleware",  # before the session lookup reads the cookie
    "django.contrib.sessions.middleware.SessionMiddleware",
    "govinfo.home.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govinfo.headers.SecurityHeadersMiddleware",  # Permissions-Policy; no-store for logged-in users
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "govinfo.audit.middleware.RequestContextMiddleware",
    # The audit trail (issue 11): idle sign-outs, refused access (403/404) and read-only people's posts.
    "govinfo.accounts.idle.IdleLogoutMiddleware",
    "govinfo.refusals.RefusedAccessMiddleware",
    "govinfo.refusals.ReadOnlyMiddleware",
    # Innermost: turns a login refused for too many failures into the page that says until when.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govinfo.urls"
WSGI_APPLICATION = "govinfo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "govinfo.home.context_processors.navigation",
            ],
            "builtins": ["govinfo.home.templatetags.govinfo_dates"],
        },
    },
]

# SQLite under var/ unless DATABASE_URL names another database (PostgreSQL in CI and production).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'govinfo.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DATABASE_JIT", "off") == "off"
):
    # JIT off (measured, bench/scale.py and README "Scale"): it compiles any plan costed over 100 000 —
    # exports, reports, a count over the audit trail — and at 100k projects it spent 237 ms of a 526 ms
    # query compiling; the pages' plans are cheap and gain nothing from it. DATABASE_JIT=on restores it.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a competing writer instead of failing at once with "database is locked"; WAL lets pages
    # read while someone writes. Documents render before their write transaction (documents/prerender.py).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("GOVINFO_SQLITE_BUSY_SECONDS", "30")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "govinfo.accounts.lockout.LoginBackend",  # first: a locked account or address is refused unchecked
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "govinfo.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous visitors get nothing

# Login-failure handling (等保 level 3): govinfo/accounts/lockout.py. An account locks after 5 failures,
# an address (often a whole office behind one NAT) after 20, for 30 minutes; administrators unlock.
AXES_HANDLER = "govinfo.accounts.lockout.LoginFailureHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("GOVINFO_LOGIN_FAILURE_LIMIT", "5"))
GOVINFO_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("GOVINFO_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("GOVINFO_LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time the page promises is the time it ends
AXES_LOCKOUT_CALLABLE = "govinfo.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "govinfo.accounts.lockout.client_address"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The demo loader creates logins with a published password; on a production site only when told to.
GOVINFO_ALLOW_DEMO_PASSWORDS = env_bool("GOVINFO_ALLOW_DEMO_PASSWORDS", DEBUG)

# A session ends after 30 minutes without a request (等保: idle sessions must lock).
SESSION_COOKIE_AGE = int(os.environ.get("GOVINFO_SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("GOVINFO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded materials and issued documents go through the default storage; setting
# GOVINFO_FILE_STORAGE to e.g. "storages.backends.s3.S3Storage" moves them off the machine.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("GOVINFO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("GOVINFO_STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads above 2.5 MB stream to files in a folder the application owns, where what a killed worker
# left is swept (govinfo/uploads.py), not in the system temp directory.
FILE_UPLOAD_TEMP_DIR = str(Path(os.environ.get("GOVINFO_UPLOAD_TEMP_DIR", VAR_DIR / "upload-tmp")))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "govinfo.uploads.SweepingTemporaryFileUploadHandler",
]

# Largest application material accepted (projects.materials); the reverse proxy must allow it too.
GOVINFO_MATERIAL_MAX_BYTES = int(os.environ.get("GOVINFO_MATERIAL_MAX_MB", "50")) * 1024 * 1024

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "govinfo@localhost")
# How long a notice (a decision issued …) stays on its addressee's to-do list unless signed for first.
NOTICE_KEEP_DAYS = int(os.environ.get("GOVINFO_NOTICE_KEEP_DAYS", "30"))

# Behind HTTPS in production: secure cookies, HSTS and redirects are on unless DEBUG.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", False) else None
)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every script, style, font and image is served by the site itself
# (no CDN on an intranet), and no page carries inline script, inline style or event-handler attributes.
# A page that ever needs an inline block uses the request's nonce ({{ request.csp_nonce }}), not
# 'unsafe-inline'. The PDF's QR code is a data: URI inside the PDF, not on a page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# PDF rendering is quiet: WeasyPrint logs every layout step ("Step 5 - Creating layout - Page 1") and CSS it does
# not support, fontTools every padded glyph table it subsets. Only their errors reach the log.
QUIET_LOGGERS = {name: {"level": "ERROR"} for name in ("weasyprint", "fontTools")}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GOVINFO_LOG_LEVEL", "INFO")},
    "loggers": QUIET_LOGGERS,
}

# Background work (long exports, chain verification): django-tasks with its database backend by
# default — no broker, SQLite or PostgreSQL; run `manage.py db_worker`. A site that outgrows one machine
# sets GOVINFO_TASKS_BACKEND=django_tasks_rq.RQBackend (README, "Background jobs").
TASKS = {
    "default": {
        "BACKEND": os.environ.get("GOVINFO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Exports up to this many rows are sent at once; larger ones run as a background job with a progress bar.
GOVINFO_EXPORT_SYNC_ROWS = int(os.environ.get("GOVINFO_EXPORT_SYNC_ROWS", "20000"))
# The auditor's pages verify the audit chain as they open while it is at most this long; beyond, they
# show the last verification (`manage.py verify_audit`, daily from cron, or the page's button).
GOVINFO_AUDIT_LIVE_VERIFY_MAX = int(os.environ.get("GOVINFO_AUDIT_LIVE_VERIFY_MAX", "2000"))

# Working days (R-CAT-3 and every other deadline) come from govinfo.workdays.
GOVINFO_ORG_NAME = _("四川省政务信息化项目管理平台")
