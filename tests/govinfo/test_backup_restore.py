"""Backup and restore round trip: into a fresh database and a fresh folder, every issued document still
verifies and every material still downloads. On SQLite and on PostgreSQL (pg_dump / pg_restore).

Main had no backup command; a pg_dump restored without the media folder answered every download with 500.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
import textwrap
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from govinfo.backup import archive
from projects import services
from tests.documents.samples import issue_sample
from tests.factories import agency
from tests.projects.factories import docx_bytes, draft, pdf_upload

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]

RESTORE_AND_CHECK = textwrap.dedent(
    """
    import hashlib, json, sys
    import django
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from govinfo.documents.models import IssuedDocument
    from projects.models import Material

    call_command("restore", sys.argv[1])
    report = {"documents": [], "materials": []}
    for document in IssuedDocument.objects.all():
        with document.pdf.open("rb") as stored:
            data = stored.read()
        client = Client()
        uploaded = client.post("/verify/", {"file": SimpleUploadedFile("收到的公文.pdf", data)})
        page = client.get(f"/verify/{document.verification_token}/")
        report["documents"].append({
            "doc_number": document.doc_number,
            "genuine": "真实有效" in uploaded.content.decode() and document.doc_number in uploaded.content.decode(),
            "page": page.status_code,
        })
    for material in Material.objects.select_related("uploaded_by"):
        client = Client()
        client.force_login(material.uploaded_by)
        response = client.get(f"/projects/{material.project_id}/materials/{material.pk}/download/")
        body = b"".join(response.streaming_content) if response.status_code == 200 else b""
        report["materials"].append({
            "name": material.display_name,
            "status": response.status_code,
            "same_bytes": hashlib.sha256(body).hexdigest() == material.sha256,
        })
    print(json.dumps(report, ensure_ascii=False))
    """
)


@pytest.fixture
def records(unit, applicant, ndrc_signer):
    documents = [
        issue_sample(agency("ndrc"), ndrc_signer),
        issue_sample(agency("ndrc"), ndrc_signer, title="另一份批复"),
    ]
    project = draft(unit, applicant)
    materials = [
        services.upload_material(project, by=applicant, kind="feasibility", upload=pdf_upload()),
        services.upload_material(
            project, by=applicant, kind="other", upload=SimpleUploadedFile("测算表.docx", docx_bytes())
        ),
    ]
    return documents, materials


def _fresh_database(tmp_path) -> str:
    """The URL of a new, empty database of the engine the tests run on."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    name = f"govinfo_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}/{name}"


def _drop(url: str) -> None:
    if url.startswith("postgres"):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def test_a_restored_site_verifies_every_document_and_serves_every_material(records, tmp_path):
    documents, materials = records
    backup = tmp_path / "backup.tar"
    out = StringIO()
    call_command("backup", str(backup), stdout=out)
    assert backup.exists() and "已备份数据库" in out.getvalue()

    with tarfile.open(backup) as packed:
        manifest = archive.read_manifest(packed)
    stored = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    for document in documents:
        assert stored[document.pdf.name] == document.sha256
    for material in materials:
        assert stored[material.file.name] == material.sha256

    url = _fresh_database(tmp_path)
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": url,
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media-restored"),
        }
        result = subprocess.run(
            [sys.executable, "-c", RESTORE_AND_CHECK, str(backup)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        _drop(url)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert sorted(d["doc_number"] for d in report["documents"]) == sorted(d.doc_number for d in documents)
    assert all(d["genuine"] and d["page"] == 200 for d in report["documents"]), report
    assert len(report["materials"]) == len(materials)
    assert all(m["status"] == 200 and m["same_bytes"] for m in report["materials"]), report


def test_a_tampered_archive_is_refused_before_anything_changes(records, tmp_path):
    documents, _ = records
    backup = tmp_path / "backup.tar"
    call_command("backup", str(backup), stdout=StringIO())
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(backup) as source, tarfile.open(tampered, "w") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == archive.FILES + documents[0].pdf.name:
                data = data.replace(b"%PDF-", b"%PDF_", 1)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="SHA-256 与清单不符"):
        call_command("restore", str(tampered), "--check")
    out = StringIO()
    call_command("restore", str(backup), "--check", stdout=out)
    assert "归档完整" in out.getvalue()


def test_restore_refuses_a_database_that_is_not_empty(records, tmp_path):
    backup = tmp_path / "backup.tar"
    call_command("backup", str(backup), stdout=StringIO())
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(backup))


def test_backup_never_overwrites_an_archive(records, tmp_path):
    backup = tmp_path / "backup.tar"
    backup.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(backup), stdout=StringIO())
    assert backup.read_bytes() == b"an older backup"


def test_the_check_after_a_restore_names_a_missing_or_altered_file(records):
    documents, materials = records
    default_storage.delete(materials[0].file.name)
    default_storage.delete(documents[0].pdf.name)
    default_storage.save(documents[0].pdf.name, ContentFile(b"%PDF-1.4 not the issued bytes"))
    problems, counts = archive.verify_files()
    assert f"projects.Material {materials[0].pk}: {materials[0].file.name} missing" in problems
    assert f"documents.IssuedDocument {documents[0].pk}: {documents[0].pdf.name} SHA-256 differs" in problems
    assert counts["documents.IssuedDocument"] >= 2 and counts["projects.Material"] >= 2
