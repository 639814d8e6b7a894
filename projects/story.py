"""The whole story of a case on its page: what happened (a timeline) and who may do what next.

The project page shows the years after the 批复 as well as the application, but ``projects`` may not import
the apps downstream of it (ARCHITECTURE.md). So the story is read generically:

- **Timeline** (``timeline``): every audit event recorded against the project — each service records its
  event with the case as target, whichever app it lives in — and every issued document carrying the
  project's code (批复, 审核意见书, 调整批复, 验收意见 …), with a link to open it for those the 公文 engine's
  access rules allow. Both in time order, in two queries whatever the app that wrote them.
  What an event's details say is worded by registered describers (``register_lines``) or, for plain keys,
  by registered labels (``register_detail``); reads (downloads) stay in the audit trail only (``hide``).
- **Next steps** (``next_steps``): every step of the lifecycle table the case can take from its state,
  with who takes it (``Step.role``), where (``Step.page``), and for the person looking whether they may
  and, if it is theirs but waits, why not. Apps add the actions that are not transitions of the project
  (reporting a change, ordering a rectification …) with ``register_next_steps``.
- **Sections** (``sections``): cards of facts an app adds to the page (``register_section``), e.g. the
  construction's responsible person, 监理 unit and the approved / adjusted / current amounts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django_fsm import can_proceed

from govinfo import workflow
from govinfo.audit.actions import describe
from govinfo.audit.models import AuditEvent
from govinfo.documents.access import can_view_document
from govinfo.documents.models import IssuedDocument
from govinfo.orgs import roles


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    when: dt.datetime
    title: str
    actor: str = ""
    state: str = ""  # the state the case entered, as its label
    lines: tuple[str, ...] = ()
    link_label: str = ""
    link_url: str = ""
    kind: str = "event"  # "event" or "document"


@dataclass(frozen=True)
class NextStep:
    """A step someone may take next. ``mine``: the person looking is the one who takes it."""

    role: str
    label: str
    url: str = ""
    allowed: bool = False
    mine: bool = False
    reason: str = ""
    step: str = ""  # the lifecycle row it stands for, if any (so the table's own listing skips it)


@dataclass(frozen=True)
class Section:
    """A card of facts on the project page, rendered with ``template`` and ``context``."""

    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


LineDescriber = Callable[[dict], list[str]]
_DETAIL_LABELS: dict[str, tuple[Any, Callable[[Any], str] | None]] = {}
_LINE_DESCRIBERS: dict[str, LineDescriber] = {}
_HIDDEN: set[str] = set()
_NEXT_STEP_PROVIDERS: list[Callable[[Any, Any], list[NextStep]]] = []
_SECTION_PROVIDERS: list[Callable[[Any, Any], list[Section]]] = []


def register_detail(key: str, label, formatter: Callable[[Any], str] | None = None) -> None:
    """Show the event detail ``key`` wherever it occurs, as "label：value" (value through ``formatter``)."""
    _DETAIL_LABELS[key] = (label, formatter)


def register_lines(action: str, describer: LineDescriber) -> None:
    """Word the details of ``action`` events yourself: ``describer(details) -> lines``."""
    _LINE_DESCRIBERS[action] = describer


def hide(*actions: str) -> None:
    """Events that are reads, not part of the story (they stay in the audit trail)."""
    _HIDDEN.update(actions)


def register_next_steps(provider: Callable[[Any, Any], list[NextStep]]) -> None:
    if provider not in _NEXT_STEP_PROVIDERS:
        _NEXT_STEP_PROVIDERS.append(provider)


def register_section(provider: Callable[[Any, Any], list[Section]]) -> None:
    if provider not in _SECTION_PROVIDERS:
        _SECTION_PROVIDERS.append(provider)


def _series(value) -> str:
    from govinfo.formats import series

    return series(value) if isinstance(value, list) else str(value)


# Keys several apps write in their events' details, worded once here. Only keys whose values are data
# (names, numbers, what people typed): a label stored in the language of the moment (a conclusion, a
# round's name) would read in that language forever; such events word their lines with a describer.
register_detail("reason", gettext_lazy("理由"))
register_detail("agency", gettext_lazy("机构"))
register_detail("agencies", gettext_lazy("审核机构"), _series)
register_detail("doc_number", gettext_lazy("文号"))
register_detail("note", gettext_lazy("说明"))


# -- the timeline -----------------------------------------------------------------------------------


def _event_lines(event: AuditEvent) -> tuple[str, ...]:
    details = event.details or {}
    describer = _LINE_DESCRIBERS.get(event.action)
    if describer is not None:
        return tuple(line for line in describer(details) if line)
    lines = []
    for key, value in details.items():
        if key not in _DETAIL_LABELS or value in (None, "", [], {}):
            continue
        label, formatter = _DETAIL_LABELS[key]
        shown = formatter(value) if formatter else (value if isinstance(value, str) else str(value))
        lines.append(f"{label}{pgettext('label separator', '：')}{shown}")
    return tuple(lines)


def _state_label(value: str) -> str:
    from .models import State

    try:
        return str(State(value).label)
    except ValueError:
        return ""


def timeline(user, project) -> list[Entry]:
    """Every event and document of the case, oldest first (two queries)."""
    entries = []
    events = (
        AuditEvent.objects.for_object(project)
        .exclude(action__in=_HIDDEN)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    for event in events:
        entries.append(
            Entry(
                when=event.created_at,
                title=describe(event.action),
                actor=event.actor.display_name if event.actor else _("系统"),
                state=_state_label(event.to_state) if event.to_state != event.from_state else "",
                lines=_event_lines(event),
            )
        )
    if project.code:
        documents = list(
            IssuedDocument.objects.filter(project_code=project.code)
            .select_related("agency", "issued_by")
            .order_by("issued_at", "id")
        )
        # The download's own check, per document of this case (a handful): the list filter
        # (documents_visible_to) would first gather every case the user may see, at 100 000 cases
        # 250 ms for the four documents of one.
        readable = {document.pk for document in documents if can_view_document(user, document)[0]}
        for document in documents:
            entries.append(
                Entry(
                    when=document.issued_at,
                    title=_("签发%(kind)s") % {"kind": document.get_kind_display()},
                    actor=document.agency.display_name,
                    lines=(f"{document.doc_number} {document.title}",),
                    link_label=_("查看原件") if document.pk in readable else "",
                    link_url=reverse("documents:download", args=[document.pk])
                    if document.pk in readable
                    else "",
                    kind="document",
                )
            )
    entries.sort(key=lambda entry: entry.when)
    return entries


# -- next steps -------------------------------------------------------------------------------------


def _table_steps(user, project, covered: set[str]) -> list[NextStep]:
    steps = []
    read_only = roles.is_read_only(user)
    own_page = reverse("projects:detail", args=[project.pk])
    for row in workflow.steps_for(project):
        if row.is_system or row.name in covered:
            continue
        if not (can_proceed(getattr(project, row.name), check_conditions=False) or row.waits(project)):
            continue
        mine = not read_only and workflow.takes(project, user, row.name)
        url = row.page(project) if row.page else ""
        # A step taken on the project page itself (submitting) is checked there, in full, beside its
        # button: its rules are not run a second time for this list.
        allowed, reason = (
            workflow.may(project, user, row.name, check_rules=url != own_page) if mine else (False, "")
        )
        steps.append(
            NextStep(
                role=str(row.role) if row.role else "",
                label=str(row.label),
                url=url,
                allowed=allowed,
                mine=mine,
                reason="" if allowed else reason,
                step=row.name,
            )
        )
    return steps


def next_steps(user, project) -> list[NextStep]:
    """What each role may do next on the case: the apps' own listings, then the table's remaining rows."""
    found = [step for provider in _NEXT_STEP_PROVIDERS for step in provider(user, project)]
    # A provider may cover a row without listing it (a step with no label): the row is not shown.
    covered = {step.step for step in found if step.step}
    return [step for step in found if step.label] + _table_steps(user, project, covered)


def grouped_next_steps(user, project) -> list[dict]:
    """Next steps grouped by role, in order of first appearance: [{"role": …, "steps": [...]}, …]."""
    groups: dict[str, list[NextStep]] = {}
    for step in next_steps(user, project):
        groups.setdefault(step.role or str(_("相关机构")), []).append(step)
    return [{"role": role, "steps": steps} for role, steps in groups.items()]


def sections(user, project) -> list[Section]:
    found = [section for provider in _SECTION_PROVIDERS for section in provider(user, project)]
    return sorted(found, key=lambda section: section.order)
