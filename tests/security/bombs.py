"""Hostile files made in the test: ZIP packages whose parts inflate to far more than they weigh."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

CHUNK = b"A" * (1 << 20)


def _workbook_parts() -> dict[str, bytes]:
    """The parts of a real two-sheet catalogue workbook (openpyxl), to graft a bomb onto."""
    book = Workbook()
    book.active.title = "资源"
    book.active.append(["资源代码", "资源名称"])
    book.active.append(["111112001/7001", "学生基本信息"])
    book.create_sheet("信息项").append(["资源代码", "信息项名称"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    # openpyxl writes inline strings; Excel writes a shared-string table, which every reader loads whole.
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSST" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    return parts


SST_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' count="1" uniqueCount="1"><si><t>'
)


def inflating_zip(
    entries: dict[str, bytes],
    bomb_name: str,
    inflated_mib: int,
    *,
    head: bytes = b"",
    tail: bytes = b"",
    declared_honestly: bool = True,
) -> bytes:
    """A ZIP of ``entries`` plus ``bomb_name``: ``head``, ``inflated_mib`` MiB of one byte, ``tail`` (~1 KB per MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name, data in entries.items():
            package.writestr(name, data)
        with package.open(bomb_name, "w", force_zip64=inflated_mib >= 4096) as part:
            part.write(head)
            for _ in range(inflated_mib):
                part.write(CHUNK)
            part.write(tail)
    data = buffer.getvalue()
    return data if declared_honestly else _understate_sizes(data, bomb_name)


def xlsx_bomb(inflated_mib: int = 1024, *, declared_honestly: bool = True) -> bytes:
    """An XLSX whose xl/sharedStrings.xml inflates to ``inflated_mib`` MiB of one repeated byte."""
    parts = _workbook_parts()
    parts.pop("xl/sharedStrings.xml", None)
    return inflating_zip(
        parts,
        "xl/sharedStrings.xml",
        inflated_mib,
        head=SST_HEAD,
        tail=b"</t></si></sst>",
        declared_honestly=declared_honestly,
    )


def docx_bomb(inflated_mib: int = 1024) -> bytes:
    """A DOCX whose word/document.xml inflates to ``inflated_mib`` MiB."""
    return inflating_zip(
        {"[Content_Types].xml": b"<Types/>"}, "word/document.xml", inflated_mib, head=b"<w:document>"
    )


def _understate_sizes(data: bytes, name: str) -> bytes:
    """Rewrite the part's declared inflated size (local header and central directory) to 1 KB."""
    encoded = name.encode()
    out = bytearray(data)
    # local file header: signature, ..., uncompressed size at offset 22, name length 26, name at 30
    start = out.find(b"PK\x03\x04")
    while start != -1:
        name_length = int.from_bytes(out[start + 26 : start + 28], "little")
        if bytes(out[start + 30 : start + 30 + name_length]) == encoded:
            out[start + 22 : start + 26] = (1024).to_bytes(4, "little")
            break
        start = out.find(b"PK\x03\x04", start + 4)
    # central directory header: uncompressed size at offset 24, name length 28, name at 46
    start = out.find(b"PK\x01\x02")
    while start != -1:
        name_length = int.from_bytes(out[start + 28 : start + 30], "little")
        if bytes(out[start + 46 : start + 46 + name_length]) == encoded:
            out[start + 24 : start + 28] = (1024).to_bytes(4, "little")
            break
        start = out.find(b"PK\x01\x02", start + 4)
    return bytes(out)


def zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()
