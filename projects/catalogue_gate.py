"""Where the application meets the 信息资源目录: the R-APP-2, R-APP-4 (sharing) and R-APP-12 (数据归集)
submit checks, and which catalogue entries an application may name.

- R-APP-2 (川办法 第二十条): 信息资源目录 is a required condition of approval, so an application names at
  least one current catalogue entry that the project produces or uses.
- R-APP-4 (川办法 第三十三条): a unit that does not share as it should (``catalogue.compliance``) may
  not file new projects; every violation is listed with its own rule. A 重复采集 the Big-data centre
  confirmed bars the unit's other new projects of the following year. Both also guard NDRC's 批复.
- R-APP-12 (川办法 第十二条): a unit the Big-data centre records as not having completed its 数据归集
  files no new project.
- Linking: as 产生 (produced) only the lead unit's own resources — a project produces its unit's data,
  which the unit catalogues as a draft alongside the application; as 使用 (used) any published
  resource, or the unit's own. Retired resources are not linked anew.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.compliance import aggregation_shortfall, violations_barring
from catalogue.models import Resource
from govinfo.formats import display_date
from govinfo.rules import cite

from .checks import r_app_1_funding, r_app_3_predecessor_accepted, register, register_block
from .guards import Failure
from .models import Project, ProjectResource

SECTION = "catalogue"
OWN_LINKABLE_STATES = (Resource.State.DRAFT, Resource.State.SUBMITTED, Resource.State.PUBLISHED)


def r_app_2_has_catalogue_entry(project: Project) -> list[Failure]:
    links = list(project.resource_links.select_related("resource").order_by("id"))
    retired = [link for link in links if link.resource.state == Resource.State.RETIRED]
    failures = []
    if len(retired) == len(links):
        failures.append(
            Failure(
                "R-APP-2",
                "第二十条",
                _(
                    "项目尚未关联信息资源目录条目。信息资源目录是审批政务信息化项目的必备条件，"
                    "请在“信息资源目录”中关联本项目产生或使用的目录条目（本单位尚未编目的，请先新建目录条目）。"
                ),
                SECTION,
            )
        )
    for link in retired:
        failures.append(
            Failure(
                "R-APP-2",
                "第二十条",
                _("关联的信息资源“%(name)s”（%(code)s）已停用，请移除该关联，改为关联现行的目录条目。")
                % {"name": link.resource.name, "code": link.resource.code},
                SECTION,
            )
        )
    return failures


def r_app_4_no_confirmed_sharing_violation(project: Project) -> list[Failure]:
    """第三十三条: a 重复采集 the Big-data centre confirmed bars the unit's *other* new projects of the following
    year; the project that produces the violating resource is not "other" and is not barred by it."""
    if project.year is None:
        return []
    violations = violations_barring(project.lead_unit, project.year)
    if not violations:
        return []
    own = set(
        project.resource_links.filter(relation=ProjectResource.Relation.PRODUCED).values_list(
            "resource_id", flat=True
        )
    )
    return [
        Failure(
            "R-APP-4",
            "第三十三条",
            _(
                "本单位“%(resource)s”（%(code)s）经省大数据中心于%(date)s认定为%(kind)s（%(rule)s），"
                "不予审批本单位%(year)d年度其他新建、改建、扩建政务信息系统。"
            )
            % {
                "resource": violation.resource.name,
                "code": violation.resource.code,
                "date": display_date(violation.confirmed_at),
                "kind": violation.get_kind_display(),
                "rule": "R-CAT-1",
                "year": violation.bars_year,
            },
            url=reverse("catalogue:resource", args=[violation.resource_id]),
        )
        for violation in violations
        if violation.resource_id not in own
    ]


def r_app_12_data_aggregation_completed(project: Project) -> list[Failure]:
    """第十二条: a unit that has not completed its 数据归集 does not file new projects (a project already
    submitted once — resubmitted, or at its 初步设计 stage — is not new)."""
    if project.first_submitted_at is not None:
        return []
    shortfall = aggregation_shortfall(project.lead_unit)
    if shortfall is None:
        return []
    return [
        Failure(
            "R-APP-12",
            "第十二条",
            _(
                "省大数据中心于%(date)s记录本单位未按技术要求完成数据归集（%(reason)s），"
                "完成归集并经省大数据中心解除记录前，原则上不得申报新增项目。"
            )
            % {"date": display_date(shortfall.recorded_at), "reason": shortfall.reason.strip().rstrip("。")},
        )
    ]


register(r_app_2_has_catalogue_entry, after=r_app_1_funding)
register(r_app_4_no_confirmed_sharing_violation, after=r_app_3_predecessor_accepted)
register_block(r_app_4_no_confirmed_sharing_violation)
register(r_app_12_data_aggregation_completed)
# Other sharing violations (overdue answers, produced data not catalogued) bar the unit through
# ``delivery.blocking`` with its other R-APP-4 bars, from the following year on (第三十三条).


# -- which entries may be linked --------------------------------------------------------------


def linkable_resources(project: Project, relation: str = "") -> QuerySet[Resource]:
    """Resources the application may name with ``relation`` (either relation when blank)."""
    own = Q(provider_id=project.lead_unit_id, state__in=OWN_LINKABLE_STATES)
    if relation == ProjectResource.Relation.PRODUCED:
        return Resource.objects.filter(own)
    return Resource.objects.filter(own | Q(state=Resource.State.PUBLISHED))


def allowed_relations(project: Project, resource: Resource) -> list[str]:
    """The relations ``resource`` may be linked with, decided from the row alone (no query)."""
    if resource.provider_id == project.lead_unit_id and resource.state in OWN_LINKABLE_STATES:
        return [ProjectResource.Relation.PRODUCED, ProjectResource.Relation.USED]
    if resource.state == Resource.State.PUBLISHED:
        return [ProjectResource.Relation.USED]
    return []


def why_cannot_link(project: Project, resource: Resource, relation: str) -> str | None:
    """None when the link is allowed, else the reason in plain language with the rule."""
    if relation not in ProjectResource.Relation.values:
        return _("请选择该资源与本项目的关系：产生或使用。")
    if resource.state == Resource.State.RETIRED:
        return cite(
            "R-APP-2",
            "第二十条",
            _("信息资源“%(name)s”已停用，不能再与项目关联，请关联现行的目录条目。") % {"name": resource.name},
        )
    own = resource.provider_id == project.lead_unit_id
    if relation == ProjectResource.Relation.PRODUCED and not own:
        return cite(
            "R-APP-2",
            "第二十条",
            _(
                "项目产生的信息资源由本单位编目：“%(name)s”由%(provider)s提供，只能作为“使用”的资源关联；"
                "本项目产生的数据请先新建本单位的目录条目。"
            )
            % {"name": resource.name, "provider": resource.provider.name},
        )
    if not own and resource.state != Resource.State.PUBLISHED:
        return cite("R-APP-2", "第二十条", _("其他单位的信息资源须在目录中发布后才能作为“使用”的资源关联。"))
    return None
