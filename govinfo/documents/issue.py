"""Issuing a 公文: number it once, render it once, store it, record it.

API for any app (review opinions and 批复, 验收意见, change approvals, the annual plan …)
-----------------------------------------------------------------------------------------
``issue_document(*, kind, agency, title, addressee, body, project_code, project_name, cc,
signer_agency_name, date, issued_by, target=None) -> IssuedDocument``

    Call it from a service, inside ``govinfo.documents.files.atomic_with_files()`` (not plain
    ``transaction.atomic()``): it opens its own (nested) block in which it takes the agency's next
    发文字号 (R-REV-6), renders the PDF once, stores it (``documents/<year>/<uuid>.pdf`` on the default
    storage), creates the ``IssuedDocument`` row and writes the audit event ``documents.document.issued``.
    If your transaction rolls back afterwards, the number is not used (no gap) and the stored file is
    deleted when your block ends (at the end of the request if you used plain ``transaction.atomic``):
    no orphan is left printed with a number the next issue uses (see ``files``). The number is locked
    from allocation to commit, so keep the rest of your transaction short: other issues of the same
    agency wait for it. Called from a lifecycle step (``workflow.perform``), the PDF is rendered while
    no transaction is open and the step is then taken again with it (``prerender``): the write lock is
    held for milliseconds, not for the render.

    - ``kind``: ``IssuedDocument.Kind.OPINION`` (审核意见书), ``APPROVAL`` (批复), ``ACCEPTANCE`` (验收意见),
      ``CHANGE_APPROVAL`` (调整批复).
    - ``agency``: the issuing ``govinfo.orgs.Agency``; its ``doc_prefix`` (e.g. 川发改审) must be set.
    - ``body``: a list of blocks, each a ``str`` (a paragraph) or ``Heading(level, text, run_in="")`` with
      level 1 一、(黑体), 2（一）(楷体), 3 1.(仿宋), 4（1）(仿宋); ``run_in`` is body text continuing the
      heading's paragraph. Write the heading numbers into the text.
    - ``addressee``: 主送机关 without the colon; ``cc``: the 抄送 organisations (list of names).
    - ``signer_agency_name``: the 署名 (usually the agency's full name); ``date``: the 成文日期
      (a ``datetime.date``; its year is the year of the number).
    - ``target``: the object decided (an opinion, a round, an acceptance …); stored as a generic
      reference so this engine never imports the apps that use it. Find documents again with
      ``IssuedDocument.objects.for_target(obj)``.
    - optional ``printer_name`` (印发机关, default: the agency's 办公室) and ``masthead_text``
      (发文机关标志, default: the agency's name + 文件).

Afterwards the document is served from storage (``govinfo.documents.views.download``; who may open it is
decided by ``govinfo.documents.access``, which apps extend with ``register_access``) and never
regenerated; the row and its file are append-only (a correction is a new document).
``verification.verification_url(doc)`` is the public link printed on the PDF;
``verification.find_by_file(fileobj)`` matches an uploaded PDF by SHA-256.

Two hashes, two questions (also on the verification page):
    ``content_fingerprint`` = SHA-256 of ``canonical_json(canonical_content(...))``, printed on the
    page — the PDF cannot carry the hash of its own bytes; ``sha256`` = SHA-256 of the stored PDF
    bytes, what an uploaded file must equal to be the genuine issued file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from govinfo.audit.trail import record
from govinfo.errors import Refused
from govinfo.formats import official_date
from govinfo.orgs.models import Agency

from . import rendering
from .files import atomic_with_files, track
from .models import IssuedDocument
from .numbering import format_doc_number, next_number
from .prerender import RenderFirst, prepared, rehearsing
from .verification import verification_url_for

ISSUED_ACTION = "documents.document.issued"


class DocumentError(Refused, ValueError):
    """The document cannot be issued as asked; the message says why."""


@dataclass(frozen=True)
class Heading:
    """A body heading: level 1 一、 (黑体), 2 （一） (楷体), 3 1. and 4 （1） (仿宋).

    ``run_in`` continues the same paragraph after the heading in body type, as 公文 usually do below
    level 1: ``Heading(2, "（一）应用系统建设。", "建设学籍管理……")``.
    """

    level: int
    text: str
    run_in: str = ""


def body_blocks(body: Iterable[str | Heading]) -> list[dict]:
    blocks = []
    for item in body:
        if isinstance(item, Heading):
            if item.level not in (1, 2, 3, 4):
                raise DocumentError(
                    _("标题层级只能是 1–4（一、（一）1.（1）），收到 %(level)s") % {"level": item.level}
                )
            blocks.append({"level": item.level, "text": item.text.strip(), "run_in": item.run_in.strip()})
        elif isinstance(item, str):
            if item.strip():
                blocks.append({"level": 0, "text": item.strip(), "run_in": ""})
        else:
            raise DocumentError(
                _("正文只能由段落（文字）和 Heading 组成，收到 %(type)s") % {"type": type(item).__name__}
            )
    if not blocks:
        raise DocumentError(_("正文不能为空"))
    return blocks


def canonical_content(
    *,
    doc_number: str,
    kind: str,
    agency: Agency,
    title: str,
    addressee: str,
    body: Sequence[dict],
    project_code: str,
    project_name: str,
    cc: Sequence[str],
    signer: str,
    date: dt.date,
) -> dict:
    """What the document says, as plain data: the input of the printed content fingerprint."""
    return {
        "doc_number": doc_number,
        "kind": kind,
        "agency_code": agency.code,
        "agency_name": agency.name,
        "title": title,
        "addressee": addressee,
        "body": [[block["level"], block["text"], block["run_in"]] for block in body],
        "project_code": project_code,
        "project_name": project_name,
        "cc": list(cc),
        "signer": signer,
        "date": date.isoformat(),
    }


def canonical_json(content: dict) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same content always gives the same bytes."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_fingerprint(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


@dataclass(frozen=True)
class RenderedDocument:
    pdf_bytes: bytes
    content: dict
    fingerprint: str


def _document_html(
    *,
    doc_number: str,
    token: str,
    kind: str,
    agency: Agency,
    title: str,
    addressee: str,
    body: Sequence[dict],
    project_code: str,
    project_name: str,
    cc: Sequence[str],
    signer_agency_name: str,
    date: dt.date,
    printer_name: str | None = None,
    masthead_text: str | None = None,
) -> tuple[str, dict, str]:
    """The document's HTML, canonical content and content fingerprint (no database)."""
    content = canonical_content(
        doc_number=doc_number,
        kind=kind,
        agency=agency,
        title=title,
        addressee=addressee,
        body=body,
        project_code=project_code,
        project_name=project_name,
        cc=cc,
        signer=signer_agency_name,
        date=date,
    )
    fingerprint = content_fingerprint(content)
    url = verification_url_for(token)
    html = rendering.render_html(
        {
            "masthead": rendering.masthead_for(masthead_text or f"{agency.name}文件"),
            "doc": {
                "doc_number": doc_number,
                "title": title,
                "title_lines": rendering.title_lines(title),
                "addressee": addressee,
                "body": body,
                "signer": signer_agency_name,
                "date_text": official_date(date),
                "cc": cc,
                "printer": printer_name or f"{agency.name}办公室",
                "project_code": project_code,
                "project_name": project_name,
            },
            "verify": {"url": url, "qr": rendering.qr_data_uri(url), "fingerprint": fingerprint},
        }
    )
    return html, content, fingerprint


def render_document(**fields) -> RenderedDocument:
    """The PDF bytes, canonical content and content fingerprint of one document (no database).

    Takes the keyword arguments of ``_document_html``: ``doc_number``, ``token``, ``kind``, ``agency``,
    ``title``, ``addressee``, ``body`` (blocks), ``project_code``, ``project_name``, ``cc``,
    ``signer_agency_name``, ``date``, optional ``printer_name`` and ``masthead_text``.
    """
    html, content, fingerprint = _document_html(**fields)
    return RenderedDocument(rendering.html_to_pdf(html), content, fingerprint)


# A preview (样稿) is the document as it would be issued, but it takes no number, is not stored, not recorded
# and cannot be verified: 样稿 stands where the 发文字号 goes, is watermarked over every page, and the
# verification note (a link and fingerprint that would lead nowhere) is not shown.
PREVIEW_MARK = "样稿"
PREVIEW_TOKEN = "preview"
_PREVIEW_OVERLAY = (
    "<style>"
    # The verification note (the 附注: QR, link, fingerprint) is hidden where it stands, so the 版记 that
    # floats from inside it keeps its place; ``visibility`` lets the 版记 show again.
    ".verify,.note{visibility:hidden}.note .back-matter{visibility:visible}"
    ".preview-mark{position:fixed;top:95mm;left:0;width:100%;text-align:center;font-size:110pt;"
    "line-height:1;letter-spacing:.4em;color:rgba(200,0,0,.16);transform:rotate(-30deg)}"
    ".preview-note{position:fixed;top:-30mm;left:0;width:100%;text-align:center;font-size:10.5pt;"
    "line-height:1.2;letter-spacing:0;color:#c00}"
    "</style>"
    '<div class="preview-mark">{mark}</div><div class="preview-note">{note}</div>'
)


def _checked_blocks(kind: str, agency: Agency, title: str, body) -> tuple[str, list[dict]]:
    if kind not in IssuedDocument.Kind.values:
        raise DocumentError(_("未知的文种：%(kind)s") % {"kind": kind})
    if not agency.doc_prefix:
        raise DocumentError(_("%(agency)s未设置发文字号前缀，不能发文（R-REV-6）") % {"agency": agency.name})
    title = title.strip()
    if not title:
        raise DocumentError(_("公文标题不能为空"))
    return title, body_blocks(body)


def preview_document(
    *,
    kind: str,
    agency: Agency,
    title: str,
    addressee: str,
    body: Iterable[str | Heading],
    project_code: str = "",
    project_name: str = "",
    cc: Sequence[str] = (),
    signer_agency_name: str,
    date: dt.date,
    printer_name: str | None = None,
    masthead_text: str | None = None,
) -> bytes:
    """The PDF of a document not yet issued, marked 样稿 (see ``PREVIEW_MARK``): same arguments as
    ``issue_document`` without ``issued_by`` and ``target``. Nothing is numbered, stored or recorded;
    serve it with ``Cache-Control: no-store``."""
    title, blocks = _checked_blocks(kind, agency, title, body)
    html, _content, _fingerprint = _document_html(
        doc_number=PREVIEW_MARK,
        token=PREVIEW_TOKEN,
        kind=kind,
        agency=agency,
        title=title,
        addressee=addressee.strip(),
        body=blocks,
        project_code=project_code,
        project_name=project_name,
        cc=[name.strip() for name in cc if name and name.strip()],
        signer_agency_name=signer_agency_name,
        date=date,
        printer_name=printer_name,
        masthead_text=masthead_text,
    )
    overlay = _PREVIEW_OVERLAY.replace("{mark}", PREVIEW_MARK).replace(
        "{note}", escape(_("样稿：未编号、未签发，不作为正式文件使用"))
    )
    head, tail = html.rsplit("</body>", 1) if "</body>" in html else (html, "")
    return rendering.html_to_pdf(f"{head}{overlay}</body>{tail}")


def issue_document(
    *,
    kind: str,
    agency: Agency,
    title: str,
    addressee: str,
    body: Iterable[str | Heading],
    project_code: str = "",
    project_name: str = "",
    cc: Sequence[str] = (),
    signer_agency_name: str,
    date: dt.date,
    issued_by,
    target=None,
    printer_name: str | None = None,
    masthead_text: str | None = None,
) -> IssuedDocument:
    """Number, render once, store and record one 公文 (R-REV-6). See the module docstring."""
    title, blocks = _checked_blocks(kind, agency, title, body)
    cc = [name.strip() for name in cc if name and name.strip()]
    year = date.year

    # A failure inside this block, or in the caller's transaction after it, deletes the stored file.
    with atomic_with_files():
        number = next_number(agency, year)
        doc_number = format_doc_number(agency.doc_prefix, year, number)
        what = {
            "doc_number": doc_number,
            "kind": kind,
            "agency": agency,
            "title": title,
            "addressee": addressee.strip(),
            "body": blocks,
            "project_code": project_code,
            "project_name": project_name,
            "cc": cc,
            "date": date,
        }
        fingerprint = content_fingerprint(canonical_content(signer=signer_agency_name, **what))
        ready = prepared(fingerprint)
        if ready is not None:
            token, rendered = ready  # rendered outside the lock for exactly this content and number
        else:
            token = secrets.token_urlsafe(24)

            def render(token=token) -> tuple[str, RenderedDocument]:
                return token, render_document(
                    token=token,
                    signer_agency_name=signer_agency_name,
                    printer_name=printer_name,
                    masthead_text=masthead_text,
                    **what,
                )

            if rehearsing():
                raise RenderFirst(fingerprint, render)  # rolls back, renders unlocked, comes back (prerender)
            token, rendered = render()
        document = IssuedDocument(
            kind=kind,
            agency=agency,
            year=year,
            number=number,
            doc_number=doc_number,
            title=title,
            project_code=project_code,
            project_name=project_name,
            issued_at=timezone.now(),
            issued_by=issued_by,
            sha256=hashlib.sha256(rendered.pdf_bytes).hexdigest(),
            content=rendered.content,
            content_fingerprint=rendered.fingerprint,
            verification_token=token,
        )
        if target is not None:
            document.target_type = ContentType.objects.get_for_model(target)
            document.target_id = str(target.pk)
        document.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(rendered.pdf_bytes), save=False)
        track(document.pdf)
        document.save()
        record(
            ISSUED_ACTION,
            actor=issued_by,
            target=document,
            details={
                "doc_number": doc_number,
                "kind": kind,
                "title": title,
                "sha256": document.sha256,
                "content_fingerprint": rendered.fingerprint,
                "target": f"{document.target_type_id}:{document.target_id}" if target is not None else "",
            },
        )
    return document
