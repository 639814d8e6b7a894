"""Who may do what between the 批复 and trial operation: filing, start, changes, supervision. Deny by default.

Seeing a case is the access module's answer (``projects.access``): these pages load the project with
``get_case`` (404 to outsiders). Acting is decided here, each answer a reason or ``None`` (the lifecycle
table's ``who``), or ``(allowed, reason)`` for actions that are not transitions:

- the 省大数据中心's members file (备案) an approved project (川办法 第五条、第九条);
- the lead unit's clerks (the ``submit_project`` grant) record the start facts and procurements, start
  construction, report changes and rectifications, apply for and withdraw a termination (R-BLD-1: the
  unit is responsible for its project; participating units follow it read-only);
- NDRC's members order rectification, check reports and read the 报备; its signers decide — approve or
  refuse a change application, suspend, resume, submit a termination to the 领导小组 and record its answer;
- auditors and administrators act on nothing (``govinfo.workflow.READ_ONLY_REFUSAL``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.permissions import is_ndrc_signer
from govinfo.orgs import roles
from govinfo.orgs.models import Role
from govinfo.rules import cite
from govinfo.workflow import READ_ONLY_REFUSAL
from projects import access
from projects.models import Project

BIGDATA = "bigdata"
SUBMIT = "submit_project"

UNIT_ROLE = gettext_lazy("项目单位")
BIGDATA_ROLE = gettext_lazy("省大数据中心")
NDRC_ROLE = gettext_lazy("省发展改革委")


def is_bigdata(user) -> bool:
    return any(agency.code == BIGDATA for agency in roles.agencies_of(user, Role.REVIEWER, Role.SIGNER))


def is_lead_clerk(user, project: Project) -> bool:
    return SUBMIT in access.perms_for(user, project)


def _project(obj) -> Project:
    return obj if isinstance(obj, Project) else obj.project


# -- the lifecycle table's ``who``: a reason, or None ------------------------------------------------


def who_files(user, project: Project) -> str | None:
    if not is_bigdata(user):
        return _("依据《四川省省级政务信息化项目管理办法》第五条、第九条，项目备案登记由省大数据中心办理。")
    return None


def who_unit(user, obj) -> str | None:
    """The lead unit's clerks (R-BLD-1: the unit answers for its project)."""
    if not is_lead_clerk(user, _project(obj)):
        return cite("R-BLD-1", "第二十六条", _("项目建设事项由项目单位（牵头单位）办理。"))
    return None


def who_ndrc(user, obj) -> str | None:
    """Any member of NDRC: supervision that is not a decision (orders, checks, reading a 报备)."""
    if not access.is_ndrc(user):
        return cite("R-BLD-3", "第三十条、第四十七条", _("只有省发展改革委可以办理项目建设监督事项。"))
    return None


def who_ndrc_decides(user, obj) -> str | None:
    """NDRC's signers: suspension, resumption, termination."""
    if not is_ndrc_signer(user):
        return cite(
            "R-BLD-3", "第三十条", _("只有省发展改革委签发人可以作出暂停、恢复、核报或终止项目建设的决定。")
        )
    return None


def who_decides_change(user, obj) -> str | None:
    if not is_ndrc_signer(user):
        return cite("R-BLD-2", "第二十八条", _("只有省发展改革委签发人可以审批项目调整申请。"))
    return None


# -- actions that are not transitions: (allowed, reason) ---------------------------------------------


def ask(who, user, obj) -> tuple[bool, str]:
    """``who``'s answer as (allowed, reason), auditors and administrators refused first."""
    if roles.is_read_only(user):
        return False, str(READ_ONLY_REFUSAL)
    reason = who(user, obj)
    return (False, reason) if reason else (True, "")


def state_refusal(project: Project, allowed_states, doing) -> str | None:
    if project.state in allowed_states:
        return None
    return _("项目当前状态为“%(state)s”，不能%(doing)s。") % {
        "state": project.get_state_display(),
        "doing": doing,
    }
