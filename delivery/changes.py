"""Changes during construction (R-BLD-2, 川办法 第二十八条、第二十九条): 报备 or 调整申请, classified by the system.

The unit describes what changes in content and amount, and why. The system classifies it against the
project's figures (``amounts``):

- **报备** (第二十九条) when all four hold: the new total stays within the approved total investment; the
  construction goals are unchanged; the money adjusted — with the 报备 already made since the last
  approval — is at most 15 % of the approved total; and the reason is one of the three the article lists.
  It is effective at once, and NDRC sees it (to-do and timeline) until it marks it read.
- **调整申请** (第二十八条) otherwise: it waits for NDRC's 调整批复 — a numbered document
  (``IssuedDocument.Kind.CHANGE_APPROVAL``) — or refusal, and takes effect only when approved.
- An overrun already incurred without approval is refused outright: 未经批准擅自进行重大设计变更而导致超概算的，
  不受理事后调整申请 (第二十八条).

"Approved total" is the 批复's total investment, or the total of the latest 调整批复 once NDRC approved a
change: an approval is a new 批复, and 报备 count from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govinfo import workflow
from govinfo.audit import trail
from govinfo.documents.issue import Heading, issue_document
from govinfo.documents.models import IssuedDocument
from govinfo.errors import Conflict, Failure, NotAllowed, Refused
from govinfo.orgs import roles
from govinfo.orgs.models import Agency
from projects import access
from projects.models import Project, State
from projects.money import format_wan, yuan_to_wan

from . import construction_permissions as who
from .construction_pages import BEFORE_APPROVAL, label_of
from .models import ChangeReason, ChangeRequest, Filing

CHANGE = "delivery.ChangeRequest"
LIMIT_SHARE = Decimal("0.15")  # 第二十九条: 资金调整数额不超过批复总投资15%
CHANGE_STATES = (State.IN_CONSTRUCTION,)
NDRC = "ndrc"
MAX_TEXT = 2000  # a change is described in a page, not a report: what reaches the 调整批复 stays short


@dataclass(frozen=True)
class Amounts:
    """The project's figures in yuan, for every page that shows a change."""

    approved: Decimal | None  # 批复总投资 (the 批复 at filing)
    adjusted: Decimal | None  # the approved total now: the latest 调整批复's, else the 批复's
    current: Decimal | None  # in force now, 报备 included
    pending: Decimal | None  # asked for by the application waiting for NDRC, if any
    reported: Decimal  # money adjusted by 报备 since the approved total was set
    limit: Decimal | None  # 15 % of the approved total

    @property
    def headroom(self) -> Decimal | None:
        return None if self.limit is None else max(self.limit - self.reported, Decimal(0))


def amounts(project: Project) -> Amounts:
    filing = Filing.objects.filter(project=project).only("approved_total").first()
    approved = filing.approved_total if filing else project.total_investment
    changes = list(
        ChangeRequest.objects.filter(project=project)
        .only("kind", "status", "new_total", "adjusted_amount", "number")
        .order_by("number")
    )
    adjusted, current, pending = approved, approved, None
    reported = Decimal(0)
    for change in changes:
        if change.status == ChangeRequest.Status.APPROVED:
            adjusted = current = change.new_total
            reported = Decimal(0)
        elif change.status == ChangeRequest.Status.RECORDED:
            current = change.new_total
            reported += change.adjusted_amount
        elif change.status == ChangeRequest.Status.PENDING:
            pending = change.new_total
    limit = (adjusted * LIMIT_SHARE).quantize(Decimal("0.01")) if adjusted is not None else None
    return Amounts(approved, adjusted, current, pending, reported, limit)


# -- classification (R-BLD-2) -------------------------------------------------------------------------

FINDINGS = ("within_total", "goals_unchanged", "within_share", "listed_reason")


def classify(
    project: Project, *, new_total, adjusted_amount, goals_unchanged: bool, reason: str
) -> list[dict]:
    """The four conditions of 第二十九条, each met or not: a 报备 when all are met."""
    figures = amounts(project)
    base = figures.adjusted or Decimal(0)
    return [
        {"code": "within_total", "met": new_total <= base},
        {"code": "goals_unchanged", "met": bool(goals_unchanged)},
        {"code": "within_share", "met": figures.reported + adjusted_amount <= (figures.limit or Decimal(0))},
        {"code": "listed_reason", "met": reason in ChangeReason.values and reason != ChangeReason.OTHER},
    ]


def is_filing(findings: list[dict]) -> bool:
    return all(finding["met"] for finding in findings)


def finding_text(change: ChangeRequest, finding: dict) -> str:
    """What a stored finding says, worded now (in the reader's language) from the figures kept on the row."""
    code, met = finding["code"], finding["met"]
    base = change.approved_total
    limit = (base * LIMIT_SHARE).quantize(Decimal("0.01"))
    if code == "within_total":
        text = _("调整后总投资%(new)s，%(verb)s批复总投资%(base)s") % {
            "new": format_wan(change.new_total),
            "verb": _("未超出") if met else _("超出"),
            "base": format_wan(base),
        }
    elif code == "goals_unchanged":
        text = _("建设目标不变") if met else _("建设目标发生变化")
    elif code == "within_share":
        words = {
            "amount": format_wan(change.adjusted_amount),
            "before": format_wan(change.adjusted_before),
            "verb": _("未超过") if met else _("超过"),
            "limit": format_wan(limit),
        }
        if change.adjusted_before:
            text = (
                _("资金调整数额%(amount)s（连同此前报备%(before)s），%(verb)s批复总投资的15%%（%(limit)s）")
                % words
            )
        else:
            text = _("资金调整数额%(amount)s，%(verb)s批复总投资的15%%（%(limit)s）") % words
    elif code == "listed_reason":
        text = (
            _("调整原因属于第二十九条所列情形：%(reason)s") % {"reason": change.get_reason_display()}
            if met
            else _("调整原因不属于第二十九条所列三种情形")
        )
    else:
        text = code
    return text


def r_bld_2_no_after_the_fact_overrun(project: Project, *, new_total, carried_out: bool) -> list[Failure]:
    """第二十八条: an unapproved major change already carried out that overruns the approved total is refused."""
    figures = amounts(project)
    if carried_out and figures.adjusted is not None and new_total > figures.adjusted:
        return [
            Failure(
                "R-BLD-2",
                "第二十八条",
                _(
                    "未经批准擅自进行重大设计变更而导致超概算的，省发展改革委不受理事后调整申请："
                    "调整已实施，调整后总投资%(new)s超出批复总投资%(base)s。"
                )
                % {"new": format_wan(new_total), "base": format_wan(figures.adjusted)},
            )
        ]
    return []


# -- services ---------------------------------------------------------------------------------------


def may_report_change(user, project: Project) -> tuple[bool, str]:
    allowed, reason = who.ask(who.who_unit, user, project)
    if not allowed:
        return allowed, reason
    refusal = who.state_refusal(project, CHANGE_STATES, _("报告项目调整"))
    if refusal:
        return False, refusal
    if ChangeRequest.objects.filter(project=project, status=ChangeRequest.Status.PENDING).exists():
        return False, cite_pending()
    return True, ""


def cite_pending() -> str:
    from govinfo.rules import cite

    return cite(
        "R-BLD-2",
        "第二十八条",
        _("本项目已有调整申请待省发展改革委审批，审批后再报告新的调整（调整以批准后的数额为准）。"),
    )


@transaction.atomic
def report_change(
    project: Project,
    *,
    by,
    content: str,
    reason: str,
    reason_detail: str,
    goals_unchanged: bool,
    new_total: Decimal,
    adjusted_amount: Decimal,
    carried_out: bool = False,
) -> ChangeRequest:
    """The unit reports a change; the system files it as 报备 (effective now) or as an application."""
    fresh = workflow.hold(project, doing=_("报告项目调整"), expected_state=None)
    allowed, refusal = may_report_change(by, fresh)
    if not allowed:
        raise NotAllowed(refusal)
    content, reason_detail = (content or "").strip(), (reason_detail or "").strip()
    if not content or not reason_detail:
        raise Refused(_("请写明调整内容和调整理由。"))
    if len(content) > MAX_TEXT or len(reason_detail) > MAX_TEXT:
        raise Refused(_("调整内容和调整理由各不超过%(n)d字，详细材料请另附。") % {"n": MAX_TEXT})
    if reason not in ChangeReason.values:
        raise Refused(_("请选择调整原因。"))
    if new_total is None or adjusted_amount is None or new_total < 0 or adjusted_amount < 0:
        raise Refused(_("请填写调整后总投资和资金调整数额。"))
    figures = amounts(fresh)
    if figures.current is not None and adjusted_amount < abs(new_total - figures.current):
        raise Refused(
            _("总投资由%(current)s变为%(new)s，资金调整数额不能少于两者之差。")
            % {"current": format_wan(figures.current), "new": format_wan(new_total)}
        )
    failures = r_bld_2_no_after_the_fact_overrun(fresh, new_total=new_total, carried_out=carried_out)
    if failures:
        raise Refused(failures)
    findings = classify(
        fresh,
        new_total=new_total,
        adjusted_amount=adjusted_amount,
        goals_unchanged=goals_unchanged,
        reason=reason,
    )
    filing = is_filing(findings)
    change = ChangeRequest.objects.create(
        project=fresh,
        number=(ChangeRequest.objects.filter(project=fresh).count() + 1),
        kind=ChangeRequest.Kind.FILING if filing else ChangeRequest.Kind.APPLICATION,
        status=ChangeRequest.Status.RECORDED if filing else ChangeRequest.Status.PENDING,
        content=content,
        reason=reason,
        reason_detail=reason_detail,
        goals_unchanged=bool(goals_unchanged),
        carried_out=bool(carried_out),
        approved_total=figures.adjusted or Decimal(0),
        total_before=figures.current or Decimal(0),
        new_total=new_total,
        adjusted_amount=adjusted_amount,
        adjusted_before=figures.reported,
        findings=findings,
        filed_by=by,
    )
    trail.record(
        "delivery.change.recorded" if filing else "delivery.change.applied",
        actor=by,
        target=fresh,
        details=_change_details(change),
    )
    return change


def _change_details(change: ChangeRequest) -> dict:
    return {
        "change": change.number,
        "kind": change.kind,
        "total_before": change.total_before,
        "new_total": change.new_total,
        "adjusted_amount": change.adjusted_amount,
        "reason_code": change.reason,
        "unmet": [finding["code"] for finding in change.findings if not finding["met"]],
    }


def may_acknowledge(user, change: ChangeRequest) -> tuple[bool, str]:
    allowed, reason = who.ask(who.who_ndrc, user, change)
    if not allowed:
        return allowed, reason
    if change.kind != ChangeRequest.Kind.FILING:
        return False, _("只有报备的调整需要阅知；调整申请由省发展改革委审批。")
    if change.acknowledged_at is not None:
        return False, _("该报备已阅知。")
    return True, ""


@transaction.atomic
def acknowledge_change(change: ChangeRequest, *, by) -> ChangeRequest:
    """NDRC has read a 报备 (it stays effective either way; reading it takes it off NDRC's to-do list)."""
    workflow.hold(change.project, doing=_("阅知调整报备"), expected_state=None)
    fresh = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    allowed, reason = may_acknowledge(by, fresh)
    if not allowed:
        raise NotAllowed(reason)
    fresh.acknowledged_by = by
    fresh.acknowledged_at = timezone.now()
    fresh.save(update_fields=["acknowledged_by", "acknowledged_at"])
    trail.record(
        "delivery.change.acknowledged", actor=by, target=fresh.project, details={"change": fresh.number}
    )
    return fresh


def may_draft_approval(user, change: ChangeRequest) -> tuple[bool, str]:
    """NDRC's staff write the 调整批复's text while the application waits; only its signer issues it."""
    allowed, reason = who.ask(who.who_ndrc, user, change)
    if not allowed:
        return allowed, reason
    if change.status != ChangeRequest.Status.PENDING:
        return False, _("该调整申请已办结，调整批复不能再修改。")
    return True, ""


def may_view_approval_draft(user, change: ChangeRequest) -> tuple[bool, str]:
    """The draft, its 样稿 and the confirmation: NDRC, and auditors reading (never the unit before issue)."""
    if roles.is_read_only(user) or who.who_ndrc(user, change) is None:
        return True, ""
    return False, who.who_ndrc(user, change) or ""


def save_approval_draft(change: ChangeRequest, *, by, note: str, version: int | None) -> ChangeRequest:
    """NDRC saves the text of the 调整批复 (``version``: the one its form showed; a later save → Conflict)."""
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise Refused(_("审批意见不超过%(n)d字。") % {"n": MAX_TEXT})
    with transaction.atomic():
        workflow.hold(change.project, doing=_("保存调整批复文稿"), expected_state=None)
        fresh = workflow.hold(
            change,
            doing=_("保存调整批复文稿"),
            expected_state=ChangeRequest.Status.PENDING,
            field_name="status",
        )
        allowed, reason = may_draft_approval(by, fresh)
        if not allowed:
            raise NotAllowed(reason)
        if version is not None and version != fresh.draft_version:
            raise _stale_draft()
        fresh.draft_note = note
        fresh.draft_version += 1
        fresh.drafted_by = by
        fresh.drafted_at = timezone.now()
        fresh.save(update_fields=["draft_note", "draft_version", "drafted_by", "drafted_at"])
        trail.record(
            "delivery.change.drafted",
            actor=by,
            target=fresh.project,
            details={"change": fresh.number, "version": fresh.draft_version},
        )
    change.__dict__.update({f: getattr(fresh, f) for f in ("draft_note", "draft_version", "drafted_at")})
    change.drafted_by_id = fresh.drafted_by_id
    return fresh


def _stale_draft() -> Conflict:
    return Conflict(_("调整批复文稿已被他人修改，本次操作未执行。请刷新页面，核对最新文稿并重新预览样稿。"))


def approve_change(
    change: ChangeRequest,
    *,
    by,
    note: str | None = None,
    expected_state: str | None = None,
    draft_version: int | None = None,
):
    """NDRC approves an application: the 调整批复 is issued and the new total is in force (第二十八条).

    ``draft_version`` is the draft the confirmation showed (its 样稿 previewed): a draft saved since is a
    ``Conflict``. Without it (the demo, scripts) ``note``, or else the saved draft, is the text issued.
    """
    seen = change.status if expected_state is None else expected_state
    if draft_version is not None:
        note = None
    elif note is not None:
        note = note.strip()
    if note is not None and len(note) > MAX_TEXT:
        raise Refused(_("审批意见不超过%(n)d字。") % {"n": MAX_TEXT})
    approved = workflow.perform(
        change,
        "approve",
        by=by,
        expected_state=seen,
        kwargs={"by": by, "note": note},
        effect_kwargs={"draft_version": draft_version},
    )
    return approved


def refuse_change(change: ChangeRequest, *, by, note: str, expected_state: str | None = None):
    note = (note or "").strip()
    if not note:
        raise Refused(_("不予批准须写明理由。"))
    seen = change.status if expected_state is None else expected_state
    return workflow.perform(change, "refuse", by=by, expected_state=seen, kwargs={"by": by, "note": note})


# -- the 调整批复 -------------------------------------------------------------------------------------


def _wan(yuan) -> str:
    return f"{yuan_to_wan(yuan):,.2f}万元"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def change_approval_body(change: ChangeRequest, note: str) -> list:
    project = change.project
    requirements = _paragraphs(note) or [
        "请严格按照本批复组织实施，调整后的建设内容和投资作为项目验收的依据。"
    ]
    return [
        f"你单位关于{project.name}（项目代码：{project.code}）调整的申请收悉。经研究，现批复如下：",
        Heading(1, "一、同意调整的内容"),
        *_paragraphs(change.content),
        Heading(1, "二、调整理由"),
        f"{change.get_reason_display()}。",
        *_paragraphs(change.reason_detail),
        Heading(1, "三、调整后总投资"),
        f"项目批复总投资{_wan(change.approved_total)}，调整前总投资{_wan(change.total_before)}，"
        f"调整后总投资{_wan(change.new_total)}，资金调整数额{_wan(change.adjusted_amount)}。",
        Heading(1, "四、有关要求"),
        *requirements,
    ]


def approval_document_args(change: ChangeRequest, note: str | None = None) -> dict:
    """What the 调整批复 says — the same arguments for its 样稿 (``preview_document``) and its issue."""
    project = change.project
    ndrc = Agency.objects.get(code=NDRC)
    cc = [
        agency.name
        for agency in Agency.objects.filter(code__in=["finance", "bigdata"]).order_by("sort_order")
    ]
    return {
        "kind": IssuedDocument.Kind.CHANGE_APPROVAL,
        "agency": ndrc,
        "title": f"关于{project.name}调整的批复",
        "addressee": project.lead_unit.name,
        "body": change_approval_body(change, change.draft_note if note is None else note),
        "project_code": project.code or "",
        "project_name": project.name,
        "cc": cc,
        "signer_agency_name": ndrc.name,
        "date": timezone.localdate(),
    }


def _issue_change_approval(change: ChangeRequest, *, by, draft_version: int | None = None) -> IssuedDocument:
    # ``change`` is the locked row: the version check and the issue see the same draft.
    if draft_version is not None and draft_version != change.draft_version:
        raise _stale_draft()
    document = issue_document(
        **approval_document_args(change, change.decision_note), issued_by=by, target=change
    )
    change.document = document
    return document


def _decided(change: ChangeRequest) -> dict:
    details = _change_details(change)
    details["note"] = change.decision_note
    if change.document_id:
        details["doc_number"] = change.document.doc_number
    return details


# -- who may open a 调整批复 ----------------------------------------------------------------------------


def follows_change(user, document: IssuedDocument) -> bool:
    if document.kind != IssuedDocument.Kind.CHANGE_APPROVAL:
        return False
    change = ChangeRequest.objects.select_related("project").filter(pk=document.target_id).first()
    return change is not None and access.can_view(user, change.project)


def change_documents(user) -> Q:
    changes = (
        ChangeRequest.objects.filter(project__in=access.visible(user).values("pk"))
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    return Q(target_type=ContentType.objects.get_for_model(ChangeRequest), target_id__in=changes)


# -- pages, story, to-dos --------------------------------------------------------------------------


def changes_page(project: Project) -> str:
    return reverse("delivery:changes", args=[project.pk])


def change_page(change: ChangeRequest) -> str:
    return reverse("delivery:change", args=[change.pk])


def _change_lines(details: dict) -> list[str]:
    line = _("第%(number)s号 · 总投资%(before)s → %(new)s · 资金调整%(adjusted)s") % {
        "number": details.get("change", ""),
        "before": format_wan(details.get("total_before")),
        "new": format_wan(details.get("new_total")),
        "adjusted": format_wan(details.get("adjusted_amount")),
    }
    lines = [line]
    if details.get("reason_code"):
        lines.append(_("调整原因：%(reason)s") % {"reason": label_of(ChangeReason, details["reason_code"])})
    if details.get("note"):
        lines.append(_("审批意见：%(note)s") % {"note": details["note"]})
    if details.get("doc_number"):
        lines.append(_("调整批复：%(number)s") % {"number": details["doc_number"]})
    return lines


def _ack_lines(details: dict) -> list[str]:
    return [_("第%(number)s号报备") % {"number": details.get("change", "")}]


def next_steps(user, project: Project):
    from projects.story import NextStep

    if project.state in BEFORE_APPROVAL:
        return []

    steps = []
    if project.state in CHANGE_STATES:
        allowed, reason = may_report_change(user, project)
        mine = who.who_unit(user, project) is None
        steps.append(
            NextStep(
                role=str(who.UNIT_ROLE),
                label=str(_("报告项目调整")),
                url=changes_page(project),
                allowed=allowed,
                mine=mine,
                reason="" if allowed or not mine else reason,
            )
        )
    for change in ChangeRequest.objects.filter(project=project, status=ChangeRequest.Status.PENDING):
        change.project = project  # the case already read, with the grants read for it
        allowed, reason = workflow.may(change, user, "approve")
        steps.append(
            NextStep(
                role=str(who.NDRC_ROLE),
                label=_("审批第%(number)d号调整申请") % {"number": change.number},
                url=change_page(change),
                allowed=allowed,
                mine=workflow.takes(change, user, "approve") and not roles.is_read_only(user),
                reason="" if allowed else reason,
            )
        )
    unread = ChangeRequest.objects.filter(
        project=project, kind=ChangeRequest.Kind.FILING, acknowledged_at__isnull=True
    )
    for change in unread:
        change.project = project
        allowed, reason = may_acknowledge(user, change)
        steps.append(
            NextStep(
                role=str(who.NDRC_ROLE),
                label=_("阅知第%(number)d号调整报备") % {"number": change.number},
                url=change_page(change),
                allowed=allowed,
                mine=who.who_ndrc(user, change) is None,
            )
        )
    return steps


def story_section(user, project: Project):
    from projects.story import Section

    if project.state in BEFORE_APPROVAL:
        return []

    if not Filing.objects.filter(project=project).exists():
        return []
    return [
        Section(
            key="changes",
            title=str(_("投资与调整")),
            template="delivery/_story_changes.html",
            context={
                "amounts": amounts(project),
                "changes": list(ChangeRequest.objects.filter(project=project).order_by("number")),
                "url": changes_page(project),
            },
            order=20,
        )
    ]


def page_link(user, project: Project):
    from projects.page_links import PageLink

    if project.state in BEFORE_APPROVAL:
        return []

    if project.state in CHANGE_STATES or ChangeRequest.objects.filter(project=project).exists():
        return [PageLink(str(_("项目调整")), changes_page(project))]
    return []


def todo(user):
    from govinfo.home.todo import TodoItem

    items = []
    if access.is_ndrc(user):
        waiting = (
            ChangeRequest.objects.filter(
                Q(status=ChangeRequest.Status.PENDING)
                | Q(kind=ChangeRequest.Kind.FILING, acknowledged_at__isnull=True)
            )
            .select_related("project")
            .order_by("filed_at")[:20]
        )
        for change in waiting:
            pending = change.status == ChangeRequest.Status.PENDING
            items.append(
                TodoItem(
                    title=(_("待审批调整申请：%(name)s") if pending else _("待阅知调整报备：%(name)s"))
                    % {"name": change.project.name},
                    url=change_page(change),
                    category=_("项目调整"),
                    detail=_("第%(number)d号 · 调整后总投资%(total)s")
                    % {"number": change.number, "total": format_wan(change.new_total)},
                )
            )
    units = roles.units_of(user)
    if units:
        decided = (
            ChangeRequest.objects.filter(project__lead_unit__in=units, status=ChangeRequest.Status.REFUSED)
            .filter(decided_at__gte=timezone.now() - dt.timedelta(days=30))
            .select_related("project")
            .order_by("-decided_at")[:20]
        )
        for change in decided:
            items.append(
                TodoItem(
                    title=_("调整申请未获批准：%(name)s") % {"name": change.project.name},
                    url=change_page(change),
                    category=_("项目调整"),
                    detail=change.decision_note[:80],
                )
            )
    return items


def register() -> None:
    from govinfo.audit import actions
    from govinfo.documents import access as document_access
    from govinfo.home import todo as todos
    from projects import page_links, story

    actions.register("delivery.change.recorded", gettext_lazy("报备项目调整"))
    actions.register("delivery.change.applied", gettext_lazy("提交项目调整申请"))
    actions.register("delivery.change.acknowledged", gettext_lazy("阅知调整报备"))
    actions.register("delivery.change.drafted", gettext_lazy("保存调整批复文稿"))
    actions.register("delivery.change.approved", gettext_lazy("批准项目调整（调整批复）"))
    actions.register("delivery.change.refused", gettext_lazy("不予批准项目调整"))
    for action in ("recorded", "applied", "approved", "refused"):
        story.register_lines(f"delivery.change.{action}", _change_lines)
    story.register_lines("delivery.change.acknowledged", _ack_lines)
    story.register_next_steps(next_steps)
    story.register_section(story_section)
    page_links.register(page_link)
    todos.register(todo)
    document_access.register_access(follows_change, visible=change_documents)
    workflow.register(
        workflow.Step(
            CHANGE,
            "approve",
            gettext_lazy("批准调整"),
            "delivery.change.approved",
            who=who.who_decides_change,
            rules=("R-BLD-2",),
            case=lambda change: change.project,
            noun=gettext_lazy("项目调整申请"),
            effect=_issue_change_approval,
            details=_decided,
            role=who.NDRC_ROLE,
            page=change_page,
        ),
        workflow.Step(
            CHANGE,
            "refuse",
            gettext_lazy("不予批准"),
            "delivery.change.refused",
            who=who.who_decides_change,
            rules=("R-BLD-2",),
            case=lambda change: change.project,
            noun=gettext_lazy("项目调整申请"),
            details=_decided,
            role=who.NDRC_ROLE,
            page=change_page,
        ),
    )
