from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "govinfo.exports"
    label = "exports"
    verbose_name = _("数据导出")

    def ready(self):
        from govinfo.audit import actions

        actions.register("govinfo.export.created", _("导出数据"))
        actions.register("govinfo.export.queued", _("提交后台导出"))
        actions.register("govinfo.export.downloaded", _("下载导出文件"))
