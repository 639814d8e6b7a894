"""Checking an uploaded material before it is stored: format by content, size, and a safe name.

Only PDF, OFD, DOCX and XLSX are accepted, recognised from the bytes, never from the file name:
PDF by its ``%PDF-`` header; OFD, DOCX and XLSX are ZIP packages told apart by what they hold
(OFD.xml; [Content_Types].xml with word/ or xl/ parts). Macro-enabled Office packages are refused.
Every package is checked by ``govinfo.zipcheck`` before its directory is read (entry count, declared
and actual inflated sizes, nothing executable inside), and an OFD must be one: ``OFD.xml`` at the root
whose ``ofd:OFD`` element names, in a ``DocBody``, a ``DocRoot`` that the package holds (GB/T 33190-2016
§7.4–7.5).
The stored name is a uuid chosen by ``models.material_upload_to``; the user's name is only shown.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govinfo import zipcheck
from govinfo.formats import series

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
ALLOWED_FORMATS = ("PDF", "OFD", "DOCX", "XLSX")
DISPLAY_NAME_MAX = 120
# Windows device names: harmless on our storage, but a downloaded file with such a name is not.
RESERVED_NAMES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What filetype calls the formats people most often rename, for a refusal the user understands.
KNOWN_NAMES = {
    "exe": _("Windows 可执行程序"),
    "elf": _("Linux 可执行程序"),
    "dmg": _("macOS 安装包"),
    "rar": _("RAR 压缩包"),
    "7z": _("7z 压缩包"),
    "gz": _("gzip 压缩包"),
    "doc": _("旧版 Word 文档（.doc）"),
    "xls": _("旧版 Excel 表格（.xls）"),
    "jpg": _("JPEG 图片"),
    "png": _("PNG 图片"),
}


def max_bytes() -> int:
    return int(getattr(settings, "GOVINFO_MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CheckedUpload:
    file_format: str  # pdf / ofd / docx / xlsx
    display_name: str
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.file_format]


def _human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size, 1) / 1024:.0f} KB"


def safe_display_name(raw: str) -> str:
    """The name to show: refused when it tries to leave its folder, otherwise cleaned of control characters."""
    name = unicodedata.normalize("NFC", raw or "")
    if "/" in name or "\\" in name or _has_dot_segment(name):
        raise ValidationError(
            _("文件名“%(name)s”包含路径（如 ../ 或 /），不能上传。请将文件改为普通文件名后重新上传。"),
            code="path",
            params={"name": raw[:80]},
        )
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValidationError(_("文件名含有控制字符，不能上传。请重命名后重新上传。"), code="control")
    name = name.strip().strip(".").strip()
    stem = name.rsplit(".", 1)[0].upper()
    if not name or stem in RESERVED_NAMES:
        raise ValidationError(_("文件名无效，请重命名后重新上传。"), code="name")
    if len(name) > DISPLAY_NAME_MAX:
        base, dot, ext = name.rpartition(".")
        name = (base[: DISPLAY_NAME_MAX - len(ext) - 1] + dot + ext) if dot else name[:DISPLAY_NAME_MAX]
    return name


def _has_dot_segment(name: str) -> bool:
    return name.startswith("..") or any(part == ".." for part in name.split("/"))


OFD_NAMESPACE = "http://www.ofdspec.org/2016"
OFD_ROOT_MAX_BYTES = 1024 * 1024


def package_limits() -> zipcheck.Limits:
    """What a material package may inflate to: generous for documents full of images, far below a bomb."""
    limit = max_bytes()
    return zipcheck.Limits(
        max_entries=10_000,
        max_entry_size=max(limit * 8, 64 * 1024 * 1024),
        max_total_size=max(limit * 12, 128 * 1024 * 1024),
    )


def _ofd_root_name(names: set[str]) -> str | None:
    return next((n for n in names if "/" not in n and n.lower() == "ofd.xml"), None)


def _check_ofd(upload, root_name: str, names: set[str]) -> None:
    """GB/T 33190: the entry file OFD.xml, an ofd:OFD element with a DocBody whose DocRoot is in the package."""
    not_ofd = zipcheck.UnsafePackage(
        _(
            "文件含有 OFD.xml，但不是有效的 OFD 文档（GB/T 33190：OFD.xml 须有 DocBody 并指明包内存在的 DocRoot）。"
        ),
        "ofd",
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            if package.getinfo(root_name).file_size > OFD_ROOT_MAX_BYTES:
                raise not_ofd
            data = package.read(root_name)
    finally:
        upload.seek(0)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # an OFD never needs a DTD; entities are an attack
        raise not_ofd
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise not_ofd from None
    if root.tag != f"{{{OFD_NAMESPACE}}}OFD":
        raise not_ofd
    doc_roots = [
        (element.text or "").strip().lstrip("/")
        for body in root.findall(f"{{{OFD_NAMESPACE}}}DocBody")
        for element in body.findall(f"{{{OFD_NAMESPACE}}}DocRoot")
    ]
    if not doc_roots or any(path not in names for path in doc_roots):
        raise not_ofd


def _zip_format(upload) -> str | None:
    package = zipcheck.inspect(upload, package_limits())
    names = set(package.names)
    root_name = _ofd_root_name(names)
    if root_name:
        _check_ofd(upload, root_name, names)
        return "ofd"
    if "[Content_Types].xml" not in names:
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return "macro"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def detect_format(upload) -> tuple[str | None, object]:
    """(format, what it looks like) from the content; format None when not allowed."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf", "PDF"
    if head.startswith(b"PK\x03\x04"):
        found = _zip_format(upload)  # UnsafePackage: a hostile or broken package, refused as such
        if found == "macro":
            return None, _("含宏的 Office 文档")
        if found:
            return found, found.upper()
        return None, _("ZIP 压缩包")
    kind = filetype.guess(head)
    if kind is None:
        return None, _("无法识别的格式")
    return None, KNOWN_NAMES.get(kind.extension, kind.extension.upper())


def check_upload(upload) -> CheckedUpload:
    """Validate one uploaded file; raises ValidationError with a message for the user.

    The result is kept on the upload: the form and the service both ask, and a package is inflated once.
    """
    checked = getattr(upload, "_govinfo_checked", None)
    if checked is not None:
        return checked
    checked = _check(upload)
    upload._govinfo_checked = checked
    return checked


def _check(upload) -> CheckedUpload:
    display_name = safe_display_name(upload.name)
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”大小为 %(size)s，超过 %(limit)s 的上限，不能上传。请压缩或拆分后重新上传。"),
            code="size",
            params={"name": display_name, "size": _human_size(upload.size), "limit": _human_size(limit)},
        )
    if upload.size == 0:
        raise ValidationError(
            _("文件“%(name)s”是空文件，不能上传。"), code="empty", params={"name": display_name}
        )
    try:
        file_format, looks_like = detect_format(upload)
    except zipcheck.UnsafePackage as unsafe:
        raise ValidationError(
            _("文件“%(name)s”不能上传：%(reason)s"),
            code=f"package_{unsafe.code}",
            params={"name": display_name, "reason": unsafe.message},
        ) from None
    if file_format is None:
        raise ValidationError(
            _(
                "文件“%(name)s”的实际内容是%(what)s，不是允许的格式（只接受 %(allowed)s，按文件内容识别，"
                "改扩展名无效）。"
            ),
            code="format",
            params={"name": display_name, "what": looks_like, "allowed": series(ALLOWED_FORMATS)},
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    # Show the extension the content proved, so a PDF called "x.docx" downloads as x.pdf.
    stem = display_name.rsplit(".", 1)[0] if "." in display_name else display_name
    shown = f"{stem}.{file_format}"
    return CheckedUpload(
        file_format=file_format, display_name=shown, size=upload.size, sha256=digest.hexdigest()
    )
