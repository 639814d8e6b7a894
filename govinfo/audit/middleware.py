from django.conf import settings

from .context import client_ip


def _address(request) -> str | None:
    # Trust X-Forwarded-For only behind our own proxy; otherwise anyone could forge the logged address.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(_address(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
