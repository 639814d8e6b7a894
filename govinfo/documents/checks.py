"""System checks of the 公文 engine's deployment settings (run by ``manage.py check``, runserver and migrate)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

SITE_URL_HINT = (
    "Set GOVINFO_SITE_URL to the site's public address, e.g. https://govinfo.sc.gov.cn: it is printed and "
    "QR-coded on every issued document as its verification link (README, Configuration)."
)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1, localhost (and *.localhost), or the unspecified address: nobody else reaches it."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(Tags.security)
def check_site_url(app_configs=None, **kwargs):
    """Production (DEBUG off) must not print a verification link that only the server itself can open."""
    if settings.DEBUG:
        return []
    url = (getattr(settings, "SITE_URL", "") or "").strip()
    parts = urlsplit(url)
    if not url or parts.scheme not in {"http", "https"} or not parts.hostname:
        return [
            Error(
                f"GOVINFO_SITE_URL is not set to an http(s) address (SITE_URL={url!r}).",
                hint=SITE_URL_HINT,
                id="documents.E001",
            )
        ]
    if is_loopback(parts.hostname):
        return [
            Error(
                f"GOVINFO_SITE_URL points at a loopback host ({url}): every issued document would print a "
                "verification link and QR code that no reader can open.",
                hint=SITE_URL_HINT,
                id="documents.E002",
            )
        ]
    if parts.scheme != "https":
        return [
            Warning(
                f"GOVINFO_SITE_URL ({url}) is not https: printed verification links should use HTTPS.",
                hint=SITE_URL_HINT,
                id="documents.W001",
            )
        ]
    return []
