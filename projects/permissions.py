"""What a unit may do with its application, and the grants that let people see a case.

Who may *see* a case is decided in one place, ``projects.access``; this module grants and revokes the
rows it reads and answers "may this person edit / submit". Object permissions live in the direct
foreign-key tables (django-guardian) and are granted to the permission group of a unit or an agency,
never to a person (an invited expert's personal grant is the one exception, made by approvals):

- the lead unit's group: view, change, submit;
- each participating unit's group: view (R-APP-6: all can view, only the lead submits);
- an agency's group: view, granted with ``grant_agency`` — NDRC on submission (the application is
  addressed to it); the approvals app grants its reviewing agencies the same way.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from govinfo.errors import NotAllowed
from govinfo.orgs import roles
from govinfo.orgs.models import Agency, Unit
from govinfo.rules import cite

from .access import NDRC, VIEW, forget, get_case, is_ndrc, perms_for
from .models import Project

CHANGE = "change_project"
SUBMIT = "submit_project"
LEAD_PERMS = (VIEW, CHANGE, SUBMIT)

__all__ = ["NDRC", "VIEW", "forget", "get_case", "is_ndrc", "perms_for"]


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


# -- may the user take this action now? Each answers (allowed, reason) -------------------------


def may_edit(user, project: Project) -> tuple[bool, str]:
    if roles.is_read_only(user):
        return False, _("审计和系统管理人员可以查阅全部案件，但不能办理业务。")
    if CHANGE not in perms_for(user, project):
        return False, cite("R-APP-6", "第二十七条", _("只有牵头单位可以修改申报内容。"))
    if not project.is_editable:
        return False, _("项目当前状态为“%(state)s”，只有草稿或退回修改的项目可以修改。") % {
            "state": project.get_state_display()
        }
    return True, ""


def who_edits(user, project: Project) -> str | None:
    """The lifecycle table's ``who`` of the unit's own steps on its application (the lead unit's clerks)."""
    if CHANGE not in perms_for(user, project):
        return cite("R-APP-6", "第二十七条", _("只有牵头单位可以修改申报内容。"))
    return None


def who_submits(user, project: Project) -> str | None:
    """The lifecycle table's ``who`` of submit and resubmit: the lead unit only (R-APP-6)."""
    if SUBMIT not in perms_for(user, project):
        return cite("R-APP-6", "第二十一条、第二十七条", _("跨部门共建项目只能由牵头单位提交申报。"))
    return None


def require(check: tuple[bool, str]) -> None:
    allowed, reason = check
    if not allowed:
        raise NotAllowed(reason)


def is_applicant_of(user, unit: Unit) -> bool:
    return any(u.pk == unit.pk for u in roles.units_of(user))


def applicant_units(user) -> list[Unit]:
    return roles.units_of(user)
