"""Importing and exporting the catalogue workbook (XLSX) through the import-export resources.

Two modes, chosen by the person importing and shown on the report:
- ``all``: all-or-nothing — any bad row and nothing is imported (the whole import is rolled back);
- ``rows``: row-wise — good rows are imported, bad rows are skipped and listed.
Either way each bad row is reported with its sheet, row number and reason, and nothing already in
the catalogue is deleted.

A workbook is a ZIP package that any unit clerk uploads, so before openpyxl opens it ``check_workbook``
holds it to ``WORKBOOK_LIMITS`` (``govinfo.zipcheck``: entry count, declared and actual inflated sizes,
the shared-string table that every reader loads whole capped on its own); openpyxl then reads it in
read-only mode, row by row, and a sheet longer than ``MAX_ROWS`` or a cell longer than Excel's own limit
stops the import with a message instead of the worker's memory.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field

import tablib
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from govinfo import zipcheck
from govinfo.exports.writers import XlsxCells
from govinfo.formats import series

from .resources import ITEM_SHEET, RESOURCE_SHEET, ItemSheet, ResourceSheet

ALL_OR_NOTHING = "all"
ROW_WISE = "rows"


@dataclass
class RowProblem:
    sheet: str
    row: int
    reason: str


@dataclass
class ImportReport:
    mode: str
    resources_saved: int = 0
    items_saved: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    rolled_back: bool = False

    @property
    def mode_label(self) -> str:
        return _("全部成功才导入") if self.mode == ALL_OR_NOTHING else _("逐行导入")

    @property
    def ok(self) -> bool:
        return not self.problems


class WorkbookError(Exception):
    pass


MiB = 1024 * 1024
# The template has two sheets and a few parts; a catalogue of thousands of rows is a few MB of XML.
WORKBOOK_LIMITS = zipcheck.Limits(
    max_entries=200,
    max_entry_size=64 * MiB,
    max_total_size=128 * MiB,
    part_limits=(("xl/sharedStrings.xml", 16 * MiB),),
)
MAX_ROWS = {RESOURCE_SHEET: 5_000, ITEM_SHEET: 50_000}  # one unit's catalogue; more in several imports
MAX_COLUMNS = 64  # the template has 16; a sheet claiming 16,384 columns is not padded out
MAX_CELL_CHARS = 10_000  # far above any catalogue field; openpyxl itself silently cuts at 32,767


def check_workbook(upload) -> None:
    """Refuse a package that would cost more to open than a catalogue workbook can (raises WorkbookError)."""
    try:
        zipcheck.inspect(upload, WORKBOOK_LIMITS)
    except zipcheck.UnsafePackage as unsafe:
        if unsafe.code == "damaged" and not _looks_like_zip(upload):
            raise WorkbookError(_("无法读取该文件，请确认是 Excel（.xlsx）格式。")) from None
        raise WorkbookError(unsafe.message) from None


def _looks_like_zip(upload) -> bool:
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    return head == b"PK\x03\x04"


def _sheet_dataset(workbook, title: str) -> tablib.Dataset:
    if title not in workbook.sheetnames:
        raise WorkbookError(
            _("工作簿缺少“%(sheet)s”工作表；请使用“下载导入模板”得到的格式。") % {"sheet": title}
        )
    limit = MAX_ROWS.get(title, MAX_ROWS[ITEM_SHEET])
    rows = workbook[title].iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header_row = next(rows, None)
    if header_row is None:
        return tablib.Dataset(headers=[])
    headers = [("" if h is None else str(h).strip()) for h in header_row]
    dataset = tablib.Dataset(headers=headers)
    for number, values in enumerate(rows, start=2):
        if number - 1 > limit:
            raise WorkbookError(
                _("“%(sheet)s”工作表超过 %(limit)s 行，请分批导入。") % {"sheet": title, "limit": limit}
            )
        if all(v in (None, "") for v in values):
            continue  # blank lines people leave between blocks
        for value in values:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise WorkbookError(
                    _("“%(sheet)s”工作表第 %(row)s 行有单元格超过 %(limit)s 个字符，请检查后重新导入。")
                    % {"sheet": title, "row": number, "limit": MAX_CELL_CHARS}
                )
        padded = list(values) + [None] * (len(headers) - len(values))
        dataset.append(padded[: len(headers)])
    return dataset


def _check_headers(dataset: tablib.Dataset, sheet, title: str) -> None:
    needed = [f.column_name for f in sheet.get_import_fields() if not f.readonly]
    missing = [name for name in needed if name not in dataset.headers]
    if missing:
        raise WorkbookError(
            _("“%(sheet)s”工作表缺少列：%(columns)s。") % {"sheet": title, "columns": series(missing)}
        )


def import_workbook(upload, *, unit, by, mode: str) -> ImportReport:
    """Import resources (as drafts of ``unit``) and their items; see the module docstring for the modes."""
    check_workbook(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookError(_("无法读取该文件，请确认是 Excel（.xlsx）格式。")) from exc
    try:
        resource_data = _sheet_dataset(workbook, RESOURCE_SHEET)
        item_data = _sheet_dataset(workbook, ITEM_SHEET)
    finally:
        workbook.close()  # read-only mode keeps the package open until told
    resource_sheet = ResourceSheet(unit=unit, user=by)
    item_sheet = ItemSheet(unit=unit, user=by)
    _check_headers(resource_data, resource_sheet, RESOURCE_SHEET)
    _check_headers(item_data, item_sheet, ITEM_SHEET)
    report = ImportReport(mode=mode)
    with transaction.atomic():
        resource_sheet.import_data(resource_data, dry_run=False, raise_errors=False, use_transactions=False)
        item_sheet.import_data(item_data, dry_run=False, raise_errors=False, use_transactions=False)
        report.problems = [RowProblem(RESOURCE_SHEET, n, why) for n, why in resource_sheet.problems] + [
            RowProblem(ITEM_SHEET, n, why) for n, why in item_sheet.problems
        ]
        report.resources_saved = resource_sheet.saved
        report.items_saved = item_sheet.saved
        if report.problems and mode == ALL_OR_NOTHING:
            transaction.set_rollback(True)
            report.rolled_back = True
            report.resources_saved = report.items_saved = 0
    return report


def write_workbook(resources_qs, items_qs, target) -> None:
    """Write both sheets row by row (openpyxl write-only mode: memory stays flat for large catalogues)."""
    workbook = Workbook(write_only=True)
    for title, sheet, queryset in (
        (RESOURCE_SHEET, ResourceSheet(), resources_qs),
        (ITEM_SHEET, ItemSheet(), items_qs),
    ):
        worksheet = workbook.create_sheet(title)
        # A name starting with = + - @ is written as text, never a formula (OWASP CSV injection).
        convert = XlsxCells(worksheet).convert
        worksheet.append([convert(header) for header in sheet.get_export_headers()])
        for instance in queryset.iterator(chunk_size=500):
            worksheet.append([convert(_cell(value)) for value in sheet.export_resource(instance)])
    workbook.save(target)


def _cell(value):
    return "" if value is None else value


def export_file(resources_qs, items_qs):
    """A temporary file holding the workbook, ready to stream; it disappears when closed."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_workbook(resources_qs, items_qs, handle)
    handle.seek(0)
    return handle
