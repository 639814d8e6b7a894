"""Input no form or page ever means, refused at the door with 400 instead of failing deep inside.

A NUL character (U+0000) in a path, a query, a form field or a cookie: PostgreSQL refuses it in any text
value, so ``GET /verify/abc%00def/`` reached the token lookup and answered 500 to anyone. No legitimate
request carries one, so the whole request is refused before a view (or the session lookup) sees it.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"


def _any_nul(pairs) -> bool:
    return any(NUL in key or NUL in value for key, value in pairs)


def _pairs(querydict):
    return ((key, value) for key, values in querydict.lists() for value in values)


def carries_nul(request) -> bool:
    """NUL in the decoded path, query, cookies or (for a POST) form fields; uploaded files are not read."""
    return (
        NUL in request.path_info
        or _any_nul(_pairs(request.GET))
        or _any_nul(request.COOKIES.items())
        or (request.method == "POST" and _any_nul(_pairs(request.POST)))
    )


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)
