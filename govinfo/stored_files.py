"""Serving a stored file — an issued document, an uploaded material, a report — and saying so when storage
lost it.

A row that names a file the storage no longer has (a restore without the media folder, a disk fault, a
file removed by hand) used to answer 500. The reader gets a plain page instead (410: the record exists,
its file is gone) telling them to contact the administrator; the event goes to the audit trail and the
error log, so the administrator learns which file of which case is missing and who met it. Nothing is
recorded as downloaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import actions, trail

logger = logging.getLogger(__name__)

MISSING_ACTION = "govinfo.file.missing"
actions.register(MISSING_ACTION, gettext_lazy("存储文件缺失"))
MISSING_STATUS = 410


def serve(
    request,
    stored: FieldFile,
    *,
    filename: str,
    content_type: str,
    target=None,
    downloaded: Callable[[], object] | None = None,
    cache_control: str | None = None,
) -> HttpResponse:
    """The stored file as an attachment; ``downloaded()`` (the caller's audit record) runs once it opened.

    When the storage cannot open it: the missing-file page (410), an audit event naming ``target`` and
    the stored name, and an error in the log — never a 500.
    """
    try:
        handle = stored.open("rb")
    except (OSError, ValueError) as exc:  # ValueError: a row without a file name
        return missing(request, stored, filename=filename, target=target, error=exc)
    if downloaded is not None:
        downloaded()
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


def missing(request, stored: FieldFile, *, filename: str, target=None, error=None) -> HttpResponse:
    name = getattr(stored, "name", "") or ""
    logger.error(
        "stored file missing: %s (%s) at %s for %s: %s", name, filename, request.path, request.user, error
    )
    trail.record(
        MISSING_ACTION,
        actor=request.user if request.user.is_authenticated else None,
        target=target,
        details={"file": name, "name": filename, "path": request.path[:500]},
    )
    return render(
        request,
        "file_missing.html",
        {
            "message": _(
                "文件“%(name)s”在系统存储中缺失，暂时无法下载。请联系系统管理员恢复该文件；本次情况已记录。"
            )
            % {"name": filename},
        },
        status=MISSING_STATUS,
    )
