"""How the catalogue learns which projects produce or use a resource, without importing projects.

The arrows of ARCHITECTURE.md run catalogue ← projects: the link rows (project, resource,
produced/used) live in the projects app, which registers a source here in its AppConfig.ready().
With no source registered (projects not installed) the catalogue simply knows of no projects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ProjectRef:
    """A project as the catalogue shows it: enough to list and link to it."""

    pk: int
    code: str  # 项目代码, "" before first submission
    name: str
    url: str
    unit_name: str
    relation: str  # "produced" (产生) or "used" (使用)
    relation_label: str


class ProjectLinkSource(Protocol):
    def projects_for_resources(self, resource_ids: list[int]) -> dict[int, list[ProjectRef]]:
        """Projects linked to each resource, in one query for the whole list."""

    def unpublished_produced(self, unit_id: int) -> list[tuple[ProjectRef, int]]:
        """(project, resource id) for every resource the unit's projects declare they produce
        that is not yet in the catalogue (R-CAT-1). Only projects that have entered operation count:
        an application's planned data does not exist yet (see projects/catalogue_links.py)."""


_source: ProjectLinkSource | None = None


def register(source: ProjectLinkSource) -> None:
    global _source
    _source = source


def projects_for_resources(resource_ids: list[int]) -> dict[int, list[ProjectRef]]:
    return _source.projects_for_resources(resource_ids) if _source else {}


def unpublished_produced(unit_id: int) -> list[tuple[ProjectRef, int]]:
    return _source.unpublished_produced(unit_id) if _source else []
