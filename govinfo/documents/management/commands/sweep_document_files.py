"""Delete stored document files that no issued document names (left by a process killed mid-issue)."""

import datetime as dt

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from govinfo.documents.files import sweep_orphans
from govinfo.documents.models import IssuedDocument


def _referenced(names: list[str]) -> set[str]:
    return set(IssuedDocument.objects.filter(pdf__in=names).values_list("pdf", flat=True))


class Command(BaseCommand):
    help = _("删除没有对应签发记录的公文文件（签发过程中进程中断时遗留）")

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help=_("只删除早于该分钟数的文件：更新的文件可能属于尚未提交的签发"),
        )

    def handle(self, *args, older_than_minutes: int, **options):
        deleted = sweep_orphans(
            default_storage, "documents", _referenced, dt.timedelta(minutes=older_than_minutes)
        )
        for name in deleted:
            self.stdout.write(name)
        self.stdout.write(_("已删除 %(count)d 个遗留文件。") % {"count": len(deleted)})
