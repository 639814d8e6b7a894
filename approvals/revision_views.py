"""The review side's door to an application revision: whoever follows the project's review (NDRC, an
agency with a task, an invited expert, the units, auditors) opens the revision a round reviewed — the
same read-only page as the project side (``projects.revision_views``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from projects.revision_views import render_revision

from . import permissions


@login_required
@require_GET
def review_revision(request, pk: int, number: int):
    project, _role = permissions.get_review_project_for_user(request.user, pk)
    return render_revision(
        request,
        project,
        number,
        url_name="approvals:project_revision",
        back_url=reverse("approvals:project", args=[project.pk]),
        back_label=gettext("返回审查与批复"),
    )
