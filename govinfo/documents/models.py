"""Issued documents (审核意见书, 批复, 验收意见, …) and the counters that number them.

Two different SHA-256 values belong to every issued document, and they answer different questions:

- ``content_fingerprint`` — SHA-256 over the document's canonical content (number, kind, agency, title,
  addressee, body, project, 抄送, signer, date; see ``govinfo.documents.issue.canonical_content``). It is
  printed on the PDF itself: a PDF cannot contain the hash of its own bytes, so what it carries is the
  fingerprint of what it says. Anyone can recompute it from the record.
- ``sha256`` — SHA-256 of the exact PDF bytes stored at issue. The verification page compares an
  uploaded file against it: equal means the file is byte-for-byte the one that was issued.

The tables keep the names they had when the engine lived in approvals (``approvals_issueddocument``,
``approvals_documentcounter``): the models moved, the rows and every issued number stayed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.models import Agency


class DocumentCounter(models.Model):
    """The last 发文字号 number one agency used in one year (R-REV-6).

    ``govinfo.documents.numbering.next_number`` locks this row and increments it in the same transaction
    that creates the document, so a number exists exactly when its document does: no gap, no duplicate.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    year = models.PositiveSmallIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("已用最大序号"), default=0)

    class Meta:
        db_table = "approvals_documentcounter"
        verbose_name = _("发文字号计数器")
        verbose_name_plural = _("发文字号计数器")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="document_counter_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.last_number}"


class DocumentImmutableError(Exception):
    """Raised when code tries to change or delete an issued document (it is append-only)."""


# Fields fixed at issue. Nothing may change them afterwards; a correction is a new document.
FROZEN_FIELDS = (
    "kind",
    "agency_id",
    "year",
    "number",
    "doc_number",
    "title",
    "target_type_id",
    "target_id",
    "project_code",
    "project_name",
    "issued_at",
    "issued_by_id",
    "pdf",
    "sha256",
    "content",
    "content_fingerprint",
    "verification_token",
)


def _cannot_change() -> DocumentImmutableError:
    return DocumentImmutableError(gettext("已签发的公文不能修改；如需更正，请另行签发新文件。"))


def _cannot_delete() -> DocumentImmutableError:
    return DocumentImmutableError(gettext("已签发的公文不能删除。"))


class IssuedDocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _cannot_change()

    def delete(self):
        raise _cannot_delete()

    def for_target(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))


def _pdf_path(instance: IssuedDocument, filename: str) -> str:
    # The storage name never carries user text: year and a random name only.
    return f"documents/{instance.year}/{filename}"


class IssuedDocument(models.Model):
    """One issued 公文: numbered, rendered once to PDF, stored with its SHA-256, append-only.

    ``sha256`` is the hash of the stored PDF file (what the verification upload is compared with);
    ``content_fingerprint`` is the hash of the canonical content, the value printed on the page.
    """

    class Kind(models.TextChoices):
        OPINION = "opinion", _("审核意见书")
        APPROVAL = "approval", _("批复")
        ACCEPTANCE = "acceptance", _("验收意见")
        # A decision not to approve is a document too (R-REV-6): NDRC answers a peer department by 函.
        REJECTION = "rejection", _("不予批复函")
        # NDRC's approval of a change application during construction (川办法 第二十八条, R-BLD-2).
        CHANGE_APPROVAL = "change_approval", _("调整批复")

    kind = models.CharField(_("文种"), max_length=16, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("发文机关")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    doc_number = models.CharField(_("发文字号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=255)
    # What the document decides (an opinion, a round, an acceptance …), without the engine importing it.
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("对象类型"),
    )
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    project_code = models.CharField(_("项目代码"), max_length=64, blank=True)
    project_name = models.CharField(_("项目名称"), max_length=255, blank=True)
    issued_at = models.DateTimeField(_("签发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("签发人")
    )
    pdf = models.FileField(_("PDF 文件"), upload_to=_pdf_path, max_length=200)
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64, unique=True)
    content = models.JSONField(_("规范化内容"), default=dict)
    content_fingerprint = models.CharField(_("内容指纹（SHA-256）"), max_length=64)
    verification_token = models.CharField(_("核验码"), max_length=64, unique=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        db_table = "approvals_issueddocument"
        verbose_name = _("已签发公文")
        verbose_name_plural = _("已签发公文")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="issued_document_agency_year_number"
            )
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="issued_document_target_idx"),
            # The project page lists the case's documents by its code.
            models.Index(fields=["project_code"], name="issued_document_project_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}"

    @property
    def issue_date(self):
        """成文日期 as printed on the document (stored in the canonical content)."""
        from datetime import date

        return date.fromisoformat(self.content["date"]) if self.content.get("date") else None

    @property
    def issuing_agency_name(self) -> str:
        return self.content.get("agency_name") or self.agency.name

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values(*FROZEN_FIELDS).first()
            if stored is not None:
                current = {name: getattr(self, name) for name in FROZEN_FIELDS}
                current["pdf"] = self.pdf.name if self.pdf else ""
                changed = [name for name in FROZEN_FIELDS if stored[name] != current[name]]
                if changed:
                    raise DocumentImmutableError(
                        gettext("已签发的公文不能修改（%(fields)s）；如需更正，请另行签发新文件。")
                        % {"fields": ", ".join(changed)}
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _cannot_delete()
