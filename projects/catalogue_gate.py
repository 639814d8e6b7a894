"""Where the application meets the 信息资源目录: the R-APP-2 submit check, and which catalogue entries an
application may name.

- R-APP-2 (川办法 第二十条): 信息资源目录 is a required condition of approval, so an application names at
  least one current catalogue entry that the project produces or uses.
- R-APP-4 (川办法 第三十三条): a unit that does not share as it should (``catalogue.compliance``) may
  not file new projects of the following year; ``delivery.blocking`` checks it with the unit's other bars.
- Linking: as 产生 (produced) only the lead unit's own resources — a project produces its unit's data,
  which the unit catalogues as a draft alongside the application; as 使用 (used) any published
  resource, or the unit's own. Retired resources are not linked anew.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from catalogue.models import Resource
from govinfo.rules import cite

from .checks import r_app_1_funding, register
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


register(r_app_2_has_catalogue_entry, after=r_app_1_funding)


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
