"""Who may see and do what with a project: the one place that decides (STYLE habit 1).

Object permissions live in the direct foreign-key tables (django-guardian) and are always granted
to the permission group of a unit or an agency, never to a person:

- the lead unit's group: view, change, submit;
- each participating unit's group: view (R-APP-6: all can view, only the lead submits);
- an agency's group: view, granted with ``grant_agency`` — NDRC on submission (the application is
  addressed to it); the approvals app grants its reviewing agencies the same way.

Views load projects only through ``get_project_for_user`` (404 for anyone without view) and list
them only through ``visible_projects``. Superusers get no silent bypass: the admin site is theirs.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from govinfo.orgs import roles
from govinfo.orgs.models import Agency, Role, Unit
from govinfo.rules import cite

from .guards import NotAllowed
from .models import Project, ProjectGroupObjectPermission, ProjectUserObjectPermission, State

VIEW = "view_project"
CHANGE = "change_project"
SUBMIT = "submit_project"
LEAD_PERMS = (VIEW, CHANGE, SUBMIT)
NDRC = "ndrc"

_PERMS_CACHE = "_govinfo_project_perms"


def _grant(project: Project, group, codenames) -> None:
    for codename in codenames:
        assign_perm(f"projects.{codename}", group, project)


def _revoke(project: Project, group, codenames) -> None:
    for codename in codenames:
        remove_perm(f"projects.{codename}", group, project)


def grant_lead(project: Project, unit: Unit) -> None:
    _grant(project, unit.group, LEAD_PERMS)


def grant_participant(project: Project, unit: Unit) -> None:
    _grant(project, unit.group, (VIEW,))


def revoke_participant(project: Project, unit: Unit) -> None:
    _revoke(project, unit.group, (VIEW,))


def grant_agency(project: Project, agency: Agency) -> None:
    """Let an agency's members see the project (NDRC on submission; reviewers from approvals)."""
    _grant(project, agency.group, (VIEW,))


def revoke_agency(project: Project, agency: Agency) -> None:
    _revoke(project, agency.group, (VIEW,))


def _granted(user, codename: str):
    """A condition on Project rows: the user holds ``codename`` through a group or directly."""
    via_group = ProjectGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission__codename=codename, group__user=user
    )
    direct = ProjectUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission__codename=codename, user=user
    )
    return Exists(via_group) | Exists(direct)


def visible_projects(user):
    """Every project the user may see, as a queryset to filter further."""
    if not getattr(user, "is_authenticated", False):
        return Project.objects.none()
    return Project.objects.filter(_granted(user, VIEW))


def perms_for(user, project: Project) -> set[str]:
    """The user's codenames on this project, read in one query and kept on the instance."""
    cache = project.__dict__.setdefault(_PERMS_CACHE, {})
    if user.pk not in cache:
        if not getattr(user, "is_authenticated", False):
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
    project.__dict__.pop(_PERMS_CACHE, None)


def can_view(user, project: Project) -> bool:
    return VIEW in perms_for(user, project)


def get_project_for_user(user, pk: int) -> Project:
    """The project if the user may see it; 404 otherwise, so non-members learn nothing."""
    project = Project.objects.select_related("lead_unit", "predecessor", "created_by").filter(pk=pk).first()
    if project is None or not can_view(user, project):
        raise Http404("项目不存在或您无权查看。")
    return project


# -- may the user take this action now? Each answers (allowed, reason) -------------------------


def may_edit(user, project: Project) -> tuple[bool, str]:
    if CHANGE not in perms_for(user, project):
        return (
            False,
            "只有牵头单位可以修改申报内容（R-APP-6，《四川省省级政务信息化项目管理办法》第二十七条）。",
        )
    if not project.is_editable:
        return False, f"项目当前状态为“{project.get_state_display()}”，只有草稿或退回修改的项目可以修改。"
    return True, ""


def may_submit(user, project: Project) -> tuple[bool, str]:
    if SUBMIT not in perms_for(user, project):
        return False, cite("R-APP-6", "第二十一条、第二十七条", "跨部门共建项目只能由牵头单位提交申报。")
    if project.state not in (State.DRAFT, State.RETURNED):
        return False, f"项目当前状态为“{project.get_state_display()}”，不能提交申报。"
    return True, ""


def is_ndrc(user) -> bool:
    """A reviewer or signer of 省发展改革委, to whom every application is addressed."""
    return any(agency.code == NDRC for agency in roles.agencies_of(user, Role.REVIEWER, Role.SIGNER))


def may_accept(user, project: Project) -> tuple[bool, str]:
    """Only NDRC (省发展改革委) accepts an application into review."""
    if not is_ndrc(user):
        return False, "只有省发展改革委可以受理项目申报。"
    if project.state != State.SUBMITTED:
        return False, f"项目当前状态为“{project.get_state_display()}”，不是待受理的申报。"
    return True, ""


def may_return(user, project: Project) -> tuple[bool, str]:
    """An agency that holds the case (NDRC, or a reviewing agency granted by approvals) may return it."""
    agency_groups = [agency.group_id for agency in roles.agencies_of(user, Role.REVIEWER, Role.SIGNER)]
    holds_case = (
        bool(agency_groups)
        and ProjectGroupObjectPermission.objects.filter(
            content_object=project, group_id__in=agency_groups, permission__codename=VIEW
        ).exists()
    )
    if not holds_case:
        return False, "只有审核该项目的机构可以退回申报。"
    if project.state not in (State.SUBMITTED, State.IN_REVIEW, State.EVALUATION):
        return False, f"项目当前状态为“{project.get_state_display()}”，不能退回。"
    return True, ""


def require(check: tuple[bool, str]) -> None:
    allowed, reason = check
    if not allowed:
        raise NotAllowed(reason)


def is_applicant_of(user, unit: Unit) -> bool:
    return any(u.pk == unit.pk for u in roles.units_of(user))


def applicant_units(user) -> list[Unit]:
    return roles.units_of(user)
