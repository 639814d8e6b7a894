"""manage.py backup [PATH]: the database and every stored file in one archive, with a SHA-256 manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govinfo.backup import archive


class Command(BaseCommand):
    help = _("备份数据库和全部存储文件（申报材料、已签发公文）到一个归档文件，附 SHA-256 清单")

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help=_("归档文件路径，或已有的目录（默认：当前目录下带时间戳的文件名）")
        )

    def handle(self, *args, path=None, **options):
        target = Path(path) if path else Path(archive.default_name())
        if target.is_dir():
            target = target / archive.default_name()
        try:
            summary = archive.backup(target)
        except archive.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("已备份数据库和 %(files)d 个文件（%(mb).1f MB）到 %(path)s")
            % {"files": summary.files, "mb": summary.bytes / 2**20, "path": summary.path}
        )
