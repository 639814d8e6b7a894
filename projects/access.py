"""Who may see a case: one definition, as a queryset filter and as a per-object check.

- Auditors and administrators read every case (DOMAIN §1: read-only over everything). They take no
  action: ``is_read_only`` tells pages to show no buttons and services to refuse (and record) a post.
- 省发展改革委 (NDRC) sees every case that has been submitted at least once: the application is addressed
  to it, and a two-step project back in draft for its 初步设计 stays NDRC's case.
- Everyone else sees a case through a grant (django-guardian's direct foreign-key tables): the lead and
  participating units' groups, the groups of agencies that review it (a task opens the grant) and the
  invited experts (a personal grant; the invitation is personal).

``visible(user)`` is a semi-join on indexed grant rows — ``id IN (group grants UNION user grants)`` — which
PostgreSQL runs as a hashed lookup instead of scanning every project as an OR of two EXISTS would.
``can_view(user, project)`` answers the same question for one row with the rows already read for it.
Every list, page, download, to-do, export and API view of a case goes through this module.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from govinfo.orgs import roles
from govinfo.orgs.models import Role
from govinfo.refusals import Hidden

from .models import Project, ProjectGroupObjectPermission, ProjectUserObjectPermission

VIEW = "view_project"
NDRC = "ndrc"
_PERMS_CACHE = "_govinfo_project_perms"


def is_read_only(user) -> bool:
    """Auditors and administrators read every case and act on none."""
    return roles.is_read_only(user)


def is_ndrc(user) -> bool:
    """A reviewer or signer of 省发展改革委, to whom every application is addressed."""
    return any(agency.code == NDRC for agency in roles.agencies_of(user, Role.REVIEWER, Role.SIGNER))


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _granted_ids(user, codename: str = VIEW):
    """Project ids the user holds ``codename`` on, through a group or directly: one UNION subquery."""
    via_group = ProjectGroupObjectPermission.objects.filter(
        group__user=user, permission__codename=codename
    ).values("content_object_id")
    direct = ProjectUserObjectPermission.objects.filter(user=user, permission__codename=codename).values(
        "content_object_id"
    )
    return via_group.union(direct)


def visible(user) -> QuerySet[Project]:
    """Every case ``user`` may see, as a queryset to filter further (the list filter)."""
    if not _authenticated(user):
        return Project.objects.none()
    if is_read_only(user):
        return Project.objects.all()
    granted = Q(pk__in=_granted_ids(user))
    if is_ndrc(user):
        return Project.objects.filter(granted | Q(first_submitted_at__isnull=False))
    return Project.objects.filter(granted)


def perms_for(user, project: Project) -> set[str]:
    """The user's codenames on this project from the grant tables, read in one query and kept on it."""
    cache = project.__dict__.setdefault(_PERMS_CACHE, {})
    if user.pk not in cache:
        if not _authenticated(user):
            cache[user.pk] = set()
        else:
            group_rows = ProjectGroupObjectPermission.objects.filter(
                content_object=project, group__user=user
            ).values_list("permission__codename", flat=True)
            user_rows = ProjectUserObjectPermission.objects.filter(
                content_object=project, user=user
            ).values_list("permission__codename", flat=True)
            cache[user.pk] = set(group_rows.union(user_rows))
    return cache[user.pk]


def forget(project: Project) -> None:
    """Drop the grants read for ``project`` (after a service changed them)."""
    project.__dict__.pop(_PERMS_CACHE, None)


def can_view(user, project: Project) -> bool:
    """The per-object twin of ``visible``: the same three answers, for one case."""
    if not _authenticated(user):
        return False
    if is_read_only(user):
        return True
    if is_ndrc(user) and project.first_submitted_at is not None:
        return True
    return VIEW in perms_for(user, project)


def get_case(user, pk, queryset: QuerySet[Project] | None = None) -> Project:
    """The case if ``user`` may see it; 404 otherwise, so outsiders learn nothing of it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("项目不存在或您无权查看。")) from None
    qs = queryset if queryset is not None else Project.objects.all()
    project = qs.select_related("lead_unit", "predecessor", "created_by").filter(pk=pk).first()
    if project is None or not can_view(user, project):
        # The refusal's audit event names the case someone tried to open (RefusedAccessMiddleware).
        raise Hidden(_("项目不存在或您无权查看。"), case=project)
    return project
