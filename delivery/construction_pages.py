"""What the construction pages share: loading the case, and answering an action the same way everywhere.

A page is open to whoever may see the case (``projects.access``; 404 otherwise) once the project has
been approved. A posted action goes through its service: done → back to the page with a message; a
stale page → back with the conflict; not this person's to do → the refusal page (403); refused by a rule
→ the page again with the rule's words above the form (403); a form problem → the page again (400).
Every refusal of a posted action is recorded (``govinfo.refusals``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from govinfo import refusals
from govinfo.errors import Conflict, NotAllowed, Refused
from projects import access
from projects.models import Project, State

BEFORE_APPROVAL = (
    State.DRAFT,
    State.SUBMITTED,
    State.RETURNED,
    State.IN_REVIEW,
    State.EVALUATION,
    State.REJECTED,
)


def label_of(choices, value) -> str:
    """The label of a stored choice code, in the reader's language (events keep codes, not words)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def get_project(user, pk) -> Project:
    project = access.get_case(user, pk)
    if project.state in BEFORE_APPROVAL:
        raise Http404(_("项目尚未批复，没有建设阶段的事项。"))
    return project


def act(request, project: Project, call, *, success, back, render_page):
    """Run ``call``; ``render_page(status, refusal_lines)`` draws the page again when the rules refuse.

    ``success`` and ``back`` are a message and a URL, or functions of what ``call`` returned.
    """
    try:
        result = call()
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(back if isinstance(back, str) else reverse_back(request))
    except NotAllowed as exc:
        return refusals.refused(
            request, "delivery/refused.html", exc.message, status=exc.status, target=project
        )
    except Refused as exc:
        refusals.record(request, exc.message, status=exc.status, target=project)
        return render_page(exc.status, exc.messages)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(back(result) if callable(back) else back)


def reverse_back(request) -> str:
    """Where a stale page goes back to: the page it was posted from (a path of this site), else home."""
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return "/"


def refuse_unless(request, project: Project, who_fn, obj=None):
    """The refusal page (403, recorded) when ``who_fn`` says this person does not take the action; else None.

    Asked before the form is read, so a wrong role is refused whatever it posts.
    """
    from .construction_permissions import ask

    allowed, reason = ask(who_fn, request.user, obj if obj is not None else project)
    if allowed:
        return None
    return refusals.refused(request, "delivery/refused.html", reason, status=403, target=project)


def invalid(render_page):
    """A form that did not validate: the page again with its errors."""
    return render_page(400, [])
