"""One archive holds the database and the stored files together, with a manifest of SHA-256s.

A database restored without its files verified every issued PDF only when the media folder had been
copied by hand too; without it every download was a 500. So ``manage.py backup`` writes one tar file:

- ``manifest.json``: when, which database engine, the migrations applied, the database dump's SHA-256,
  and every stored file (uploaded materials, issued documents, …) with its size and SHA-256;
- ``database.dump``: PostgreSQL's own ``pg_dump --format=custom``, or ``database.sqlite3``: SQLite's online
  backup (consistent while the site runs, WAL included);
- ``files/<name>``: every file of the default storage, read through the storage API (disk or S3 alike).

The dump is taken first and the files after it, so every file a dumped row names is in the archive (files
are never rewritten: documents are append-only, a material's new version is a new file).

``manage.py restore`` checks every hash before it changes anything, then restores into an **empty**
database (``pg_restore``, or SQLite's backup API into a new file) and an empty storage, and then checks
the result from the restored rows: every file any row names is there, and a file whose row records a
SHA-256 (an issued document, a material) has exactly those bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connections, models
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "govinfo-backup/1"
MANIFEST = "manifest.json"
FILES = "files/"
CHUNK = 1 << 20


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


# --- the database -------------------------------------------------------------------------------


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(
            _("只支持 PostgreSQL 和 SQLite 数据库的备份与恢复（当前：%(vendor)s）。") % {"vendor": vendor}
        )
    return vendor


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(
            _(
                "找不到 %(tool)s：请安装与数据库服务器同版本的 PostgreSQL 客户端（Debian：postgresql-client）。"
            )
            % {"tool": command[0]}
        )
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]}: {result.stderr.strip()[-2000:]}")


def dump_database(target: Path, alias: str = "default") -> str:
    """Write the database to ``target``; returns the archive member name."""
    connection = connections[alias]
    settings_dict = connection.settings_dict
    if _engine(alias) == "postgresql":
        args, env = _pg_args(settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args, "--file", str(target),
              "--dbname", settings_dict["NAME"]], env)  # fmt: skip
        return "database.dump"
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    return "database.sqlite3"


def database_is_empty(alias: str = "default") -> bool:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        if str(name).startswith("file:") or name == ":memory:":
            return False
        path = Path(name)
        if not path.exists() or path.stat().st_size == 0:
            return True
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore_database(source: Path, member: str, alias: str = "default") -> None:
    connection = connections[alias]
    settings_dict = connection.settings_dict
    engine = _engine(alias)
    if (member == "database.dump") != (engine == "postgresql"):
        raise BackupError(
            _("该备份来自另一种数据库（%(member)s），不能恢复到 %(engine)s。")
            % {"member": member, "engine": engine}
        )
    connection.close()
    if engine == "postgresql":
        args, env = _pg_args(settings_dict)
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args,
              "--dbname", settings_dict["NAME"], str(source)], env)  # fmt: skip
        return
    target = Path(settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    origin, destination = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(destination)
    finally:
        origin.close()
        destination.close()


def applied_migrations(alias: str = "default") -> dict[str, str]:
    """The last migration applied per app: what the restored code must be at least."""
    latest: dict[str, str] = {}
    for app, name in (
        MigrationRecorder(connections[alias]).migration_qs.order_by("id").values_list("app", "name")
    ):
        latest[app] = name
    return latest


# --- the files ----------------------------------------------------------------------------------


def walk(storage, folder: str = ""):
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a storage folder not created yet holds nothing
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from walk(storage, f"{folder}/{directory}" if folder else directory)


class _Hashing(io.RawIOBase):
    """Reads through to ``source`` and hashes what passes."""

    def __init__(self, source):
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.source.read(len(buffer))
        self.digest.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)


def sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


# --- backup -------------------------------------------------------------------------------------


@dataclass
class Summary:
    path: Path
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def backup(path: Path, storage=default_storage, alias: str = "default") -> Summary:
    """Write the archive to ``path`` (a new file); returns what went in."""
    path = Path(path)
    if path.exists():
        raise BackupError(_("%(path)s 已存在：备份不会覆盖已有文件。") % {"path": path})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    summary = Summary(path)
    with tempfile.TemporaryDirectory(prefix="govinfo-backup-") as scratch:
        dump = Path(scratch) / "database"
        member = dump_database(dump, alias)
        with dump.open("rb") as handle:
            database_sha = sha256_of(handle)
        files = []
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=member)
            for name in walk(storage):
                with storage.open(name, "rb") as handle:
                    reader = _Hashing(handle)
                    info = tarfile.TarInfo(FILES + name)
                    info.size = storage.size(name)
                    info.mtime = int(timezone.now().timestamp())
                    archive.addfile(info, io.BufferedReader(reader, CHUNK))
                files.append({"name": name, "size": reader.size, "sha256": reader.digest.hexdigest()})
                summary.files += 1
                summary.bytes += reader.size
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "engine": _engine(alias),
                "database": {"member": member, "sha256": database_sha},
                "migrations": applied_migrations(alias),
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
    partial.rename(path)
    return summary


# --- restore ------------------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError) as exc:
        raise BackupError(_("这不是 govinfo 的备份文件（缺少或无法读取 manifest.json）。")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("不支持的备份格式：%(format)s。") % {"format": manifest.get("format")})
    return manifest


def check(path: Path) -> dict:
    """Every member's SHA-256 against the manifest, before anything is changed; returns the manifest."""
    with tarfile.open(path, "r") as archive:
        manifest = read_manifest(archive)
        expected = {FILES + entry["name"]: entry["sha256"] for entry in manifest["files"]}
        expected[manifest["database"]["member"]] = manifest["database"]["sha256"]
        seen = set()
        for member in archive:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile():
                raise BackupError(_("备份中有清单之外的内容：%(name)s。") % {"name": member.name})
            if sha256_of(archive.extractfile(member)) != expected[member.name]:
                raise BackupError(_("备份已损坏：%(name)s 的 SHA-256 与清单不符。") % {"name": member.name})
            seen.add(member.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(_("备份不完整，缺少：%(names)s。") % {"names": "、".join(missing[:5])})
    return manifest


def restore(path: Path, storage=default_storage, alias: str = "default") -> Summary:
    """Restore the archive into an empty database and an empty storage, then check the result."""
    path = Path(path)
    manifest = check(path)
    if not database_is_empty(alias):
        raise BackupError(
            _(
                "目标数据库不是空的：恢复只写入新建的空数据库（PostgreSQL 先 createdb，SQLite 用新的文件路径）。"
            )
        )
    if next(walk(storage), None) is not None:
        raise BackupError(_("目标文件存储不是空的：恢复只写入新的空目录（DJANGO_MEDIA_ROOT）。"))
    summary = Summary(path)
    with (
        tarfile.open(path, "r") as archive,
        tempfile.TemporaryDirectory(prefix="govinfo-restore-") as scratch,
    ):
        member = manifest["database"]["member"]
        dump = Path(scratch) / member
        with archive.extractfile(member) as source, dump.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        restore_database(dump, member, alias)
        for entry in manifest["files"]:
            with archive.extractfile(FILES + entry["name"]) as source:
                stored = storage.save(entry["name"], File(source, name=entry["name"]))
            if stored != entry["name"]:
                raise BackupError(
                    _("文件 %(name)s 被存为 %(stored)s。") % {"name": entry["name"], "stored": stored}
                )
            summary.files += 1
            summary.bytes += entry["size"]
    summary.problems, summary.counts = verify_files(storage, alias)
    return summary


def verify_files(storage=default_storage, alias: str = "default") -> tuple[list[str], dict[str, int]]:
    """Every file a row names is stored; where the row records a SHA-256 the bytes match it."""
    problems, counts = [], {}
    for model in apps.get_models():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        hashed = "sha256" in {f.name for f in model._meta.concrete_fields} and len(file_fields) == 1
        names = [f.attname for f in file_fields] + (["sha256"] if hashed else [])
        checked = 0
        for row in model._default_manager.using(alias).values_list("pk", *names).iterator():
            pk, *values = row
            recorded = values.pop() if hashed else None
            for name in values:
                if not name:
                    continue
                checked += 1
                if not storage.exists(name):
                    problems.append(f"{model._meta.label} {pk}: {name} missing")
                    continue
                if recorded:
                    with storage.open(name, "rb") as handle:
                        if sha256_of(handle) != recorded:
                            problems.append(f"{model._meta.label} {pk}: {name} SHA-256 differs")
        counts[model._meta.label] = checked
    return problems, counts


def default_name() -> str:
    return f"govinfo-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
