"""Uploads: format by content, size limit, safe names, versions kept."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from projects.materials import check_upload, safe_display_name
from projects.models import Material, MaterialKind

from .factories import EXE_BYTES, docx_bytes, ofd_bytes, pdf_upload, xlsx_bytes, zip_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("方案.pdf", pdf_upload().read(), "pdf"),
        ("方案.ofd", ofd_bytes(), "ofd"),
        ("方案.docx", docx_bytes(), "docx"),
        ("测算表.xlsx", xlsx_bytes(), "xlsx"),
        ("名字写错了.docx", pdf_upload().read(), "pdf"),
    ],
)
def test_allowed_formats_are_recognised_by_content(name, data, expected):
    checked = check_upload(SimpleUploadedFile(name, data))
    assert checked.file_format == expected
    assert checked.display_name.endswith(f".{expected}")


def test_a_renamed_executable_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("可研报告.pdf", EXE_BYTES))
    text = " ".join(refused.value.messages)
    assert "Windows 可执行程序" in text and "只接受 PDF、OFD、DOCX、XLSX" in text


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (zip_bytes({"readme.txt": b"x"}), "ZIP 压缩包"),
        (
            zip_bytes({"[Content_Types].xml": b"", "word/document.xml": b"", "word/vbaProject.bin": b""}),
            "含宏的 Office 文档",
        ),
        (b"just some text", "无法识别的格式"),
    ],
)
def test_other_contents_are_refused_with_what_they_are(data, what):
    with pytest.raises(ValidationError, match=what):
        check_upload(SimpleUploadedFile("材料.docx", data))


def test_an_oversized_file_is_refused(settings):
    settings.GOVINFO_MATERIAL_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="超过 1 KB 的上限"):
        check_upload(SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * 2048))


def test_the_default_limit_is_50_mb():
    from projects.materials import max_bytes

    assert max_bytes() == 50 * 1024 * 1024


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "/etc/cron.d/x.pdf", "..pdf"]
)
def test_a_path_traversal_name_is_refused(name):
    with pytest.raises(ValidationError, match="包含路径"):
        safe_display_name(name)


def test_control_characters_and_device_names_are_refused():
    with pytest.raises(ValidationError, match="控制字符"):
        safe_display_name("报告\x00.pdf")
    with pytest.raises(ValidationError, match="文件名无效"):
        safe_display_name("CON.pdf")


def test_stored_names_are_uuids_under_the_project_folder(project, applicant, media_root):
    material = services.upload_material(
        project, by=applicant, kind=MaterialKind.CRYPTO_PLAN, upload=pdf_upload("密码 应用 方案.pdf")
    )
    stored = Path(material.file.name)
    assert stored.parent == Path(f"projects/{project.pk}/materials")
    assert len(stored.stem) == 32 and stored.suffix == ".pdf"
    assert (Path(media_root) / stored).is_file()
    assert material.display_name == "密码 应用 方案.pdf"


def test_a_reupload_adds_a_version_and_keeps_the_earlier_one(project, applicant):
    first = services.upload_material(
        project, by=applicant, kind=MaterialKind.CLOUD_PLAN, upload=pdf_upload("v1.pdf")
    )
    second = services.upload_material(
        project, by=applicant, kind=MaterialKind.CLOUD_PLAN, upload=pdf_upload("v2.pdf")
    )
    assert (first.version, second.version) == (1, 2)
    assert Material.objects.filter(project=project, kind=MaterialKind.CLOUD_PLAN).count() == 2
    assert list(project.materials.current().values_list("display_name", flat=True)) == ["v2.pdf"]
    assert Path(first.file.path).is_file()


def test_a_refused_upload_stores_nothing(project, applicant, media_root):
    with pytest.raises(ValidationError):
        services.upload_material(
            project,
            by=applicant,
            kind=MaterialKind.CRYPTO_PLAN,
            upload=SimpleUploadedFile("x.pdf", EXE_BYTES),
        )
    assert not Material.objects.exists()
    assert not [path for path in Path(media_root).rglob("*") if path.is_file()]


def test_a_material_whose_stored_file_is_missing_gets_a_clear_page_not_a_500(client, project, applicant):
    from django.urls import reverse

    from govinfo.audit.models import AuditEvent
    from govinfo.stored_files import MISSING_ACTION

    material = services.upload_material(
        project, by=applicant, kind=MaterialKind.CLOUD_PLAN, upload=pdf_upload("上云方案.pdf")
    )
    material.file.storage.delete(material.file.name)
    client.force_login(applicant)
    client.raise_request_exception = False
    response = client.get(reverse("projects:material_download", args=[project.pk, material.pk]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "文件缺失" in page and "请联系系统管理员" in page and "上云方案.pdf" in page
    event = AuditEvent.objects.get(action=MISSING_ACTION)
    assert event.actor == applicant and event.details["file"] == material.file.name
    assert not AuditEvent.objects.filter(action="projects.material.downloaded").exists()
