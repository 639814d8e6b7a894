from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """Working days: the official 放假安排 (library or entered), else the statutory holidays computed."""

    name = "govinfo.workdays"
    label = "workdays"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from govinfo.home import todo

        from .todo import schedule_todos

        todo.register(schedule_todos)
