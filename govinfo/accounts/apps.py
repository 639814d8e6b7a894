from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "govinfo.accounts"
    label = "accounts"

    def ready(self):
        from govinfo.audit.actions import register

        from . import lockout  # noqa: F401  (records lockouts from axes' signal)

        register(lockout.LOCKED_OUT, _("登录失败次数过多，已锁定"))
        register(lockout.UNLOCKED, _("解除登录锁定"))
        register("govinfo.user.password_changed", _("修改密码"))
        register("govinfo.user.password_reset", _("通过邮件重置密码"))
        from . import idle  # noqa: F401  registers the idle sign-out's audit action
