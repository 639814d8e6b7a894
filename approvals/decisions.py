"""NDRC's decision texts: the 批复 and the 不予批复函 are drafted, previewed (样稿) and confirmed before issue.

A ``DecisionDraft`` per round and outcome holds NDRC's text. Until NDRC saves one, the page shows the
pre-fill (``letters.approval_prefill`` / ``rejection_prefill``: NDRC's standard wording around short
summaries of the application and the signed opinions); saving creates the row at version 1 and every
later save counts up. The preview renders exactly what issuing would (``document_args``) through the
engine's ``preview_document``: marked 样稿, no number taken, nothing stored. The confirmation page shows
what will be numbered and posts the version it showed; the lifecycle row's effect (``approvals.lifecycle``)
takes the draft under the case lock with ``draft_to_issue``, so a draft edited since gets a ``Conflict``.

Lengths are capped where text enters (``letters.DECISION_FIELD_LIMIT`` per part, ``CC_LIMIT`` names):
the form shows the error beside the field, the service refuses the same (an API caller is held too).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govinfo import workflow
from govinfo.audit import trail
from govinfo.documents.models import IssuedDocument
from govinfo.errors import Conflict, Refused
from govinfo.orgs.models import Agency
from projects.models import Project
from projects.permissions import require

from . import letters, permissions
from .guards import current_evaluation, current_opinions, government_review
from .models import DecisionDraft, GovernmentConsent, Opinion, ReviewRound

Outcome = DecisionDraft.Outcome


@dataclass(frozen=True)
class Part:
    name: str
    label: object
    help: object = ""


# The parts NDRC writes, per decision (the model's fields of the same names).
PARTS = {
    Outcome.APPROVED: (
        Part("construction", gettext_lazy("建设内容与规模")),
        Part("investment", gettext_lazy("总投资及资金来源")),
        Part("schedule", gettext_lazy("建设期限")),
        Part(
            "requirements",
            gettext_lazy("有关要求"),
            gettext_lazy("以“（一）”“（二）”开头的行排为二级标题，各机构审核意见中的批复条件已摘要列入。"),
        ),
        Part("cc", gettext_lazy("抄送"), gettext_lazy("每行一个机关，按排列顺序印在版记。")),
    ),
    Outcome.REJECTED: (
        Part(
            "reasons",
            gettext_lazy("不予批复的理由"),
            gettext_lazy("写明不予批复的事实和依据；以“（一）”“（二）”开头的行排为二级标题。"),
        ),
        Part("cc", gettext_lazy("抄送"), gettext_lazy("每行一个机关，按排列顺序印在版记。")),
    ),
}
REQUIRED = {Outcome.APPROVED: ("construction", "investment"), Outcome.REJECTED: ("reasons",)}
# The URL's word for each outcome.
SLUGS = {"approval": Outcome.APPROVED, "rejection": Outcome.REJECTED}
SLUG_OF = {outcome: slug for slug, outcome in SLUGS.items()}


def fields_of(outcome: str) -> list[str]:
    return [part.name for part in PARTS[Outcome(outcome)]]


def opinions(round: ReviewRound) -> list[Opinion]:
    """The agencies' current signed opinions, in the agencies' order (what the decision consulted)."""
    return sorted(
        current_opinions(round).values(), key=lambda o: (o.task.agency.sort_order, o.task.agency.code)
    )


def prefill(round: ReviewRound, outcome: str) -> dict[str, str]:
    project = round.project
    if outcome == Outcome.APPROVED:
        return letters.approval_prefill(project, round, opinions(round))
    return letters.rejection_prefill(project, round, opinions(round))


def draft_for(round: ReviewRound, outcome: str) -> DecisionDraft:
    """The saved draft, or an unsaved one holding the pre-fill (``version`` 0: nothing saved yet)."""
    saved = round.decision_drafts.filter(outcome=outcome).select_related("updated_by").first()
    if saved is not None:
        return saved
    return DecisionDraft(round=round, outcome=outcome, version=0, **prefill(round, outcome))


def problems(outcome: str, data: dict) -> dict[str, str]:
    """Field → what is wrong with what was typed (required parts, lengths, the 抄送 list)."""
    found = {}
    for name in fields_of(outcome):
        text = (data.get(name) or "").strip()
        if name in REQUIRED[Outcome(outcome)] and not text:
            found[name] = _("请填写本部分内容。")
        elif name == "cc":
            names = [line.strip() for line in text.splitlines() if line.strip()]
            if len(names) > letters.CC_LIMIT:
                found[name] = _("抄送机关最多%(n)d个。") % {"n": letters.CC_LIMIT}
            elif any(len(line) > letters.CC_NAME_LIMIT for line in names):
                found[name] = _("每个抄送机关名称不超过%(n)d字。") % {"n": letters.CC_NAME_LIMIT}
        elif len(text) > letters.DECISION_FIELD_LIMIT:
            found[name] = _(
                "本部分不超过%(limit)d字（现为%(n)d字）。公文应写明决定要点，详细内容见申报材料。"
            ) % {
                "limit": letters.DECISION_FIELD_LIMIT,
                "n": len(text),
            }
    return found


def _stale() -> Conflict:
    return Conflict(_("决定文稿已被他人修改，未能保存或签发。请刷新页面，核对最新文稿后再操作。"))


def _clean(outcome: str, data: dict) -> dict[str, str]:
    cleaned = {name: (data.get(name) or "").strip() for name in fields_of(outcome)}
    cleaned["cc"] = "\n".join(line.strip() for line in cleaned.get("cc", "").splitlines() if line.strip())
    return cleaned


@transaction.atomic
def save_draft(project: Project, outcome: str, *, by, data: dict, version: int | None) -> DecisionDraft:
    """NDRC saves its text (``version`` is the one the form showed: 0 for the pre-fill). ``data`` None
    restores the pre-fill from the current application and opinions."""
    fresh = workflow.hold(project, doing=_("保存决定文稿"), expected_state=None)
    require(permissions.may_edit_decision_draft(by, fresh))
    round = permissions.open_round(fresh)
    existing = DecisionDraft.objects.select_for_update().filter(round=round, outcome=outcome).first()
    if version is not None and version != (existing.version if existing else 0):
        raise _stale()
    values = _clean(outcome, prefill(round, outcome) if data is None else data)
    found = problems(outcome, values)
    if found:
        raise Refused("；".join(found.values()))
    draft = existing or DecisionDraft(round=round, outcome=outcome, version=0)
    for name, text in values.items():
        setattr(draft, name, text)
    draft.version += 1
    draft.updated_by = by
    draft.updated_at = timezone.now()
    draft.save()
    trail.record(
        "approvals.decision.drafted",
        actor=by,
        target=fresh,
        details={"round": str(round), "decision": draft.get_outcome_display(), "version": draft.version},
    )
    return draft


def draft_to_issue(
    round: ReviewRound, outcome: str, *, by, version: int | None, reasons: str = ""
) -> DecisionDraft:
    """The draft a decision issues, taken in the decision's transaction (the case is locked).

    ``version``: what the confirmation showed; a draft saved since (or none saved) is a ``Conflict``.
    ``None`` (a service caller, the demo): the saved draft, or the pre-fill saved now as version 1 —
    with ``reasons`` as a rejection's reasons when given.
    """
    existing = DecisionDraft.objects.select_for_update().filter(round=round, outcome=outcome).first()
    if version is not None:
        if existing is None or existing.version != version:
            raise _stale()
        draft = existing
    else:
        draft = existing or DecisionDraft(
            round=round, outcome=outcome, version=0, **_clean(outcome, prefill(round, outcome))
        )
        if reasons.strip():
            draft.reasons = reasons.strip()
        if draft.pk is None or reasons.strip():
            found = problems(outcome, _clean(outcome, {n: getattr(draft, n) for n in fields_of(outcome)}))
            if found:
                raise Refused("；".join(found.values()))
            draft.version += 1
            draft.updated_by = by
            draft.updated_at = timezone.now()
            draft.save()
    if outcome == Outcome.REJECTED and not draft.reasons.strip():
        raise Refused(_("不予批复须写明理由。"))
    return draft


def document_args(project: Project, round: ReviewRound, draft: DecisionDraft) -> dict:
    """What the decision document says: the same for its preview and its issue (only the number differs)."""
    consulted = opinions(round)
    ndrc = Agency.objects.get(code=permissions.NDRC)
    if draft.outcome == Outcome.APPROVED:
        kind = IssuedDocument.Kind.APPROVAL
        title = letters.approval_title(project, round.stage)
        consent = (
            GovernmentConsent.objects.filter(round=round).first() if government_review(project) else None
        )
        body = letters.approval_body(project, round, draft, consulted, current_evaluation(round), consent)
    else:
        kind = IssuedDocument.Kind.REJECTION
        title = letters.rejection_title(project, round.stage)
        body = letters.rejection_body(project, round, draft, consulted)
    return {
        "kind": kind,
        "agency": ndrc,
        "title": title,
        "addressee": project.lead_unit.name,
        "body": body,
        "project_code": project.code or "",
        "project_name": project.name,
        "cc": draft.cc_names,
        "signer_agency_name": ndrc.name,
        "date": timezone.localdate(),
    }
