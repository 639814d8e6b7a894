from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "govinfo.notices"
    label = "notices"
    verbose_name = _("通知")

    def ready(self) -> None:
        from govinfo.audit import actions
        from govinfo.home import todo

        from .todo import notice_todo

        actions.register("notices.notice.sent", _("发出通知"))
        actions.register("notices.notice.acknowledged", _("签收通知"))
        todo.register(notice_todo)
