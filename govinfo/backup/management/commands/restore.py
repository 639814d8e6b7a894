"""manage.py restore PATH: an archive of ``manage.py backup`` into an empty database and storage, checked."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govinfo.backup import archive


class Command(BaseCommand):
    help = _("从 backup 生成的归档恢复到空数据库和空文件目录，并逐一核对文件的 SHA-256")
    requires_system_checks = []  # the database is empty until the restore has run

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("backup 生成的归档文件"))
        parser.add_argument(
            "--check", action="store_true", help=_("只核对归档的完整性（SHA-256），不恢复任何内容")
        )

    def handle(self, *args, path, check=False, **options):
        try:
            if check:
                manifest = archive.check(Path(path))
                self.stdout.write(
                    _("归档完整：数据库和 %(files)d 个文件的 SHA-256 均与清单一致（备份于 %(when)s）。")
                    % {"files": len(manifest["files"]), "when": manifest["created_at"]}
                )
                return
            summary = archive.restore(Path(path))
        except archive.BackupError as exc:
            raise CommandError(str(exc)) from None
        for problem in summary.problems:
            self.stderr.write(problem)
        if summary.problems:
            raise CommandError(
                _("恢复完成，但有 %(count)d 处文件与记录不符（见上）。") % {"count": len(summary.problems)}
            )
        checked = sum(summary.counts.values())
        self.stdout.write(
            _(
                "已恢复数据库和 %(files)d 个文件；%(checked)d 个被记录引用的文件均已核对。"
                "如代码比备份新，请接着运行 manage.py migrate。"
            )
            % {"files": summary.files, "checked": checked}
        )
