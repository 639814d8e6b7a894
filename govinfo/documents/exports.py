"""Issued documents (审核意见书, 批复, 验收意见 …) as an export: the register of every numbered document
the user may open (``documents.access``). Apps that know a document's project add the unit filter."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govinfo.exports import registry
from govinfo.exports.registry import CHOICE, DATE, NUMBER, Column

from .access import documents_visible_to
from .models import IssuedDocument


@registry.register
class IssuedDocumentExporter(registry.Exporter):
    identifier = "documents"
    verbose_name = _("已签发公文")
    description = _("发文字号、文种、发文机关、标题、所涉项目、签发日期和签发人，以及文件哈希和内容指纹。")
    filters = ("year", "agency", "state", "date_from", "date_to")
    date_field = "issued_at"
    date_label = _("签发日期")
    ordering = ("-issued_at", "-pk")
    state_choices = tuple(IssuedDocument.Kind.choices)

    def base_queryset(self, user):
        return documents_visible_to(user)

    def filter_agency(self, qs, agency):
        return qs.filter(agency=agency)

    def filter_state(self, qs, kind):
        return qs.filter(kind=kind)

    def base_columns(self) -> list[Column]:
        return [
            Column("doc_number", _("发文字号"), width=22),
            Column("kind", _("文种"), kind=CHOICE, choices=IssuedDocument.Kind.choices, width=12),
            Column("agency__name", _("发文机关"), width=22),
            Column("title", _("标题"), width=48),
            Column("project_code", _("项目代码"), width=18),
            Column("project_name", _("项目名称"), width=36),
            Column("year", _("年度"), kind=NUMBER, width=8),
            Column("issued_at", _("签发日期"), kind=DATE, width=14),
            Column("issued_by__full_name", _("签发人"), width=10),
            Column("sha256", _("文件 SHA-256"), width=66),
            Column("content_fingerprint", _("内容指纹（SHA-256）"), width=66),
        ]

    def link(self, row: dict) -> str | None:
        return reverse("documents:download", args=[row["pk"]])
