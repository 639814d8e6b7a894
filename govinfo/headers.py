"""Response headers the 等保 review asks for beyond Django's own (the CSP itself is django-csp's, in settings).

- ``Permissions-Policy``: the site uses no camera, microphone, location, payment or sensors; a page (or
  anything injected into one) may not ask for them.
- ``Cache-Control: no-store`` on every response to a logged-in user — pages, exports, uploaded materials
  and issued PDFs — so that nothing a person saw stays in a shared computer's browser or a proxy cache.
  Static files are served before this middleware (WhiteNoise) and stay cacheable.
"""

from django.utils.cache import add_never_cache_headers

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
