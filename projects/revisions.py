"""Application revisions: what the unit submitted, frozen at every submission (R-REV-5: all rounds kept).

``services.submit`` calls ``freeze`` right after the transition, inside its transaction, so revision N
is exactly what round N's reviewers open. The content is plain JSON: every section with its fields'
labels, raw values and display values, the participants with their scopes, the linked catalogue entries
and the material versions current at submission. Labels are stored as shown in the default language
(their gettext msgids), so a page can still translate them; amounts are yuan strings, shown in 万元.

``build_content`` reads field values, ``_meta`` and related managers only, so the data migration that
backfills revisions for projects submitted before this existed runs it on historical models.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, pgettext

from govinfo.audit import trail
from govinfo.formats import display_date, series
from govinfo.rules import article_label

from . import exclusions
from .models import (
    ApplicationRevision,
    ApplicationStage,
    ApprovalPath,
    FundChannel,
    MaterialKind,
    Mode,
    stage_of,
)
from .money import format_wan
from .sections import BY_KEY

SCHEMA = 1

BASIC_FIELDS = [
    "name",
    "year",
    "category",
    "lead_unit",
    "national_code",
    "main_tasks",
    "basis_and_necessity",
    "performance_goals",
    "implementation_mode",
    "mode_reason",
    "is_upgrade",
    "predecessor",
    "predecessor_name",
    "predecessor_acceptance_ref",
]
TECHNICAL_FIELDS = [
    "application_summary",
    "cloud_requirement",
    "security_level",
    "crypto_summary",
    "secure_reliable_status",
    "secure_reliable_note",
    "includes_civil_works",
    "energy_intensive",
    "data_sharing_exempt",
    "sharing_exemption_basis",
    "leading_group_approval_no",
    "leading_group_approval_date",
]
FUNDING_FIELDS = [
    "total_investment",
    "om_funding",
    "fund_channels",
    "funding_note",
    "approval_path",
    "path_override",
    "path_override_reason",
]
# Only a two-step project has a 可研 批复 to compare its 初步设计 with (R-APP-9).
TWO_STEP_FIELDS = [
    "two_step_stage",
    "feasibility_approved_investment",
    "design_exceeds_feasibility",
    "design_change_is_major",
]
PURCHASE_FIELDS = [
    "purchase_not_goods_or_works",
    "purchase_cheaper_than_self_build",
    "purchase_multiple_suppliers",
    "purchase_no_secrecy_conflict",
    "purchase_comparison",
]
MONEY_FIELDS = {"total_investment", "om_funding", "feasibility_approved_investment"}
# Stored untranslated in the frozen content (its msgid); the page translates them when it shows them.
YES, NO, UNSET = gettext_noop("是"), gettext_noop("否"), gettext_noop("未确认")


# -- freezing ----------------------------------------------------------------------------------------


def _project_label(project) -> str:
    return f"{project.code} {project.name}" if project.code else project.name


def _field(project, name: str) -> dict:
    """One field as ``{name, label, type, value, display}``; display values as the pages show them."""
    model_field = project._meta.get_field(name)
    entry = {"name": name, "label": str(model_field.verbose_name)}
    if name in MONEY_FIELDS:
        amount = getattr(project, name)
        value = None if amount is None else f"{amount:.2f}"
        return {**entry, "type": "money", "value": value, "display": format_wan(value)}
    if name == "fund_channels":
        labels = dict(FundChannel.choices)
        channels = list(project.fund_channels or [])
        parts = [str(labels.get(channel, channel)) for channel in channels]
        return {**entry, "type": "list", "value": channels, "parts": parts, "display": series(parts)}
    if model_field.is_relation:
        related = getattr(project, name)
        shown = "" if related is None else (related.name if name == "lead_unit" else _project_label(related))
        return {**entry, "type": "text", "value": getattr(project, model_field.attname), "display": shown}
    value = getattr(project, name)
    if model_field.get_internal_type() == "DateField":
        shown = "" if value is None else display_date(value)
        return {
            **entry,
            "type": "text",
            "value": None if value is None else value.isoformat(),
            "display": shown,
        }
    if model_field.get_internal_type() == "BooleanField":
        shown = UNSET if value is None else (YES if value else NO)
        return {**entry, "type": "choice", "value": value, "display": shown}
    if model_field.choices:
        shown = str(dict(model_field.flatchoices).get(value, value)) if value else ""
        return {**entry, "type": "choice", "value": value, "display": shown}
    return {**entry, "type": "text", "value": value, "display": "" if value is None else str(value)}


def _exclusion_fields(project) -> list[dict]:
    answers = project.exclusion_answers or {}
    rows = []
    for item in exclusions.ITEMS:
        entry = answers.get(item.code) or {}
        given, basis = entry.get("answer", ""), (entry.get("basis") or "").strip()
        rows.append(
            {
                "name": item.code,
                "label": str(item.question),
                "prefix": f"第八条{item.clause}",
                "type": "exclusion",
                "value": {"answer": given, "basis": basis},
                "display": _exclusion_display(given, basis),
            }
        )
    return rows


def _exclusion_display(given: str, basis: str) -> str:
    # The frozen form, always in the default language (the fingerprint must not depend on the submitter's
    # language); the page builds its own from the value (``shown``).
    answer = {exclusions.YES: YES, exclusions.NO: NO}.get(given, "")
    return f"{answer}（{basis}）" if answer and basis else answer


def _current_materials(project) -> list[dict]:
    """The version of each kind current at submission; every "other" upload is a document of its own."""
    order = {kind: index for index, kind in enumerate(MaterialKind.values)}
    labels = dict(MaterialKind.choices)
    chosen, seen = [], set()
    for material in project.materials.order_by("kind", "-version", "-id"):
        if material.kind != MaterialKind.OTHER:
            if material.kind in seen:
                continue
            seen.add(material.kind)
        chosen.append(material)
    chosen.sort(key=lambda m: (order.get(m.kind, len(order)), m.version, m.pk))
    return [
        {
            "material_id": m.pk,
            "kind": m.kind,
            "kind_label": str(labels.get(m.kind, m.kind)),
            "version": m.version,
            "display_name": m.display_name,
            "file_format": m.file_format,
            "sha256": m.sha256,
            "size": m.size,
        }
        for m in chosen
    ]


def _participants(project) -> list[dict]:
    return [
        {"unit_id": p.unit_id, "unit": p.unit.name, "scope": p.scope}
        for p in project.participants.select_related("unit").order_by("id")
    ]


def _resources(project) -> list[dict]:
    links = project.resource_links.select_related("resource__provider").order_by("relation", "id")
    relations = dict(project.resource_links.model._meta.get_field("relation").flatchoices)
    states = dict(links.model._meta.get_field("resource").related_model._meta.get_field("state").flatchoices)
    return [
        {
            "resource_id": link.resource_id,
            "code": link.resource.code,
            "name": link.resource.name,
            "provider_id": link.resource.provider_id,
            "provider": link.resource.provider.name,
            "state": link.resource.state,
            "state_label": str(states.get(link.resource.state, link.resource.state)),
            "relation": link.relation,
            "relation_label": str(relations.get(link.relation, link.relation)),
        }
        for link in links
    ]


def _section(key: str, **parts) -> dict:
    return {"key": key, "title": str(BY_KEY[key].title), **parts}


def build_content(project) -> dict:
    """The application as it stands, in the frozen form a revision keeps (see the module docstring)."""
    with translation.override(settings.LANGUAGE_CODE):
        funding = [
            *FUNDING_FIELDS,
            *(TWO_STEP_FIELDS if project.approval_path == ApprovalPath.TWO_STEP else []),
        ]
        sections = [
            _section("basic", fields=[_field(project, name) for name in BASIC_FIELDS]),
            _section("technical", fields=[_field(project, name) for name in TECHNICAL_FIELDS]),
            _section("funding", fields=[_field(project, name) for name in funding]),
            _section("exclusions", fields=_exclusion_fields(project)),
        ]
        # Only 购买服务 projects answer the 第十九条 conditions (as the form shows them).
        if project.implementation_mode == Mode.PURCHASE:
            sections.append(_section("purchase", fields=[_field(project, name) for name in PURCHASE_FIELDS]))
        sections += [
            _section("participants", fields=[_field(project, "lead_scope")], rows=_participants(project)),
            _section("catalogue", fields=[], rows=_resources(project)),
            _section("materials", fields=[], rows=_current_materials(project)),
        ]
        stage = stage_of(project)
        return {
            "schema": SCHEMA,
            "project": {
                "id": project.pk,
                "code": project.code or "",
                "name": project.name,
                "lead_unit": project.lead_unit.name,
            },
            "stage": str(stage),
            "stage_label": str(dict(ApplicationStage.choices)[stage]),
            "sections": sections,
        }


def digest(content: dict) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8): the same on SQLite and PostgreSQL."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_intact(revision: ApplicationRevision) -> bool:
    return digest(revision.content) == revision.content_sha256


def freeze(project, *, by) -> ApplicationRevision:
    """Revision N+1 of ``project`` from what it holds now. Call inside the submit transaction, with the
    project row locked, so two submissions cannot take the same number."""
    content = build_content(project)
    last = ApplicationRevision.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0
    revision = ApplicationRevision.objects.create(
        project=project,
        number=last + 1,
        stage=content["stage"],
        submitted_by=by,
        submitted_at=project.submitted_at or timezone.now(),
        content=content,
        content_sha256=digest(content),
    )
    trail.record(
        "projects.revision.frozen",
        actor=by,
        target=project,
        details={
            "number": revision.number,
            "stage": content["stage_label"],
            "content_sha256": revision.content_sha256,
        },
    )
    return revision


# -- reading ----------------------------------------------------------------------------------------


def latest(project) -> ApplicationRevision | None:
    """The revision the project was last submitted as (what a review round opened now reviews)."""
    return ApplicationRevision.objects.filter(project=project).order_by("-number").first()


def listing(project) -> list[ApplicationRevision]:
    """The project's revisions for a list, without their content."""
    return list(
        ApplicationRevision.objects.filter(project=project)
        .select_related("submitted_by")
        .defer("content")
        .order_by("number")
    )


def with_previous(project, number: int) -> tuple[ApplicationRevision, ApplicationRevision | None]:
    """Revision ``number`` and the one before it, in one query; 404 when there is no such revision."""
    found = {
        revision.number: revision
        for revision in ApplicationRevision.objects.filter(
            project=project, number__in=[number - 1, number]
        ).select_related("submitted_by")
    }
    if number not in found:
        raise Http404(gettext("没有这一申报版本。"))
    return found[number], found.get(number - 1)


def _label(entry: dict) -> str:
    label = gettext(entry["label"]) if entry.get("label") else ""
    if not entry.get("prefix"):
        return label
    # The prefix is the frozen article (第八条（一）), shown as the reader's language writes it.
    return f"{article_label(entry['prefix'])} {label}"


def shown(entry: dict) -> str:
    """A frozen field's value for the page, in the reader's language where the value is a label."""
    kind, value = entry.get("type"), entry.get("value")
    if kind == "money":
        return format_wan(value)
    if kind == "choice":
        return gettext(entry["display"]) if entry.get("display") else ""
    if kind == "list":
        return series(gettext(part) for part in entry.get("parts", []))
    if kind == "exclusion":
        answer = {exclusions.YES: YES, exclusions.NO: NO}.get((value or {}).get("answer", ""), "")
        basis = (value or {}).get("basis", "")
        if not answer:
            return ""
        answer = gettext(answer)
        return (
            gettext("%(answer)s（依据：%(basis)s）") % {"answer": answer, "basis": basis} if basis else answer
        )
    return entry.get("display", "")


def _material_text(row: dict) -> str:
    return gettext("%(kind)s 第%(version)d版 %(name)s") % {
        "kind": gettext(row["kind_label"]),
        "version": row["version"],
        "name": row["display_name"],
    }


def _resource_text(row: dict) -> str:
    return gettext("%(relation)s：%(name)s（%(code)s，%(provider)s）") % {
        "relation": gettext(row["relation_label"]),
        "name": row["name"],
        "code": row["code"],
        "provider": row["provider"],
    }


def _participant_text(row: dict) -> str:
    if not row.get("scope"):
        return row["unit"]
    return row["unit"] + pgettext("label separator", "：") + row["scope"]


ROW_LABELS = ("kind_label", "relation_label", "state_label")


def _translated_row(row: dict) -> dict:
    return {**row, **{key: gettext(row[key]) for key in ROW_LABELS if row.get(key)}}


def sections_for_page(content: dict) -> list[dict]:
    """The frozen sections ready for the template: translated titles and labels, shown values, rows."""
    result = []
    for section in content.get("sections", []):
        result.append(
            {
                "key": section["key"],
                "title": gettext(section["title"]),
                "fields": [{"label": _label(entry), "value": shown(entry)} for entry in section["fields"]],
                "rows": [_translated_row(row) for row in section.get("rows", [])],
            }
        )
    return result


# -- what changed since the previous revision --------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference: a field ``changed`` (old → new), a row ``added`` or ``removed``, a material
    ``replaced`` by another version (old → new)."""

    kind: str
    label: str
    old: str = ""
    new: str = ""


@dataclass
class SectionChanges:
    key: str
    title: str
    changes: list[Change] = field(default_factory=list)


def _content(revision_or_content) -> dict | None:
    if revision_or_content is None:
        return None
    if isinstance(revision_or_content, ApplicationRevision):
        return revision_or_content.content
    return revision_or_content


def _field_changes(old_fields: list[dict], new_fields: list[dict]) -> list[Change]:
    old_by_name = {entry["name"]: entry for entry in old_fields}
    new_by_name = {entry["name"]: entry for entry in new_fields}
    names = [entry["name"] for entry in new_fields] + [n for n in old_by_name if n not in new_by_name]
    changes = []
    for name in names:
        old, new = old_by_name.get(name), new_by_name.get(name)
        if old is not None and new is not None and old.get("value") == new.get("value"):
            continue
        changes.append(
            Change(
                "changed",
                _label(new or old),
                (shown(old) if old else "") or "—",
                (shown(new) if new else "") or "—",
            )
        )
    return changes


def _row_changes(old_rows, new_rows, key, text, pair=None) -> list[Change]:
    """Rows matched by ``key``: added, removed, and whatever ``pair(before, after)`` finds in a pair
    present in both (a material replaced by another version, a participant's scope changed)."""
    old_by_key = {key(row): row for row in old_rows}
    new_by_key = {key(row): row for row in new_rows}
    changes = []
    for row_key, row in new_by_key.items():
        before = old_by_key.get(row_key)
        if before is None:
            changes.append(Change("added", text(row)))
        elif pair is not None and (change := pair(before, row)) is not None:
            changes.append(change)
    changes += [
        Change("removed", text(row)) for row_key, row in old_by_key.items() if row_key not in new_by_key
    ]
    return changes


def _version_text(row: dict) -> str:
    return gettext("第%(version)d版 %(name)s") % {"version": row["version"], "name": row["display_name"]}


def _replaced(before: dict, after: dict) -> Change | None:
    if before["material_id"] == after["material_id"]:
        return None
    return Change("replaced", gettext(after["kind_label"]), _version_text(before), _version_text(after))


def _rescoped(before: dict, after: dict) -> Change | None:
    if (before.get("scope") or "") == (after.get("scope") or ""):
        return None
    return Change("changed", after["unit"], before.get("scope") or "—", after.get("scope") or "—")


def _materials(old_rows, new_rows) -> list[Change]:
    # Every "other" upload is a document of its own; any other kind has one current version.
    return _row_changes(
        old_rows,
        new_rows,
        key=lambda row: (row["kind"], row["material_id"] if row["kind"] == MaterialKind.OTHER else None),
        text=_material_text,
        pair=_replaced,
    )


def _links(old_rows, new_rows) -> list[Change]:
    return _row_changes(
        old_rows, new_rows, key=lambda row: (row["resource_id"], row["relation"]), text=_resource_text
    )


def _people(old_rows, new_rows) -> list[Change]:
    return _row_changes(
        old_rows, new_rows, key=lambda row: row["unit_id"], text=_participant_text, pair=_rescoped
    )


ROW_CHANGES = {"materials": _materials, "catalogue": _links, "participants": _people}


def diff(old, new) -> list[SectionChanges]:
    """What changed from ``old`` to ``new`` (revisions or their content), section by section; sections
    without changes are left out. No previous revision (``old`` None): nothing to compare, ``[]``."""
    before, after = _content(old), _content(new)
    if before is None or after is None:
        return []
    result = []
    if before.get("stage") != after.get("stage"):
        result.append(
            SectionChanges(
                "stage",
                gettext("申报阶段"),
                [
                    Change(
                        "changed",
                        gettext("申报阶段"),
                        gettext(before.get("stage_label", "")),
                        gettext(after.get("stage_label", "")),
                    )
                ],
            )
        )
    old_sections = {section["key"]: section for section in before.get("sections", [])}
    new_sections = {section["key"]: section for section in after.get("sections", [])}
    keys = list(new_sections) + [key for key in old_sections if key not in new_sections]
    for key in keys:
        old_section, new_section = old_sections.get(key, {}), new_sections.get(key, {})
        changes = _field_changes(old_section.get("fields", []), new_section.get("fields", []))
        if key in ROW_CHANGES:
            changes += ROW_CHANGES[key](old_section.get("rows", []), new_section.get("rows", []))
        if changes:
            title = (new_section or old_section)["title"]
            result.append(SectionChanges(key, gettext(title), changes))
    return result
