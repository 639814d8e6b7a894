"""Who may see a case: one definition, as a queryset filter and as a per-object check.

- Auditors and administrators read every case (DOMAIN §1: read-only over everything). They take no
  action: ``is_read_only`` tells pages to show no buttons and services to refuse (and record) a post.
- 省发展改革委 (NDRC) sees every case that has been submitted at least once: the application is addressed
  to it, and a two-step project back in draft for its 初步设计 stays NDRC's case.
- Everyone else sees a case through a grant (django-guardian's direct foreign-key tables): the lead and
  participating units' groups, the groups of agencies that review it (a task opens the grant) and the
  invited experts (a personal grant; the invitation is personal).

``visible(user)`` is a semi-join on indexed grant rows — ``id IN (grants of the user's groups)``, the user's
group ids read first, personal grants added only for the few who hold any — which PostgreSQL runs as an index
walk (a list that sees most cases stops after a page) or a hashed lookup (a unit's handful), instead of
scanning every project as an OR of two EXISTS would. NDRC's submitted cases are a predicate, not grants.
``can_view(user, project)`` answers the same question for one row with the rows already read for it.
Every list, page, download, to-do, export and API view of a case goes through this module.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from govinfo import grants
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


def _granted(user, *, skip_groups=()) -> Q | None:
    """``id IN (grants of the user's groups)``, with the personal grants only for those who hold any
    (``govinfo.grants``: the ids are read first so that PostgreSQL plans the list with literal values)."""
    who = grants.holder(user, user_grants=ProjectUserObjectPermission, app_label="projects", codename=VIEW)
    return grants.granted(
        who,
        group_grants=ProjectGroupObjectPermission,
        user_grants=ProjectUserObjectPermission,
        skip_groups=skip_groups,
    )


def visible(user) -> QuerySet[Project]:
    """Every case ``user`` may see, as a queryset to filter further (the list filter)."""
    if not _authenticated(user):
        return Project.objects.none()
    if is_read_only(user):
        return Project.objects.all()
    if is_ndrc(user):
        # NDRC's own group is granted a case on submission, which the predicate already covers; only
        # grants through other groups (say, a unit the same person files for) or personal ones add to it.
        ndrc_groups = [a.group_id for a in roles.agencies_of(user) if a.code == NDRC]
        submitted = Q(first_submitted_at__isnull=False)
        granted = _granted(user, skip_groups=ndrc_groups)
        return Project.objects.filter(submitted if granted is None else submitted | granted)
    granted = _granted(user)
    return Project.objects.filter(granted) if granted is not None else Project.objects.none()


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
