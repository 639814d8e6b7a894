"""A refused action is itself an event: who tried what, where, and why it was refused.

等保 asks that attempts to act without the right be traceable, and an auditor who posts an action by
mistake (or a tampered form) must leave a mark. Three doors lead here:

- views call ``refused`` instead of rendering their refusal page by hand; the event is written after
  the service's transaction has rolled back, so it stays even though the action did not;
- ``ReadOnlyMiddleware`` refuses every posted action of a read-only person (auditors; administrators
  outside the admin site) before any view runs, so no page has to remember to: a view that is not an
  action (starting an export, verifying the audit chain) says so with ``@not_an_action``;
- ``RefusedAccessMiddleware`` records every 403 and 404 a signed-in person gets from a page (an object
  they may not open, a case ``get_case`` hides), naming the case when the view knew it (``Hidden``).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .audit import actions, trail
from .orgs import roles

ACTION = "govinfo.action.refused"
ACCESS = "govinfo.access.refused"
actions.register(ACCESS, _("拒绝访问"))
_RECORDED = "_govinfo_refusal_recorded"
_CASE = "_govinfo_refused_case"
# What a read-only person may still post: signing out, choosing the language.
_ALWAYS_ALLOWED = {"logout", "login", "set_language"}


class Hidden(Http404):
    """A 404 that knows which object it hides (the access refusal's event names its case)."""

    def __init__(self, message: str = "", *, case=None):
        super().__init__(message)
        self.case = case


def not_an_action(view):
    """Mark a view whose POST changes no case (an export, a verification): read-only people may post it."""
    view.govinfo_not_an_action = True
    return view


def record(request, reason: str, *, status: int, target=None) -> None:
    """Write the refusal of a posted action to the audit trail (reads are not actions)."""
    if request.method != "POST":
        return
    trail.record(
        ACTION,
        actor=request.user,
        target=target,
        details={"path": request.path, "status": status, "reason": str(reason)[:1000]},
    )
    setattr(request, _RECORDED, True)


def refused(request, template: str, reason: str, *, status: int = 403, target=None):
    """The refusal page with its reason, the refusal recorded."""
    record(request, reason, status=status, target=target)
    return render(request, template, {"reason": reason}, status=status)


class ReadOnlyMiddleware:
    """Auditors read everything and act on nothing: any posted action of theirs is refused and recorded."""

    SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in self.SAFE_METHODS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not roles.is_read_only(user):
            return None
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        match = request.resolver_match
        if (
            getattr(view_func, "govinfo_not_an_action", False)
            or (match is not None and match.url_name in _ALWAYS_ALLOWED)
            or (request.path.startswith(self.admin_prefix) and not roles.is_auditor(user))
        ):
            return None
        from .workflow import READ_ONLY_REFUSAL

        return refused(request, "refused.html", str(READ_ONLY_REFUSAL), status=403)


class RefusedAccessMiddleware:
    """Every 403 or 404 a signed-in person gets from a page of ours is an audit event."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code in (403, 404)
            and user is not None
            and user.is_authenticated
            and getattr(request, "resolver_match", None) is not None
            and not getattr(request, _RECORDED, False)
        ):
            case = getattr(request, _CASE, None)
            trail.record(
                ACCESS,
                actor=user,
                case=case,
                details={
                    "path": request.path[:500],
                    "method": request.method,
                    "status": response.status_code,
                    "view": request.resolver_match.view_name,
                },
            )
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Hidden) and exception.case is not None:
            setattr(request, _CASE, exception.case)
        return None
