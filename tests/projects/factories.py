"""Building projects for tests through the services, as a clerk would."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from projects.checks import required_material_kinds
from projects.demo import COMPLETE, tiny_pdf
from projects.models import ProjectResource
from tests.catalogue.factories import make_resource

WAN = Decimal(10000)


def pdf_upload(name: str = "方案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf("test"), content_type="application/pdf")


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


OFD_ROOT = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1" DocType="OFD">'
    b"<ofd:DocBody><ofd:DocInfo><ofd:DocID>0c3f0e9b8a1d4c2e9f7a6b5c4d3e2f10</ofd:DocID></ofd:DocInfo>"
    b"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
)


def ofd_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal OFD package (GB/T 33190): OFD.xml naming its DocRoot, plus any ``extra`` entries."""
    document = b'<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>'
    return zip_bytes({"OFD.xml": OFD_ROOT, "Doc_0/Document.xml": document, **(extra or {})})


EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x00" * 200
)


def draft(unit, clerk, name="四川省测试业务系统", **fields):
    return services.create_project(unit=unit, by=clerk, name=name, **fields)


def link_own_resource(project, clerk, relation=ProjectResource.Relation.PRODUCED, **resource_fields):
    """A draft catalogue entry of the lead unit, linked to the project (R-APP-2)."""
    resource = make_resource(project.lead_unit, clerk, **resource_fields)
    return services.link_resource(project, by=clerk, resource=resource, relation=relation)


def complete(
    unit, clerk, name="四川省测试业务系统", investment_wan=1500, materials=True, catalogue=True, **overrides
):
    """A draft that passes every check this branch has."""
    project = draft(unit, clerk, name=name)
    changes = {**COMPLETE, "total_investment": Decimal(investment_wan) * WAN, **overrides}
    project = services.update_section(project, by=clerk, section="basic", changes=changes)
    if materials:
        for kind in required_material_kinds(project):
            services.upload_material(project, by=clerk, kind=kind, upload=pdf_upload(f"{kind}.pdf"))
    if catalogue:
        link_own_resource(project, clerk)
    return project


def accept(project, *, by):
    """NDRC accepts the application into review (approvals owns the step); the project, up to date."""
    from approvals import services as review_services

    review_services.accept_into_review(project, by=by)
    project.refresh_from_db()
    return project


def return_for_revision(project, *, by, reason):
    """An agency holding the case returns it (approvals owns the step); the project, up to date."""
    from approvals import services as review_services

    return review_services.return_application(project, by=by, reason=reason)
