from django.apps import AppConfig
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("项目")

    def ready(self):
        from catalogue import links
        from govinfo.audit import actions, cases
        from govinfo.home import nav, todo
        from govinfo.orgs.models import Role

        from . import (
            catalogue_gate,  # noqa: F401  registers the R-APP-2 submit check
            exports,  # noqa: F401  registers the project register's exporter
            lifecycle,  # noqa: F401  registers the application's rows of the lifecycle table
            story,
        )
        from .catalogue_links import ProjectLinks
        from .todo import applicant_todo

        actions.register("projects.project.created", _("新建项目"))
        actions.register("projects.project.updated", _("保存申报内容"))
        actions.register("projects.project.participants_changed", _("调整参建单位"))
        actions.register("projects.project.submitted", _("提交申报"))
        actions.register("projects.project.resubmitted", _("修改后重新申报"))
        actions.register("projects.project.returned", _("退回修改"))
        actions.register("projects.project.accepted", _("受理审查"))
        actions.register("projects.project.resource_linked", _("关联信息资源目录"))
        actions.register("projects.project.resource_unlinked", _("移除关联信息资源"))
        actions.register("projects.material.uploaded", _("上传申报材料"))
        actions.register("projects.material.downloaded", _("下载申报材料"))
        actions.register("projects.revision.frozen", _("形成申报版本"))
        actions.register("projects.project.returned_to_feasibility", _("重大变更，重新报批可行性研究报告"))

        nav.register(
            nav.NavEntry(
                _("我的项目"),
                "projects:list",
                nav.with_role(Role.APPLICANT),
                order=20,
                match_prefix="/projects/",
            )
        )
        todo.register(applicant_todo)
        links.register(ProjectLinks())
        story.hide("projects.material.downloaded")
        story.register_lines("projects.project.resource_linked", _resource_lines)
        story.register_lines("projects.project.resource_unlinked", _resource_lines)
        story.register_lines("projects.revision.frozen", _revision_lines)
        # Which case an audit event about a project's parts belongs to: the project.
        cases.register("projects.Project")
        for part in ("Material", "ApplicationRevision", "ProjectResource", "ProjectParticipant"):
            cases.register(f"projects.{part}", lambda obj: obj.project)


def _revision_lines(details: dict) -> list[str]:
    if not details.get("number"):
        return []
    return [gettext("第%(n)s版") % {"n": details["number"]}]


def _resource_lines(details: dict) -> list[str]:
    """关联信息资源目录: "使用：居民电子健康档案（111112001/0002）"."""
    if not (details.get("relation") and details.get("resource")):
        return []
    # Built from the words the page used before the story read the trail, so their translations hold.
    return [
        gettext(details["relation"])
        + pgettext("label separator", "：")
        + details.get("name", "")
        + gettext("（%(detail)s）") % {"detail": details["resource"]}
    ]
