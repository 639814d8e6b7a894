"""The registry of audit actions: dotted names and the words the timeline and exports show.

Each app registers its own actions in its AppConfig.ready(), e.g.
``register("projects.project.submitted", _("提交申报"))``.
"""

from django.utils.translation import gettext_lazy as _

_REGISTRY: dict[str, object] = {}


def register(action: str, label) -> None:
    if "." not in action:
        raise ValueError(f"audit action names are dotted, app first: {action!r}")
    _REGISTRY[action] = label


def is_registered(action: str) -> bool:
    return action in _REGISTRY


def describe(action: str) -> str:
    return str(_REGISTRY.get(action, action))


def registered() -> dict[str, str]:
    return {name: str(label) for name, label in sorted(_REGISTRY.items())}


register("govinfo.user.logged_in", _("登录"))
register("govinfo.user.logged_out", _("退出登录"))
register("govinfo.user.login_failed", _("登录失败"))
register("govinfo.action.refused", _("操作被拒绝"))
register("govinfo.membership.changed", _("调整成员角色"))
register("govinfo.calendar.changed", _("调整工作日历"))
