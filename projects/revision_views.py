"""A frozen application revision, read-only, with what changed since the revision before it.

Two doors, one page: the project side (``projects:revision``, for whoever may view the project) and
the review side (``approvals:project_revision``, for whoever follows the review); both render
``render_revision``. Three queries whatever the size of the application: the revision and its
predecessor, the list of revision numbers, and the project loaded by the caller.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from . import access, revisions
from .models import ApplicationRevision, Project


def _project_for(user, pk: int) -> Project:
    """Who may open a revision on the project side: whoever may view the project (404 otherwise)."""
    return access.get_case(user, pk)


def application_blocks(project: Project, number: int, *, url_name: str) -> dict:
    """What the revision blocks (``projects/_revision_changes.html``, ``projects/_revision_sections.html``)
    need to show revision ``number`` and what changed since the one before it: one query, whatever the
    size of the application. The review pages (a task, NDRC's decision page) show the same blocks."""
    revision, previous = revisions.with_previous(project, number)
    return {
        "revision": revision,
        "previous": previous,
        "sections": revisions.sections_for_page(revision.content),
        "changes": revisions.diff(previous, revision),
        "intact": revisions.is_intact(revision),
        "revision_url": reverse(url_name, args=[project.pk, revision.number]),
        "previous_url": reverse(url_name, args=[project.pk, previous.number]) if previous else "",
    }


def render_revision(request, project: Project, number: int, *, url_name: str, back_url: str, back_label: str):
    numbers = list(
        ApplicationRevision.objects.filter(project=project)
        .order_by("number")
        .values_list("number", flat=True)
    )
    context = {
        "project": project,
        **application_blocks(project, number, url_name=url_name),
        "others": [(n, reverse(url_name, args=[project.pk, n])) for n in numbers],
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "projects/revision.html", context)


@login_required
@require_GET
def revision_detail(request, pk: int, number: int):
    project = _project_for(request.user, pk)
    return render_revision(
        request,
        project,
        number,
        url_name="projects:revision",
        back_url=reverse("projects:detail", args=[project.pk]),
        back_label=gettext("返回项目页面"),
    )
