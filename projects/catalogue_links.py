"""The projects side of ``catalogue.links``: which projects produce or use a resource (DOMAIN §5 关联项目).

Registered in ``ProjectsConfig.ready()``; the catalogue asks through the protocol and never imports
projects (ARCHITECTURE.md: catalogue ← projects).
"""

from __future__ import annotations

from django.urls import reverse

from catalogue.links import ProjectRef
from catalogue.models import Resource

from .models import ProjectResource, State

# R-CAT-1 (川办法 第十一条: 项目产生的政务信息资源应纳入目录并共享; 第三十三条: 未按要求共享数据资源的
# 不予审批新建、改建、扩建项目) is about data a project actually produces. A project still being applied
# for, reviewed, approved or built produces no data yet: the resources it declares are plans, normally
# drafts the unit catalogues alongside the application (第二十条). Counting them would make every new
# application that links its own draft resource block its own submission through R-APP-4. Data exists
# once the system runs, so the duty starts with trial operation and lasts through operation and
# evaluation. Suspended and terminated projects never ran; they are left out.
PRODUCING_STATES = (
    State.TRIAL_OPERATION,
    State.ACCEPTANCE_REVIEW,
    State.ACCEPTANCE_FAILED,
    State.IN_OPERATION,
    State.SELF_EVALUATED,
    State.EVALUATED,
)
# Not yet in the catalogue. A retired resource was published (signed off by the Big-data centre) and
# later withdrawn on the record; it went into the catalogue, and an operating project cannot relink, so
# counting it would block the unit with no way to comply.
NOT_YET_CATALOGUED = (Resource.State.DRAFT, Resource.State.SUBMITTED)


def _ref(link: ProjectResource) -> ProjectRef:
    project = link.project
    return ProjectRef(
        pk=project.pk,
        code=project.code or "",
        name=project.name,
        url=reverse("projects:detail", args=[project.pk]),
        unit_name=project.lead_unit.name,
        relation=link.relation,
        relation_label=str(link.get_relation_display()),
    )


class ProjectLinks:
    """``catalogue.links.ProjectLinkSource`` backed by ``ProjectResource`` rows."""

    def projects_for_resources(self, resource_ids: list[int]) -> dict[int, list[ProjectRef]]:
        """Linked projects that have been submitted at least once (they carry a 项目代码).

        Anyone who may read a resource sees this list; a draft is still the unit's own working paper,
        so its name does not appear on another unit's screen before it is filed.
        """
        found: dict[int, list[ProjectRef]] = {}
        links = (
            ProjectResource.objects.filter(resource_id__in=resource_ids)
            .filter(project__code__isnull=False)
            .select_related("project__lead_unit")
            .order_by("resource_id", "project_id", "relation")
        )
        for link in links:
            found.setdefault(link.resource_id, []).append(_ref(link))
        return found

    def unpublished_produced(self, unit_id: int) -> list[tuple[ProjectRef, int]]:
        """Resources the unit's operating projects produce that are not yet in the catalogue (R-CAT-1)."""
        links = (
            ProjectResource.objects.filter(
                project__lead_unit_id=unit_id,
                project__state__in=PRODUCING_STATES,
                relation=ProjectResource.Relation.PRODUCED,
                resource__state__in=NOT_YET_CATALOGUED,
            )
            .select_related("project__lead_unit")
            .order_by("project_id", "resource_id")
        )
        return [(_ref(link), link.resource_id) for link in links]
