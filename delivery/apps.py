from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Each part of the years after the 批复 registers its rows of the lifecycle table, its audit actions,
# to-do items and page links from its own module's ``register()``.
PARTS = [
    "filing",
    "changes",
    "supervision",
    "monitoring",
    "acceptance",
    "evaluation",
    "reminders",
    "blocking",
    "overdue",
]


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = _("建设到评价")

    def ready(self) -> None:
        for part in PARTS:
            module_name = f"{self.name}.{part}"
            if find_spec(module_name) is not None:
                module = import_module(module_name)
                if hasattr(module, "register"):
                    module.register()
        from . import exports  # noqa: F401  registers the changes, acceptance and evaluation exporters
