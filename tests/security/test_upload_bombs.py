"""Hostile packages: a catalogue workbook or a material that inflates to a gigabyte, an OFD carrying a program.

The memory bomb runs in a child process under an address-space limit, so a regression fails this test
with a MemoryError instead of taking the machine with it; the child reports its own peak RSS.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue import exchange
from catalogue.models import Resource
from govinfo import zipcheck
from projects.materials import check_upload
from tests.catalogue.test_exchange import GOOD, ITEMS, resource_row, workbook
from tests.projects.factories import EXE_BYTES, docx_bytes, ofd_bytes, zip_bytes

from .bombs import docx_bomb, xlsx_bomb, zip_with

ROOT = Path(__file__).resolve().parents[2]
# What the worker may grow by while refusing the bomb; main grew by 2,065 MB.
PEAK_GROWTH_LIMIT_MB = 64

CHILD = textwrap.dedent(
    """
    import json, resource, sys
    import django
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from catalogue import exchange

    data = open(sys.argv[1], "rb").read()
    # Room for the refusal, not for the bomb: 768 MB of address space above what is mapped now.
    mapped = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + 768 * 2**20, mapped + 768 * 2**20))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        exchange.import_workbook(SimpleUploadedFile("目录.xlsx", data), unit=None, by=None, mode="all")
        outcome = "imported"
    except exchange.WorkbookError as refused:
        outcome = "refused: " + str(refused)
    except MemoryError:
        outcome = "MemoryError"
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"outcome": outcome, "growth_mb": (after - before) / 1024, "peak_mb": after / 1024}))
    """
)


def test_a_one_gigabyte_shared_string_table_is_refused_before_parsing_with_flat_memory(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(xlsx_bomb(1024))
    assert bomb.stat().st_size < 1.1 * 2**20  # 1 MB on disk, 1 GiB inflated
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(bomb)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["outcome"].startswith("refused: "), report
    assert "sharedStrings.xml" in report["outcome"] and "解压后超过 16 MB" in report["outcome"]
    assert report["growth_mb"] < PEAK_GROWTH_LIMIT_MB, report


@pytest.mark.django_db
def test_the_import_page_refuses_a_bomb_with_a_form_error_and_imports_nothing(client, applicant):
    client.force_login(applicant)
    upload = SimpleUploadedFile("目录.xlsx", xlsx_bomb(64))
    response = client.post(reverse("catalogue:import"), {"file": upload, "mode": "all", "provider": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any("sharedStrings.xml" in error and "解压后超过" in error for error in errors), errors
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_a_part_that_understates_its_size_is_caught_when_inflated(applicant):
    upload = SimpleUploadedFile("目录.xlsx", xlsx_bomb(64, declared_honestly=False))
    with pytest.raises(exchange.WorkbookError, match="已损坏或与声明的大小不符"):
        exchange.import_workbook(upload, unit=applicant, by=applicant, mode="all")


@pytest.mark.django_db
def test_too_many_rows_stop_the_import_with_a_message(monkeypatch, unit, applicant):
    monkeypatch.setitem(exchange.MAX_ROWS, "资源", 3)
    rows = [resource_row(f"111112001/71{n:02d}", f"资源{n}") for n in range(4)]
    with pytest.raises(exchange.WorkbookError, match="“资源”工作表超过 3 行，请分批导入"):
        exchange.import_workbook(workbook(rows, []), unit=unit, by=applicant, mode="all")
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_a_cell_longer_than_excel_allows_stops_the_import(unit, applicant):
    rows = [*GOOD, resource_row("111112001/7003", "超长", 资源摘要="长" * 12_000)]
    with pytest.raises(exchange.WorkbookError, match="第 4 行有单元格超过 10000 个字符"):
        exchange.import_workbook(workbook(rows, ITEMS), unit=unit, by=applicant, mode="rows")


@pytest.mark.django_db
def test_a_good_workbook_still_imports(unit, applicant):
    report = exchange.import_workbook(workbook(GOOD, ITEMS), unit=unit, by=applicant, mode="all")
    assert report.ok and report.resources_saved == 2 and report.items_saved == 2


# --- materials: OFD, DOCX, XLSX ------------------------------------------------------------------


def _refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, data))
    return " ".join(refused.value.messages)


@pytest.mark.parametrize("payload", ["payload.exe", "Doc_0/Res/setup.DLL", "run.bat", "Doc_0/a.js"])
def test_an_ofd_carrying_a_program_is_refused(payload):
    text = _refusal("公文.ofd", ofd_bytes({payload: b"harmless-looking bytes"}))
    assert "可执行文件或脚本" in text and payload in text


def test_a_program_hidden_under_an_image_name_is_refused_by_its_bytes():
    data = zip_with(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/media/a.png": EXE_BYTES,
        }
    )
    assert "可执行文件或脚本" in _refusal("方案.docx", data)


@pytest.mark.parametrize(
    "ofd_xml",
    [
        b"<ofd:OFD/>",  # not even XML (unbound prefix)
        b'<OFD xmlns="http://example.com/not-ofd"><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>',
        b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody/></ofd:OFD>',  # no DocRoot
        b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_9/Document.xml'
        b"</ofd:DocRoot></ofd:DocBody></ofd:OFD>",  # names a document the package lacks
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>',
    ],
)
def test_a_package_with_an_ofd_xml_that_is_not_an_ofd_is_refused(ofd_xml):
    data = zip_bytes({"OFD.xml": ofd_xml, "Doc_0/Document.xml": b"<ofd:Document/>"})
    assert "不是有效的 OFD 文档" in _refusal("公文.ofd", data)


def test_a_real_ofd_is_still_accepted():
    assert check_upload(SimpleUploadedFile("公文.ofd", ofd_bytes())).file_format == "ofd"


def test_a_docx_whose_document_inflates_to_a_gigabyte_is_refused():
    text = _refusal("方案.docx", docx_bomb(1024))
    assert "word/document.xml" in text and ("压缩比异常" in text or "解压后超过" in text)


def test_an_xlsx_material_whose_string_table_inflates_to_a_gigabyte_is_refused():
    assert "sharedStrings.xml" in _refusal("测算表.xlsx", xlsx_bomb(1024))


def test_a_package_of_too_many_entries_is_refused_before_its_directory_is_read(monkeypatch):
    monkeypatch.setattr(
        "projects.materials.package_limits",
        lambda: zipcheck.Limits(max_entries=50, max_entry_size=2**20, max_total_size=2**20),
    )
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    entries.update({f"word/media/{n}.xml": b"<x/>" for n in range(60)})
    assert "文件过多（上限 50 个）" in _refusal("方案.docx", zip_with(entries))


def test_a_path_escaping_entry_is_refused():
    assert "不安全的路径" in _refusal(
        "方案.docx", zip_with({"[Content_Types].xml": b"", "../../evil.xml": b""})
    )


def test_office_documents_and_their_printer_settings_are_still_accepted():
    data = zip_with(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/printerSettings/printerSettings1.bin": b"\x00\x01printer",
        }
    )
    assert check_upload(SimpleUploadedFile("方案.docx", data)).file_format == "docx"
    assert check_upload(SimpleUploadedFile("方案.docx", docx_bytes())).file_format == "docx"
