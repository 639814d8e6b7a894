"""Writing rows to XLSX and CSV with flat memory.

- XLSX: openpyxl's write-only workbook streams each row to a temporary file as it is appended and zips
  at ``save``; nothing of the sheet is kept in memory. The workbook is written to a file (a temporary
  one for a download, the job's file for a background export) and sent from there.
- CSV: a generator of UTF-8 chunks (with a byte-order mark, so Excel reads the Chinese correctly) for a
  ``StreamingHttpResponse``; the first bytes leave before the last row is read.

Every text cell passes ``cells`` (no formula ever, see there); amounts are numbers with two decimals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from copy import copy
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

from . import cells

AMOUNT_FORMAT = "#,##0.00"
CSV_FLUSH_ROWS = 500
PROGRESS_EVERY = 1000
SHEET_TITLE_MAX = 31  # Excel's limit


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:SHEET_TITLE_MAX] or "Sheet1"


class XlsxCells:
    """Turns plain values into what openpyxl writes, reusing one styled template cell per kind.

    Every XLSX the product writes puts its values through ``convert`` (the catalogue workbook too)."""

    def __init__(self, worksheet):
        self.worksheet = worksheet
        amount = WriteOnlyCell(worksheet, value=0)
        amount.number_format = AMOUNT_FORMAT
        self.amount_style = amount._style
        text = WriteOnlyCell(worksheet, value="")
        text.quotePrefix = True
        self.quoted_style = text._style

    def convert(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            if ILLEGAL_CHARACTERS_RE.search(value):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if cells.looks_like_formula(value):
                cell = WriteOnlyCell(self.worksheet)
                # Set the type after the value: openpyxl would otherwise mark "=…" as a formula.
                cell._value = value
                cell.data_type = "s"
                cell._style = self.quoted_style
                return cell
            return value
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(self.worksheet, value=value)
            cell._style = self.amount_style
            return cell
        return value


def write_xlsx(
    target,
    headers: list[str],
    rows: Iterable[list],
    *,
    title: str,
    widths: list[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one sheet (bold header row, frozen) to ``target`` (a path or a binary file); returns rows."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(_sheet_title(title))
    for index, width in enumerate(widths or [], start=1):
        worksheet.column_dimensions[_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    convert = XlsxCells(worksheet).convert
    for header in headers:
        cell = convert(header)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(worksheet, value=cell)
        cell._style = copy(cell._style)  # never restyle the shared template
        cell.font = bold
        header_cells.append(cell)
    worksheet.append(header_cells)
    count = 0
    for row in rows:
        worksheet.append([convert(value) for value in row])
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    workbook.save(target)
    return count


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


_FORMULA_FIRST = cells._FORMULA_FIRST


def _csv_value(value):
    kind = value.__class__
    if kind is str:
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    if value is None:
        return ""
    if kind is Decimal:
        return f"{value:.2f}"
    if isinstance(value, str):
        return cells.csv_text(value)
    return value


def iter_csv(
    headers: list[str], rows: Iterable[list], *, progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """CSV as UTF-8 byte chunks, BOM first, a chunk per few hundred rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_value(h) for h in headers])
    yield ("\ufeff" + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    count = 0
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
        count += 1
        if count % CSV_FLUSH_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if buffer.tell():
        yield buffer.getvalue().encode()


def write_csv(target, headers: list[str], rows: Iterable[list], *, progress=None) -> int:
    """The same CSV written to a binary file (a background job's); returns the number of rows."""
    counted = _Counter(rows)
    for chunk in iter_csv(headers, counted, progress=progress):
        target.write(chunk)
    return counted.count


class _Counter:
    def __init__(self, rows: Iterable[list]):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row
