from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "govinfo.audit"
    label = "audit"
    verbose_name = _("审计留痕")

    def ready(self):
        from . import signals  # noqa: F401  (login / logout events)
