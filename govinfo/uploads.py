"""Where an upload in progress lives, and what a killed worker left there.

Django streams an upload above 2.5 MB into a named temporary file and deletes it when the request ends;
a worker killed mid-upload (a timeout, the OOM killer, a restart) never gets there. On main such a file
stayed in the system temp directory, among everything else's: a killed 40 MB upload left 20 MB in /tmp.
Uploads therefore go to a folder the application owns (``FILE_UPLOAD_TEMP_DIR``, default
``var/upload-tmp``), where anything older than ``STALE_AFTER`` can only be a leftover: the upload
handler sweeps it (at most every ``SWEEP_EVERY``), and ``manage.py sweep_uploads`` does the same from cron.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler

logger = logging.getLogger(__name__)

# No upload of at most GOVINFO_MATERIAL_MAX_MB takes an hour even over a slow link; its file's modification
# time moves with every chunk written.
STALE_AFTER = dt.timedelta(hours=1)
SWEEP_EVERY = dt.timedelta(minutes=10)

_last_sweep = 0.0
_sweep_lock = threading.Lock()


def temp_dir() -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR)


def sweep_stale(older_than: dt.timedelta = STALE_AFTER) -> list[str]:
    """Delete files in the upload folder untouched for ``older_than``; returns their names."""
    cutoff = time.time() - older_than.total_seconds()
    deleted = []
    try:
        entries = list(os.scandir(temp_dir()))
    except FileNotFoundError:
        return []
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
                deleted.append(entry.name)
        except FileNotFoundError:
            continue  # its own request finished and removed it meanwhile
    if deleted:
        logger.info("removed %d stale upload file(s) from %s", len(deleted), temp_dir())
    return deleted


def _sweep_now_and_then() -> None:
    global _last_sweep
    now = time.monotonic()
    if now - _last_sweep < SWEEP_EVERY.total_seconds():
        return
    with _sweep_lock:
        if now - _last_sweep < SWEEP_EVERY.total_seconds():
            return
        _last_sweep = now
    sweep_stale()


class SweepingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler, which also clears what killed workers left in the upload folder."""

    def new_file(self, *args, **kwargs):
        _sweep_now_and_then()
        return super().new_file(*args, **kwargs)
