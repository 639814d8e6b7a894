"""Checking an uploaded ZIP package (XLSX, DOCX, OFD) before anything parses it.

A 1 MB XLSX whose ``xl/sharedStrings.xml`` inflates to 1 GiB took a worker to 2.1 GB: every XLSX reader
loads the shared-string table whole, and ``zipfile`` itself builds one object per central-directory entry.
So before a package is opened for real, ``inspect`` answers from what it declares and then from what it
actually inflates to, with memory that stays flat whatever the file holds:

1. the end-of-central-directory record: the entry count and the directory's size, read from the last bytes
   of the file before ``zipfile`` builds anything;
2. the central directory: each entry's declared inflated size, the total, the ratio to its compressed size,
   its compression method (stored or deflated only), encryption, its name (no absolute or ``..`` paths)
   and its extension (nothing executable: a package is a document, not a carrier);
3. the bytes: every entry is inflated in 64 KiB chunks and counted (``zipfile`` stops at the declared size
   and checks the CRC, so a part that lies about its size is caught as damaged), and its first bytes are
   compared with the executable formats' magic numbers.

Each refusal is an ``UnsafePackage`` whose message tells the uploader what is wrong, in their language.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MiB = 1024 * 1024
CHUNK = 64 * 1024

# Extensions no document package has any business carrying (Windows, scripts, installers, libraries).
# Not .bin: Office writes printer settings, OLE embeddings and vbaProject.bin (refused as a macro by the
# caller) under that name; what such a part holds is left to the magic-number check.
EXECUTABLE_EXTENSIONS = frozenset(
    {
        "exe", "dll", "com", "scr", "pif", "cpl", "sys", "drv", "ocx", "msi", "msp", "msc",
        "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "lnk", "reg",
        "jar", "class", "apk", "app", "sh", "bash", "so", "dylib", "elf", "run", "py", "pl",
    }
)  # fmt: skip
# First bytes of executables: PE (MZ), ELF, Mach-O (both byte orders, 32/64-bit, fat), Java class, shebang.
EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
# Smallest central-directory entry (46 bytes) plus a generous name: more directory than this per entry
# means more entries than the record admits.
_DIRECTORY_BYTES_PER_ENTRY = 46 + 400


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_entry_size: int  # inflated bytes of one entry
    max_total_size: int  # inflated bytes of all entries together
    max_ratio: int = 250  # inflated / compressed, for entries above ``ratio_floor``
    ratio_floor: int = MiB
    # Tighter caps for named parts that a reader loads whole (an XLSX's shared-string table).
    part_limits: tuple[tuple[str, int], ...] = ()

    def entry_limit(self, name: str) -> int:
        return dict(self.part_limits).get(name, self.max_entry_size)


class UnsafePackage(ValueError):
    """The package is refused before parsing; ``str()`` is the message for the uploader."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Package:
    names: frozenset[str]
    entries: int
    inflated_size: int


def _mb(size: int) -> str:
    return f"{size / MiB:.0f} MB" if size >= MiB else f"{max(size, 1) / 1024:.0f} KB"


def _end_record(fileobj) -> tuple[int, int]:
    """(entries, central directory size) from the end-of-central-directory record, ZIP64 included."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    tail_length = min(size, 22 + 0xFFFF)  # the record, then a comment of at most 64 KiB
    fileobj.seek(size - tail_length)
    tail = fileobj.read(tail_length)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise UnsafePackage(_("文件不是完整的 ZIP 包（找不到目录记录），可能已损坏。"), "damaged")
    entries, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        locator = tail[at - 20 : at] if at >= 20 else b""
        if not locator.startswith(_EOCD64_LOCATOR):
            raise UnsafePackage(_("文件不是完整的 ZIP 包（找不到目录记录），可能已损坏。"), "damaged")
        (record_offset,) = struct.unpack("<Q", locator[8:16])
        fileobj.seek(record_offset)
        record = fileobj.read(56)
        if not record.startswith(_EOCD64) or len(record) < 56:
            raise UnsafePackage(_("文件不是完整的 ZIP 包（找不到目录记录），可能已损坏。"), "damaged")
        entries, directory_size = struct.unpack("<QQ", record[32:48])
    return entries, directory_size


def _too_many(limits: Limits) -> UnsafePackage:
    return UnsafePackage(
        _("压缩包内文件过多（上限 %(limit)s 个），不能接受。") % {"limit": limits.max_entries}, "entries"
    )


def _check_name(name: str) -> None:
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or ".." in normalised.split("/") or ":" in normalised.split("/")[0]:
        raise UnsafePackage(_("压缩包内含有不安全的路径“%(name)s”，不能接受。") % {"name": name[:80]}, "path")


def _is_executable_name(name: str) -> bool:
    return posixpath.splitext(name.lower())[1].lstrip(".") in EXECUTABLE_EXTENSIONS


def _executable(name: str) -> UnsafePackage:
    return UnsafePackage(
        _("压缩包内含有可执行文件或脚本“%(name)s”，不能接受。") % {"name": name[:80]}, "executable"
    )


def inspect(fileobj, limits: Limits) -> Package:
    """Check the package against ``limits`` without parsing it; raises ``UnsafePackage``. Rewinds the file."""
    try:
        return _inspect(fileobj, limits)
    finally:
        fileobj.seek(0)


def _inspect(fileobj, limits: Limits) -> Package:
    entries, directory_size = _end_record(fileobj)
    if entries > limits.max_entries or directory_size > limits.max_entries * _DIRECTORY_BYTES_PER_ENTRY:
        raise _too_many(limits)
    fileobj.seek(0)
    try:
        package = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafePackage(_("文件不是有效的 ZIP 包，可能已损坏。"), "damaged") from exc
    with package:
        infos = package.infolist()
        if len(infos) > limits.max_entries:
            raise _too_many(limits)
        total = 0
        for info in infos:
            _check_name(info.filename)
            if info.flag_bits & 0x1:
                raise UnsafePackage(_("压缩包内含有加密的文件，无法检查，不能接受。"), "encrypted")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UnsafePackage(_("压缩包使用了不支持的压缩方式，不能接受。"), "method")
            if _is_executable_name(info.filename):
                raise _executable(info.filename)
            _check_size(info.filename, info.file_size, info.compress_size, limits)
            total += info.file_size
            if total > limits.max_total_size:
                raise _too_big_total(limits)
        inflated = 0
        for info in infos:
            if info.is_dir():
                continue
            inflated += _inflate(package, info, limits, inflated)
        return Package(frozenset(info.filename for info in infos), len(infos), inflated)


def _too_big_total(limits: Limits) -> UnsafePackage:
    return UnsafePackage(
        _("压缩包解压后超过 %(limit)s，可能是“压缩炸弹”，不能接受。") % {"limit": _mb(limits.max_total_size)},
        "inflated",
    )


def _too_big_entry(name: str, limits: Limits) -> UnsafePackage:
    return UnsafePackage(
        _("压缩包内的“%(name)s”解压后超过 %(limit)s，不能接受。")
        % {"name": name[:80], "limit": _mb(limits.entry_limit(name))},
        "inflated",
    )


def _check_size(name: str, size: int, compressed: int, limits: Limits) -> None:
    if size > limits.entry_limit(name):
        raise _too_big_entry(name, limits)
    if size > limits.ratio_floor and size > limits.max_ratio * max(compressed, 1):
        raise UnsafePackage(
            _("压缩包内的“%(name)s”压缩比异常（超过 %(ratio)s 倍），可能是“压缩炸弹”，不能接受。")
            % {"name": name[:80], "ratio": limits.max_ratio},
            "ratio",
        )


def _inflate(package: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, so_far: int) -> int:
    """Inflate one entry chunk by chunk (nothing kept); returns its real size."""
    count = 0
    limit = limits.entry_limit(info.filename)
    try:
        with package.open(info) as part:
            head = part.read(CHUNK)
            if head.startswith(EXECUTABLE_MAGIC):
                raise _executable(info.filename)
            chunk = head
            while chunk:
                count += len(chunk)
                if count > limit:
                    raise _too_big_entry(info.filename, limits)
                if so_far + count > limits.max_total_size:
                    raise _too_big_total(limits)
                chunk = part.read(CHUNK)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        if isinstance(exc, UnsafePackage):
            raise
        raise UnsafePackage(
            _("压缩包内的“%(name)s”已损坏或与声明的大小不符，不能接受。") % {"name": info.filename[:80]},
            "damaged",
        ) from exc
    return count
