"""``manage.py prune_exports [--days 7]``: delete background exports (rows and files) older than that.

An export file holds what its owner could see when it was made; it is not kept for ever. Run daily.
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from govinfo.exports.models import ExportJob


class Command(BaseCommand):
    help = "Delete background export jobs and their files older than --days (default 7)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, days: int, **options):
        cutoff = timezone.now() - dt.timedelta(days=days)
        removed = 0
        for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator():
            if job.file:
                job.file.delete(save=False)
            job.delete()
            removed += 1
        self.stdout.write(f"{removed} export jobs older than {days} days removed.")
