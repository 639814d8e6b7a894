"""Send the day's reminders: due soon and overdue items, each once (``delivery.reminders``).

Safe to run daily from cron (README, "Reminders"): what was sent is recorded, so a second run the same
day — or two runs at once — sends nothing twice.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from delivery import reminders


class Command(BaseCommand):
    help = "发送到期和逾期提醒（绩效监控报告、验收、自评价、审核任务、共享申请），同一事项同一期次只发一次"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要提醒的事项，不发送、不记录")

    def handle(self, *args, date=None, dry_run=False, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from None
        if dry_run:
            items = reminders.collect(today)
            for item in items:
                self.stdout.write(f"{item.kind}\t{item.due:%Y-%m-%d}\t{item.subject}")
            self.stdout.write(f"共 {len(items)} 项到期或逾期事项（未发送）。")
            return
        sent = reminders.send(today)
        for reminder in sent:
            self.stdout.write(f"{reminder.kind}\t{reminder.subject}\t{len(reminder.recipients)} 位收件人")
        self.stdout.write(self.style.SUCCESS(f"已发送 {len(sent)} 条提醒。"))
