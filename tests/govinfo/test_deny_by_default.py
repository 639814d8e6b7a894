"""Deny by default: every page of the site refuses an anonymous visitor, except the few meant to be public.

Walks the whole URL configuration, so a view added later without a login check fails here.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Public on purpose: logging in, resetting a forgotten password by e-mail, choosing the language, and
# checking an issued document's authenticity.
PUBLIC = re.compile(
    r"^(accounts/login/|accounts/password/reset/|i18n/|verify/|admin/login/|admin/logout/|static/|media/"
    r"|api/schema|api/docs)"
)


def _routes(resolver, prefix=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _regex_sample(match: re.Match) -> str:
    body = match.group(1)
    return body.split("|")[0] if re.fullmatch(r"[\w|]+", body) else "x"


def _sample_path(route: str) -> str:
    # Fill converters with values that exist nowhere: the view must still refuse, not crash or serve.
    path = re.sub(r"\(\?P<\w+>(.*?)\)(?=/|\$|$)", _regex_sample, route)
    path = re.sub(r"<(?:int:)?\w+>", "1", path)
    path = re.sub(r"<(?:slug|str|path|uuid):\w+>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + path


ROUTES = sorted({route for route in _routes(get_resolver()) if not PUBLIC.match(route.lstrip("^"))})


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_an_anonymous_visitor_is_refused(client, route):
    path = _sample_path(route)
    for method in (client.get, client.post):
        response = method(path)
        refused = response.status_code in (403, 404, 405) or (
            response.status_code == 302 and "login" in response["Location"]
        )
        assert refused, f"{method.__name__.upper()} {path} answered {response.status_code}"
