"""Delete what killed workers left: stale files in the upload folder, and stored materials no row names."""

import datetime as dt

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from govinfo import uploads
from govinfo.documents.files import sweep_orphans
from projects.models import Material


def _referenced(names: list[str]) -> set[str]:
    return set(Material.objects.filter(file__in=names).values_list("file", flat=True))


class Command(BaseCommand):
    help = _("删除中断的上传遗留的临时文件，以及没有对应记录的申报材料文件")

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help=_("只删除早于该分钟数的文件：更新的文件可能属于仍在进行的上传"),
        )

    def handle(self, *args, older_than_minutes: int, **options):
        age = dt.timedelta(minutes=older_than_minutes)
        temporary = uploads.sweep_stale(age)
        materials = sweep_orphans(default_storage, "projects", _referenced, age)
        for name in [*temporary, *materials]:
            self.stdout.write(name)
        self.stdout.write(
            _("已删除 %(temp)d 个上传临时文件、%(files)d 个无记录的材料文件。")
            % {"temp": len(temporary), "files": len(materials)}
        )
