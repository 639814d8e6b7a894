from contextlib import nullcontext

from django.conf import settings
from django.urls import reverse

from .admin_log import admin_request
from .context import client_ip


def _address(request) -> str | None:
    # Trust X-Forwarded-For only behind our own proxy; otherwise anyone could forge the logged address.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """The client's address for every event of the request; admin requests also remember what they change."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        token = client_ip.set(_address(request))
        in_admin = request.path.startswith(self.admin_prefix)
        try:
            with admin_request(request.user) if in_admin else nullcontext():
                return self.get_response(request)
        finally:
            client_ip.reset(token)
