"""Who may see and do what in the catalogue: the one module that decides (STYLE habit 1).

- Maintaining a resource (edit a draft, submit it, answer its share requests and feedback) is the
  guardian object permission ``catalogue.change_resource``, granted to the provider unit's group by
  ``services.create_resource`` (direct foreign-key tables, ARCHITECTURE.md).
- Published and retired resources are browsable by every logged-in user; drafts and resources
  waiting for publication only by their maintainers, the Big-data centre and auditors (read-only
  over everything, DOMAIN.md §1).
- Publication is signed off by a Big-data centre member (agency ``bigdata``, reviewer or signer).
- Anyone else gets 404 from the access helpers: they do not learn that the object exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from govinfo import grants
from govinfo.formats import clauses, display_datetime
from govinfo.orgs import roles
from govinfo.orgs.models import Role, Unit
from govinfo.rules import cite
from govinfo.workflow import READ_ONLY_REFUSAL

from . import rules
from .models import (
    Feedback,
    Resource,
    ResourceGroupObjectPermission,
    ResourceUserObjectPermission,
    ShareRequest,
    ShareType,
)

BIGDATA_CODE = "bigdata"
MAINTAIN = "catalogue.change_resource"
MAINTAINER_PERMS = ("view_resource", "change_resource", "delete_resource")


def grant_maintainers(resource: Resource, group) -> None:
    for codename in MAINTAINER_PERMS:
        assign_perm(codename, group, resource)


def is_bigdata(user) -> bool:
    return any(agency.code == BIGDATA_CODE for agency in roles.agencies_of(user))


def is_auditor(user) -> bool:
    return roles.is_auditor(user)


def sees_all(user) -> bool:
    """The Big-data centre (it checks the catalogue) and auditors see every resource and case."""
    return is_bigdata(user) or is_auditor(user)


def maintained_resources(user) -> QuerySet[Resource]:
    """Resources the user maintains through their units' (or agency's) groups. One subquery, no rows per user."""
    if not user.is_authenticated:
        return Resource.objects.none()
    # What guardian's get_objects_for_user(user, MAINTAIN, accept_global_perms=False) answers, as a
    # semi-join on the grant tables with the user's group ids read first (govinfo.grants): an OR of two
    # subqueries made PostgreSQL scan the whole catalogue on every home page.
    who = grants.holder(
        user, user_grants=ResourceUserObjectPermission, app_label="catalogue", codename="change_resource"
    )
    condition = grants.granted(
        who, group_grants=ResourceGroupObjectPermission, user_grants=ResourceUserObjectPermission
    )
    return Resource.objects.filter(condition) if condition is not None else Resource.objects.none()


def can_maintain(user, resource: Resource) -> bool:
    return bool(user.is_authenticated) and maintained_resources(user).filter(pk=resource.pk).exists()


def requesting_units(user) -> list[Unit]:
    return roles.units_of(user)


def get_resource_for_user(user, pk: int) -> Resource:
    """Access helper: the resource if the user may see it, else 404."""
    if not user.is_authenticated:
        raise Http404
    resource = Resource.objects.select_related("provider", "created_by").filter(pk=pk).first()
    if resource is None:
        raise Http404
    if resource.state in (Resource.State.PUBLISHED, Resource.State.RETIRED) or sees_all(user):
        return resource
    if can_maintain(user, resource):
        return resource
    raise Http404


def get_resource_for_maintainer(user, pk: int) -> Resource:
    """Access helper (write twin): only the resource's maintainers; 404 for everyone else."""
    resource = get_resource_for_user(user, pk)
    if not can_maintain(user, resource):
        raise Http404
    return resource


def visible_requests(user) -> QuerySet[ShareRequest]:
    if not user.is_authenticated:
        return ShareRequest.objects.none()
    if sees_all(user):
        return ShareRequest.objects.all()
    unit_ids = [unit.pk for unit in roles.units_of(user)]
    return ShareRequest.objects.filter(
        Q(requester_id__in=unit_ids) | Q(resource__in=maintained_resources(user).values("pk"))
    )


def get_request_for_user(user, pk: int) -> ShareRequest:
    found = (
        visible_requests(user)
        .select_related("resource__provider", "requester", "requested_by", "answered_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def visible_feedback(user) -> QuerySet[Feedback]:
    if not user.is_authenticated:
        return Feedback.objects.none()
    if sees_all(user):
        return Feedback.objects.all()
    unit_ids = [unit.pk for unit in roles.units_of(user)]
    return Feedback.objects.filter(
        Q(reporter_id__in=unit_ids) | Q(resource__in=maintained_resources(user).values("pk"))
    )


def get_feedback_for_user(user, pk: int) -> Feedback:
    found = (
        visible_feedback(user)
        .select_related("resource__provider", "reporter", "reported_by", "answered_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- guards: each answers None (allowed) or the reason, citing the rule ---


def why_cannot_create(user, unit: Unit | None = None) -> str | None:
    units = roles.units_of(user)
    if not units:
        return _(
            "只有项目单位经办人可以编制本单位的信息资源目录（川办法第二十条：项目单位应编制信息资源目录）。"
        )
    if unit is not None and unit not in units:
        return _("只能为本单位编制信息资源目录。")
    return None


def why_cannot_edit(user, resource: Resource) -> str | None:
    if not can_maintain(user, resource):
        return _("只有资源提供单位可以修改该资源。")
    if not resource.is_draft:
        return _("资源当前状态为“%(state)s”，只有草稿可以修改；已发布的资源如需调整请先停用后重新编目。") % {
            "state": resource.get_state_display()
        }
    return None


def why_cannot_submit(user, resource: Resource) -> str | None:
    reason = why_cannot_edit(user, resource)
    if reason:
        return reason
    if not resource.has_data_items():
        return str(rules.NEEDS_ITEMS)
    missing = rules.sharing_attribute_errors(
        resource.share_type, resource.share_condition, resource.share_scope, resource.legal_basis
    )
    if missing:
        return _("共享属性不完整：%(problems)s") % {"problems": clauses(sorted(set(missing.values())))}
    return None


def why_cannot_review(user, resource: Resource) -> str | None:
    """Publishing or returning a submitted resource is the Big-data centre's sign-off."""
    if not is_bigdata(user):
        return _(
            "目录发布由省大数据中心审核签发（川办法第五条、第三十三条：省大数据中心负责政务信息资源共享具体工作）。"
        )
    if resource.state != Resource.State.SUBMITTED:
        return _("资源当前状态为“%(state)s”，只有待发布的资源可以审核发布或退回。") % {
            "state": resource.get_state_display()
        }
    return None


def _bigdata_step(user, refusal: str) -> str | None:
    if roles.is_read_only(user):
        return str(READ_ONLY_REFUSAL)
    if not is_bigdata(user):
        return refusal
    return None


def why_cannot_confirm_violation(user) -> str | None:
    """R-CAT-1: the Big-data centre confirms a 重复采集 (or withdraws a confirmation made in error)."""
    return _bigdata_step(
        user,
        cite(
            "R-CAT-1",
            "第三十三条",
            _("重复采集数据由省大数据中心认定（省大数据中心按照有关规定归集、共享、开放数据资源）。"),
        ),
    )


def why_cannot_record_aggregation(user) -> str | None:
    """R-APP-12: the Big-data centre records (and clears) a unit's incomplete 数据归集."""
    return _bigdata_step(
        user,
        cite("R-APP-12", "第十二条", _("项目单位数据归集情况由省大数据中心记录。")),
    )


def why_cannot_retire(user, resource: Resource) -> str | None:
    if not (is_bigdata(user) or can_maintain(user, resource)):
        return _("只有资源提供单位或省大数据中心可以停用资源。")
    if not resource.is_published:
        return _("只有已发布的资源可以停用。")
    return None


def why_cannot_request(user, resource: Resource, unit: Unit | None = None) -> str | None:
    units = roles.units_of(user)
    if not units:
        return _("只有项目单位经办人可以代表本单位申请共享。")
    if unit is not None and unit not in units:
        return _("只能代表本单位申请共享。")
    if not resource.is_published:
        return _("只能申请已发布的资源。")
    if resource.share_type == ShareType.NONE:
        return rules.r_cat_2_not_shared(resource.legal_basis)
    requester = unit or units[0]
    if requester.pk == resource.provider_id:
        return _("本单位提供的资源无需申请共享。")
    if (
        ShareRequest.objects.filter(resource=resource, requester=requester)
        .filter(
            state__in=[ShareRequest.State.PENDING, ShareRequest.State.APPROVED, ShareRequest.State.GRANTED]
        )
        .exists()
    ):
        return _("本单位已有该资源的待答复或已获同意的共享申请，无需重复申请。")
    return None


def why_cannot_answer_request(user, share_request: ShareRequest) -> str | None:
    if not can_maintain(user, share_request.resource):
        return _("只有资源提供单位可以答复共享申请（R-CAT-3：有条件共享由提供部门决定）。")
    if not share_request.is_pending:
        return _("该申请已于%(when)s答复为“%(state)s”，不能再次答复。") % {
            "when": _when(share_request.answered_at),
            "state": share_request.get_state_display(),
        }
    return None


def units_using(resource: Resource) -> set[int]:
    """Units that use the resource: any unit when it is 无条件, else units with a granted request."""
    return set(
        ShareRequest.objects.filter(
            resource=resource, state__in=[ShareRequest.State.APPROVED, ShareRequest.State.GRANTED]
        ).values_list("requester_id", flat=True)
    )


def why_cannot_report(user, resource: Resource, unit: Unit | None = None) -> str | None:
    units = roles.units_of(user)
    if not units:
        return rules.r_cat_4_not_a_user()
    if unit is not None and unit not in units:
        return _("只能代表本单位提出反馈或异议。")
    if not resource.is_published:
        return _("只能对已发布的资源提出反馈或异议。")
    candidates = [unit] if unit else units
    candidates = [u for u in candidates if u.pk != resource.provider_id]
    if not candidates:
        return _("提供单位不能对本单位的资源提出异议；请直接修改或停用资源。")
    if resource.share_type == ShareType.UNCONDITIONAL:
        return None
    using = units_using(resource)
    if not any(u.pk in using for u in candidates):
        return rules.r_cat_4_not_a_user()
    return None


def reporting_units(user, resource: Resource) -> list[Unit]:
    """The user's units that may report on the resource (for the form's choice)."""
    units = [u for u in roles.units_of(user) if u.pk != resource.provider_id]
    if resource.share_type == ShareType.UNCONDITIONAL:
        return units
    using = units_using(resource)
    return [u for u in units if u.pk in using]


def why_cannot_answer_feedback(user, feedback: Feedback) -> str | None:
    if not can_maintain(user, feedback.resource):
        return _("只有资源提供单位可以答复数据反馈与异议（R-CAT-4）。")
    if not feedback.is_open:
        return _("该反馈已于%(when)s答复，不能再次答复。") % {"when": _when(feedback.answered_at)}
    return None


def can_import(user) -> bool:
    return bool(roles.units_of(user))


def is_applicant(user) -> bool:
    return roles.has_role(user, Role.APPLICANT)


def _when(moment) -> str:
    if moment is None:
        return ""
    return display_datetime(moment)
