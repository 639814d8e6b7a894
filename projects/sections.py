"""The application form's sections, in order, and how complete each one is."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from govinfo.formats import series

from .guards import Failure
from .models import ApplicationStage, Project, stage_of


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    rules: tuple[str, ...]

    @property
    def rule_hint(self) -> str:
        return series(self.rules)

    def applies_to(self, project: Project) -> bool:
        # 购买服务条件 only concern 购买服务 projects (川办法 第十九条); the comparison with the 可研 批复
        # only a 初步设计 (第二十五条).
        if self.key == "purchase":
            return project.is_purchase
        if self.key == "design":
            return stage_of(project) == ApplicationStage.PRELIMINARY_DESIGN
        return True


SECTIONS = [
    Section("basic", _("基本情况"), ("R-APP-1", "R-APP-3")),
    Section("technical", _("技术方案"), ("R-APP-1", "R-APP-10", "R-APP-11", "R-APP-12")),
    Section("funding", _("资金来源"), ("R-APP-1", "R-APP-8")),
    Section("design", _("初步设计调整"), ("R-APP-9",)),
    Section("exclusions", _("不予立项自查"), ("R-APP-5",)),
    Section("purchase", _("购买服务条件"), ("R-APP-7",)),
    Section("participants", _("参建单位"), ("R-APP-6",)),
    Section("catalogue", _("信息资源目录"), ("R-APP-2",)),
    Section("materials", _("申报材料"), ("R-APP-1", "R-APP-9", "R-APP-10")),
]
BY_KEY = {section.key: section for section in SECTIONS}


def progress(project: Project, failures: list[Failure]) -> list[dict]:
    """Each applicable section with its open failures, for the section list and the project page."""
    rows = []
    for section in SECTIONS:
        if not section.applies_to(project):
            continue
        open_items = [f for f in failures if f.section == section.key]
        rows.append({"section": section, "failures": open_items, "complete": not open_items})
    return rows
