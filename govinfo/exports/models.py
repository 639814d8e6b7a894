"""A background export: who asked for what, how far it has got, and the file when it is done."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _file_path(instance: ExportJob, filename: str) -> str:
    # Never the user's words in a stored name: the job's id and the format only.
    return f"exports/{instance.created_at:%Y/%m}/{instance.pk.hex}.{instance.format}"


class ExportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (XLSX)"
        CSV = "csv", "CSV"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    identifier = models.CharField(_("导出类型"), max_length=64)
    format = models.CharField(_("格式"), max_length=8, choices=Format.choices)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.QUEUED)
    rows_expected = models.PositiveIntegerField(_("预计行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    file = models.FileField(_("文件"), upload_to=_file_path, max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="export_job_user_idx")]

    def __str__(self) -> str:
        return f"{self.identifier}.{self.format} · {self.get_state_display()}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_expected:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_expected))

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
