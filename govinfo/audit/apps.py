from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "govinfo.audit"
    label = "audit"
    verbose_name = _("审计留痕")

    def ready(self):
        from . import (
            admin_log,  # noqa: F401  (Django admin changes become audit events)
            exports,  # noqa: F401  (the audit trail exporter)
            guard,  # noqa: F401  (the SQLite function the DELETE trigger asks)
            signals,  # noqa: F401  (login / logout events)
            verification,  # noqa: F401  (the chain verification's action)
        )
