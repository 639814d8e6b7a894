"""Nothing is left behind by a failed or interrupted request.

On main a worker killed during a 40 MB upload left 20 MB in the system temp directory, and a material
whose audit event failed to write stayed in storage with no row naming it.
"""

import os
import subprocess
import sys
import textwrap
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from govinfo import uploads
from projects import services
from projects.models import Material
from tests.projects.factories import draft, pdf_upload

ROOT = Path(__file__).resolve().parents[2]
MB = 2**20

KILLED_UPLOAD = textwrap.dedent(
    """
    import os
    import django
    django.setup()
    from django.core.files import uploadhandler
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    received = [0]
    original = uploadhandler.TemporaryFileUploadHandler.receive_data_chunk

    def receive(self, raw_data, start):
        received[0] += len(raw_data)
        if received[0] >= 20 * 2**20:
            self.file.flush()
            os._exit(9)  # the worker is killed here, half-way through the upload
        return original(self, raw_data, start)

    uploadhandler.TemporaryFileUploadHandler.receive_data_chunk = receive
    Client().post("/verify/", {"file": SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\\n" + b"0" * 40 * 2**20)})
    """
)


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_a_worker_killed_mid_upload_leaves_nothing_in_the_system_temp_directory(
    tmp_path, settings, monkeypatch
):
    system_tmp, upload_tmp = tmp_path / "system-tmp", tmp_path / "upload-tmp"
    system_tmp.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
        "TMPDIR": str(system_tmp),
        "GOVINFO_UPLOAD_TEMP_DIR": str(upload_tmp),
    }
    result = subprocess.run(
        [sys.executable, "-c", KILLED_UPLOAD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 9, result.stderr[-2000:]
    leftovers = [(p.name, p.stat().st_size // MB) for p in _files(system_tmp)]
    assert leftovers == [], f"left in the system temp directory: {leftovers}"

    # The half-written file is in the application's own folder, and is swept once it is stale.
    (left,) = _files(upload_tmp)
    assert left.stat().st_size >= 19 * MB
    settings.FILE_UPLOAD_TEMP_DIR = str(upload_tmp)
    assert uploads.sweep_stale() == []  # fresh: it could still be an upload in progress
    os.utime(left, (time.time() - 7200, time.time() - 7200))
    assert uploads.sweep_stale() == [left.name] and _files(upload_tmp) == []


@pytest.mark.django_db
def test_the_next_upload_sweeps_what_a_killed_worker_left(client, tmp_path, settings, monkeypatch):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # this upload streams to a file too
    monkeypatch.setattr(uploads, "_last_sweep", 0.0)
    stale = tmp_path / "tmpkilled.upload.pdf"
    stale.write_bytes(b"0" * 4096)
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    client.post("/verify/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * 8192)})
    assert not stale.exists()


@pytest.fixture
def own_media(settings, tmp_path):
    """A storage of this test's own: other tests' rolled-back files are not this test's leftovers."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    return tmp_path


@pytest.mark.django_db
def test_a_material_whose_audit_event_fails_leaves_no_stored_file(monkeypatch, own_media, unit, applicant):
    project = draft(unit, applicant)
    folder = f"projects/{project.pk}/materials"
    record = services.trail.record

    def failing(action, **kwargs):
        if action == "projects.material.uploaded":
            raise RuntimeError("audit store unavailable")
        return record(action, **kwargs)

    monkeypatch.setattr(services.trail, "record", failing)
    with pytest.raises(RuntimeError, match="audit store unavailable"):
        services.upload_material(project, by=applicant, kind="feasibility", upload=pdf_upload())
    assert not Material.objects.filter(project=project).exists()
    assert not default_storage.exists(folder) or default_storage.listdir(folder)[1] == []


@pytest.mark.django_db
def test_the_sweep_command_removes_orphan_materials_and_keeps_the_named_ones(own_media, unit, applicant):
    project = draft(unit, applicant)
    kept = services.upload_material(project, by=applicant, kind="feasibility", upload=pdf_upload())
    orphan = default_storage.save(f"projects/{project.pk}/materials/orphan.pdf", pdf_upload())
    out = StringIO()
    call_command("sweep_uploads", "--older-than-minutes", "0", stdout=out)
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name)
    assert "1 个无记录的材料文件" in out.getvalue()
