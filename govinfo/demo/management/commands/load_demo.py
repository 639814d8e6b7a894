"""Load demo data: organisations, one login per role, and (as later issues add them) cases in every state.

Idempotent: a second run finds what the first made and adds nothing twice.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from govinfo.demo.users import DEMO_PASSWORD, load_people, load_units


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，不会重复创建）"

    def handle(self, *args, **options):
        with transaction.atomic():
            units = load_units()
            people = load_people(units)
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号（统一密码：{DEMO_PASSWORD}）："))
        width = max(len(row["username"]) for row in people)
        for row in people:
            self.stdout.write(f"  {row['username']:<{width}}  {row['name']:<6}  {row['purpose']}")
