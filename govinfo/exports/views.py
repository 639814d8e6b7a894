"""Export pages: the download (at once, or a background job when it is large), the job's progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from govinfo.audit import trail
from govinfo.refusals import not_an_action

from . import forms, jobs, registry
from .models import ExportJob

FORMATS = ("xlsx", "csv")


def _exporter_for(request, identifier: str, fmt: str) -> registry.Exporter:
    exporter = registry.get(identifier)
    if exporter is None or fmt not in FORMATS or not exporter.allowed(request.user):
        raise Http404("该导出不存在或您无权导出。")
    return exporter


@login_required
@require_GET
def export(request, identifier: str, fmt: str):
    """The rows the user may see, with the page's filters; large exports are offered as a job."""
    exporter = _exporter_for(request, identifier, fmt)
    filters = forms.cleaned_filters(exporter, request.GET)
    limit = jobs.sync_limit()
    expected = exporter.estimate(request.user, filters, limit=limit + 1)
    if expected <= limit:
        return jobs.respond(exporter, request.user, filters, fmt)
    return render(
        request,
        "exports/confirm.html",
        {
            "exporter": exporter,
            "fmt": fmt,
            "limit": limit,
            "query": request.GET.urlencode(),
            "action": reverse("exports:start", args=[identifier, fmt]),
        },
    )


@login_required
@require_POST
@not_an_action
def start(request, identifier: str, fmt: str):
    """Queue the export as a background job (filters come in the query string, as on the page)."""
    exporter = _exporter_for(request, identifier, fmt)
    filters = forms.cleaned_filters(exporter, request.GET)
    expected = exporter.estimate(request.user, filters, limit=jobs.sync_limit() * 100)
    job = jobs.start(exporter, request.user, filters, fmt, expected)
    return redirect("exports:job", pk=job.pk)


def _job_for(request, pk) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, user=request.user).first()
    if job is None:
        raise Http404("导出任务不存在。")
    return job


@login_required
@require_GET
def job(request, pk):
    found = _job_for(request, pk)
    exporter = registry.get(found.identifier)
    return render(request, "exports/job.html", {"job": found, "exporter": exporter})


@login_required
@require_GET
def job_status(request, pk):
    found = _job_for(request, pk)
    return JsonResponse(
        {
            "state": found.state,
            "state_label": str(found.get_state_display()),
            "rows_done": found.rows_done,
            "rows_expected": found.rows_expected,
            "percent": found.percent,
            "download": reverse("exports:job_download", args=[found.pk]) if found.state == "done" else "",
            "error": found.error if found.state == "failed" else "",
        }
    )


@login_required
@require_GET
def job_download(request, pk):
    found = _job_for(request, pk)
    if found.state != ExportJob.State.DONE or not found.file:
        raise Http404("导出文件尚未生成。")
    exporter = registry.get(found.identifier)
    trail.record(
        "govinfo.export.downloaded",
        actor=request.user,
        details={"exporter": found.identifier, "format": found.format, "job": str(found.pk)},
    )
    name = jobs.filename(exporter, found.format) if exporter else f"export.{found.format}"
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=jobs.CONTENT_TYPES[found.format],
    )
