from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("信息资源目录")

    def ready(self):
        from govinfo.audit import actions, cases
        from govinfo.home import nav, todo
        from govinfo.workdays import deadlines

        from . import exports, lifecycle, todos  # noqa: F401  lifecycle registers the catalogue's rows

        for name, label in AUDIT_ACTIONS:
            actions.register(name, label)
        nav.register(
            nav.NavEntry(
                _("信息资源目录"),
                "catalogue:list",
                nav.anyone,
                order=20,
                match_prefix="/catalogue/resources/",
            )
        )
        nav.register(nav.NavEntry(_("我的目录"), "catalogue:mine", todos.is_applicant, order=21))
        nav.register(nav.NavEntry(_("目录发布"), "catalogue:queue", todos.is_bigdata, order=22))
        nav.register(nav.NavEntry(_("数据归集"), "catalogue:aggregation", todos.is_bigdata, order=23))
        todo.register(todos.provider_todos)
        todo.register(todos.bigdata_todos)
        deadlines.register(todos.open_deadlines)
        # A resource, a share request and a feedback are each a case of their own in the audit trail.
        for model in ("Resource", "ShareRequest", "Feedback"):
            cases.register(f"catalogue.{model}")
        cases.register("catalogue.DataItem", lambda item: item.resource)
        register_overdue()
        from django.db.models.signals import post_delete

        from .conflicts import item_deleted
        from .models import DataItem

        post_delete.connect(item_deleted, sender=DataItem, dispatch_uid="catalogue.conflicts.item_deleted")


def register_overdue():
    """Answers owed by providers (R-CAT-3, R-CAT-4) on the auditor's dashboard."""
    from govinfo import overdue

    from .models import Feedback, ShareRequest

    overdue.register(
        overdue.Source(
            "share-requests",
            _("逾期未答复的共享申请"),
            lambda today: ShareRequest.objects.overdue(today).count(),
            rule="R-CAT-3",
        )
    )
    overdue.register(
        overdue.Source(
            "feedback",
            _("逾期未答复的数据反馈与异议"),
            lambda today: Feedback.objects.open().filter(due_date__lt=today).count(),
            rule="R-CAT-4",
        )
    )


AUDIT_ACTIONS = [
    ("catalogue.resource.created", _("新建目录资源")),
    ("catalogue.resource.updated", _("修改目录资源")),
    ("catalogue.resource.imported", _("导入目录资源")),
    ("catalogue.resource.submitted", _("报送目录发布")),
    ("catalogue.resource.returned", _("退回目录资源")),
    ("catalogue.resource.published", _("发布目录资源")),
    ("catalogue.resource.retired", _("停用目录资源")),
    ("catalogue.share_request.created", _("提出共享申请")),
    ("catalogue.share_request.granted", _("无条件共享登记")),
    ("catalogue.share_request.approved", _("同意共享申请")),
    ("catalogue.share_request.refused", _("不同意共享申请")),
    ("catalogue.feedback.reported", _("提出数据反馈或异议")),
    ("catalogue.feedback.answered", _("答复数据反馈或异议")),
    ("catalogue.violation.confirmed", _("认定重复采集（数据共享违规）")),
    ("catalogue.violation.withdrawn", _("撤销数据共享违规认定")),
    ("catalogue.aggregation.recorded", _("记录未完成数据归集")),
    ("catalogue.aggregation.cleared", _("解除未完成数据归集记录")),
]
