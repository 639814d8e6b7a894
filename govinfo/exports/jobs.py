"""Running an export now (a download) or in the background (a job with progress and a file)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files import File
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo.audit import trail

from . import forms, registry, writers
from .models import ExportJob

log = logging.getLogger(__name__)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def sync_limit() -> int:
    """Up to this many rows an export is sent at once; above, it runs as a background job."""
    return int(getattr(settings, "GOVINFO_EXPORT_SYNC_ROWS", 20000))


def filename(exporter: registry.Exporter, fmt: str) -> str:
    return f"{exporter.verbose_name}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def _widths(exporter: registry.Exporter) -> list[int]:
    return [column.width for column in exporter.columns()]


def write(
    exporter: registry.Exporter, user, filters: Mapping[str, Any], fmt: str, target, progress=None
) -> int:
    """Write the whole export to a binary file; returns the number of rows."""
    rows = exporter.iter_rows(user, filters)
    if fmt == "csv":
        return writers.write_csv(target, exporter.headers(), rows, progress=progress)
    return writers.write_xlsx(
        target,
        exporter.headers(),
        rows,
        title=str(exporter.verbose_name),
        widths=_widths(exporter),
        progress=progress,
    )


def _record(action: str, user, exporter, fmt: str, filters: Mapping, **more) -> None:
    trail.record(
        action,
        actor=user,
        details={
            "exporter": exporter.identifier,
            "format": fmt,
            "filters": forms.filters_as_json(dict(filters)),
            **more,
        },
    )


def respond(exporter: registry.Exporter, user, filters: Mapping[str, Any], fmt: str):
    """The export as a download: CSV streamed row by row, XLSX from a temporary file."""
    name = filename(exporter, fmt)
    if fmt == "csv":
        _record("govinfo.export.created", user, exporter, fmt, filters)
        response = StreamingHttpResponse(
            writers.iter_csv(exporter.headers(), exporter.iter_rows(user, filters)),
            content_type=CONTENT_TYPES["csv"],
        )
        response["Content-Disposition"] = _disposition(name)
        return response
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    rows = write(exporter, user, filters, fmt, handle)
    handle.seek(0)
    _record("govinfo.export.created", user, exporter, fmt, filters, rows=rows)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES["xlsx"])


def _disposition(name: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, name)


def start(
    exporter: registry.Exporter, user, filters: Mapping[str, Any], fmt: str, expected: int
) -> ExportJob:
    """Queue a background export; the worker (or, in tests, the immediate backend) runs ``run``."""
    from .tasks import run_export_job

    job = ExportJob.objects.create(
        user=user,
        identifier=exporter.identifier,
        format=fmt,
        filters=forms.filters_as_json(dict(filters)),
        rows_expected=expected,
    )
    _record("govinfo.export.queued", user, exporter, fmt, filters, job=str(job.pk))
    run_export_job.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


def run(job_id: str) -> int:
    """Write a job's file, reporting progress on the job row as it goes."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.is_finished:
        return job.rows_done
    exporter = registry.get(job.identifier)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, started_at=timezone.now())
    try:
        if exporter is None or not exporter.allowed(job.user):
            raise PermissionError(_("该导出不存在或您无权导出。"))
        filters = forms.cleaned_filters(exporter, job.filters)
        # The total, exactly, now that the job runs anyway: the progress bar's 100 %.
        total = exporter.estimate(job.user, filters, limit=10**9)
        ExportJob.objects.filter(pk=job.pk).update(rows_expected=total)

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

        with tempfile.TemporaryFile(suffix=f".{job.format}") as handle:
            rows = write(exporter, job.user, filters, job.format, handle, progress=progress)
            handle.seek(0)
            job.file.save(f"{job.pk.hex}.{job.format}", File(handle), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.DONE, rows_done=rows, file=job.file.name, finished_at=timezone.now()
        )
        _record("govinfo.export.created", job.user, exporter, job.format, filters, rows=rows, job=str(job.pk))
        return rows
    except Exception as exc:
        log.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return 0
