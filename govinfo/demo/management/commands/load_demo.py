"""Load demo data: organisations, one login per role, and cases in every state.

Idempotent: a second run finds what the first made and adds nothing twice. Each app keeps its
own demo module with a ``load(context)`` function; they run in dependency order.
"""

from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand

from govinfo.demo.users import DEMO_PASSWORD, load_people, load_units
from govinfo.documents.files import atomic_with_files

APP_DEMO_MODULES = [
    "catalogue.demo",
    "projects.demo",
    "approvals.demo",
    "delivery.construction_demo",
    "delivery.demo",
]


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，不会重复创建）"

    def handle(self, *args, **options):
        # Files of documents issued by a load that fails half-way are deleted with its rows.
        with atomic_with_files():
            units = load_units()
            people = load_people(units)
            context = {"units": units}
            for module_name in APP_DEMO_MODULES:
                if find_spec(module_name) is not None:
                    import_module(module_name).load(context)
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号（统一密码：{DEMO_PASSWORD}）："))
        width = max(len(row["username"]) for row in people)
        for row in people:
            self.stdout.write(f"  {row['username']:<{width}}  {row['name']:<6}  {row['purpose']}")
