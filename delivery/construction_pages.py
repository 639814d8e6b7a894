"""What the construction pages share: loading the case and refusing a role before the form is read.

A page is open to whoever may see the case (``projects.access``; 404 otherwise) once the project has
been approved. A posted action then runs through ``page_actions.act``, as on every delivery page.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from govinfo import refusals
from projects import access
from projects.models import Project, State

from .page_actions import REFUSED_TEMPLATE

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


def refuse_unless(request, project: Project, who_fn, obj=None):
    """The refusal page (403, recorded) when ``who_fn`` says this person does not take the action; else None.

    Asked before the form is read, so a wrong role is refused whatever it posts.
    """
    from .construction_permissions import ask

    allowed, reason = ask(who_fn, request.user, obj if obj is not None else project)
    if allowed:
        return None
    return refusals.refused(request, REFUSED_TEMPLATE, reason, status=403, target=project)
