"""Load demo data: organisations, one login per role, and cases in every state.

Idempotent: a second run finds what the first made and adds nothing twice. Each app keeps its
own demo module with a ``load(context)`` function; they run in dependency order.

Every demo login has the password printed in the README, so on a production site (DEBUG off) the
command refuses unless told that this is what is wanted: ``--allow-demo-passwords`` or
``GOVINFO_ALLOW_DEMO_PASSWORDS=1`` (a training or test site). ``bin/serve`` runs with DEBUG on.
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-passwords",
            action="store_true",
            help="在生产设置（DEBUG 关闭）下也创建使用公开演示密码的账号（仅用于培训或测试站点）",
        )

    def handle(self, *args, **options):
        if not (settings.GOVINFO_ALLOW_DEMO_PASSWORDS or options["allow_demo_passwords"]):
            raise CommandError(
                _(
                    "这是生产设置（DEBUG 关闭）：演示账号的密码是公开的，不能在生产站点创建。"
                    "培训或测试站点请加 --allow-demo-passwords 或设置 GOVINFO_ALLOW_DEMO_PASSWORDS=1。"
                )
            )
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
