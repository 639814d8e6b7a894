from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "govinfo.home"
    label = "home"
    verbose_name = _("首页与待办")

    def ready(self):
        from . import nav

        nav.register(nav.NavEntry(_("待办事项"), "home", nav.anyone, order=0, match_prefix="/"))
        nav.register(
            nav.NavEntry(
                _("系统管理"), "admin:index", lambda user: user.is_staff, order=900, match_prefix="/admin/"
            )
        )
