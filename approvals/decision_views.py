"""Drafting, previewing and confirming what NDRC issues (批复, 不予批复函) and what an agency signs (审核意见书).

Every irreversible, numbered document is seen before it exists: the draft page (NDRC edits its text), the
preview (the PDF exactly as it would be issued, marked 样稿, no number taken, nothing stored, served
``no-store``) and the confirmation page (what will be numbered, by whom, and the version of the text shown).
The confirmation posts that version; the decision or signature refuses a text changed since (Conflict).

Who: NDRC's staff draft and preview; auditors open the draft, the preview and the confirmation read-only;
only NDRC's signer issues (the lifecycle table's ``who_decides``). An opinion's preview and confirmation
are the drafting agency's (and auditors', read-only); only its signer signs. Outsiders of the case: 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from govinfo import refusals, workflow
from govinfo.documents.issue import preview_document
from govinfo.documents.models import IssuedDocument
from govinfo.documents.preview import next_number_preview, pdf_preview
from govinfo.errors import Conflict, NotAllowed, Refused
from govinfo.formats import clauses

from . import decisions, permissions, services
from .guards import decision_failures
from .lifecycle import opinion_document_args
from .models import DecisionDraft, ReviewStage
from .review_forms import DecisionDraftForm

Outcome = DecisionDraft.Outcome


def _refused(request, reason: str, status: int = 403):
    return refusals.refused(request, "approvals/refused.html", reason, status=status)


def _outcome(kind: str) -> str:
    if kind not in decisions.SLUGS:
        raise Http404(_("没有这种决定。"))
    return decisions.SLUGS[kind]


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


# -- NDRC's decision ---------------------------------------------------------------------------------


def _decision_case(request, pk: int, kind: str):
    """The project, its round under decision and the outcome, for NDRC and auditors; 403 for the others
    who follow the review, 404 for outsiders."""
    project, _role = permissions.get_review_project_for_user(request.user, pk)
    outcome = _outcome(kind)
    allowed, reason = permissions.may_view_decision_draft(request.user, project)
    if not allowed:
        raise NotAllowed(reason)
    round = permissions.open_round(project)
    return project, round, outcome


def _decision_step(outcome: str, round) -> str:
    if outcome == Outcome.REJECTED:
        return "reject"
    return (
        "approve_feasibility" if round is not None and round.stage == ReviewStage.FEASIBILITY else "approve"
    )


def _draft_context(request, project, round, outcome, form=None) -> dict:
    user = request.user
    draft = decisions.draft_for(round, outcome)
    can_edit, edit_reason = permissions.may_edit_decision_draft(user, project)
    if form is None and can_edit:
        form = DecisionDraftForm(
            outcome=outcome,
            initial={
                "version": draft.version,
                **{n: getattr(draft, n) for n in decisions.fields_of(outcome)},
            },
        )
    kind = decisions.SLUG_OF[outcome]
    return {
        "project": project,
        "round": round,
        "outcome": outcome,
        "kind": kind,
        "draft": draft,
        "parts": [(part, getattr(draft, part.name)) for part in decisions.PARTS[outcome]],
        "form": form,
        "can_edit": can_edit,
        "edit_reason": edit_reason,
        "blocking": [str(f) for f in decision_failures(round, approving=outcome == Outcome.APPROVED)],
        "other_kind": "rejection" if outcome == Outcome.APPROVED else "approval",
    }


@login_required
@require_http_methods(["GET", "POST"])
def decision_draft(request, pk: int, kind: str):
    try:
        project, round, outcome = _decision_case(request, pk, kind)
    except NotAllowed as exc:
        return _refused(request, exc.message)
    if round is None:
        return _refused(request, _("项目没有正在进行的审查轮次，没有待起草的决定。"), status=404)
    if request.method == "GET":
        return render(
            request, "approvals/decision_draft.html", _draft_context(request, project, round, outcome)
        )
    allowed, reason = permissions.may_edit_decision_draft(request.user, project)
    if not allowed:
        return _refused(request, reason)
    here = redirect("approvals:decision_draft", pk=project.pk, kind=kind)
    if "reset" in request.POST:
        data, version = None, _version(request)
    else:
        form = DecisionDraftForm(request.POST, outcome=outcome)
        if not form.is_valid():
            context = _draft_context(request, project, round, outcome, form=form)
            return render(request, "approvals/decision_draft.html", context, status=400)
        data, version = form.cleaned_data, form.cleaned_data["version"]
    try:
        draft = decisions.save_draft(project, outcome, by=request.user, data=data, version=version)
    except Conflict as exc:
        messages.error(request, exc.message)
        return here
    except Refused as exc:
        return _refused(request, clauses(exc.messages), status=exc.status)
    messages.success(
        request, _("文稿已保存（第%(n)d稿）。请预览样稿，核对无误后签发。") % {"n": draft.version}
    )
    return here


@login_required
@require_GET
def decision_preview(request, pk: int, kind: str):
    try:
        project, round, outcome = _decision_case(request, pk, kind)
    except NotAllowed as exc:
        return _refused(request, exc.message)
    if round is None:
        raise Http404(_("项目没有正在进行的审查轮次。"))
    draft = decisions.draft_for(round, outcome)
    pdf = preview_document(**decisions.document_args(project, round, draft))
    return pdf_preview(pdf)


@login_required
@require_GET
def decision_confirm(request, pk: int, kind: str):
    try:
        project, round, outcome = _decision_case(request, pk, kind)
    except NotAllowed as exc:
        return _refused(request, exc.message)
    if round is None:
        return _refused(request, _("项目没有正在进行的审查轮次，没有待签发的决定。"), status=404)
    draft = round.decision_drafts.filter(outcome=outcome).select_related("updated_by").first()
    if draft is None:
        messages.info(request, _("请先保存决定文稿，预览样稿后再签发。"))
        return redirect("approvals:decision_draft", pk=project.pk, kind=kind)
    args = decisions.document_args(project, round, draft)
    allowed, reason = workflow.may(project, request.user, _decision_step(outcome, round))
    return render(
        request,
        "approvals/decision_confirm.html",
        {
            "project": project,
            "round": round,
            "outcome": outcome,
            "kind": kind,
            "draft": draft,
            "document": args,
            "kind_label": IssuedDocument.Kind(args["kind"]).label,
            "next_number": next_number_preview(args["agency"], args["date"]),
            "can_issue": allowed,
            "issue_reason": reason,
            "action": reverse(
                "approvals:project_approve" if outcome == Outcome.APPROVED else "approvals:project_reject",
                args=[project.pk],
            ),
        },
    )


def decide(request, pk: int, outcome: str):
    """The confirmed decision (POST from the confirmation page): issue it, or say why not."""
    project, _role = permissions.get_review_project_for_user(request.user, pk)
    round = permissions.open_round(project)
    kind = decisions.SLUG_OF[outcome]
    version = _version(request)
    if version is None:
        allowed, reason = workflow.may(project, request.user, _decision_step(outcome, round))
        if not allowed:
            return _refused(request, reason)
        return _refused(request, _("签发前须核对决定文稿并预览样稿：请在确认页面签发。"), status=400)
    seen = request.POST.get("state") or None
    try:
        if outcome == Outcome.APPROVED:
            document = services.approve(project, by=request.user, expected_state=seen, draft_version=version)
        else:
            services.reject(project, by=request.user, expected_state=seen, draft_version=version)
            document = None
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("approvals:decision_draft", pk=project.pk, kind=kind)
    except Refused as exc:
        return _refused(request, clauses(exc.messages), status=exc.status)
    if document is None:
        round.refresh_from_db()
        document = round.decision_document
        messages.success(
            request, _("已作出不予批复决定，不予批复函已印发：%(number)s") % {"number": document.doc_number}
        )
    else:
        messages.success(request, _("批复已签发：%(number)s") % {"number": document.doc_number})
    return redirect("approvals:project", pk=project.pk)


# -- an agency's opinion -----------------------------------------------------------------------------


@login_required
@require_GET
def opinion_preview(request, pk: int):
    opinion = permissions.get_opinion_for_user(request.user, pk)
    if opinion.is_signed:
        return redirect("documents:download", pk=opinion.document_id)
    pdf = preview_document(**opinion_document_args(opinion))
    return pdf_preview(pdf)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_sign(request, pk: int):
    """GET: the confirmation page (what will be signed and numbered); POST: sign the version it showed."""
    opinion = permissions.get_opinion_for_user(request.user, pk)
    task = opinion.task
    if request.method == "GET":
        allowed, reason = permissions.may_sign(request.user, opinion)
        args = opinion_document_args(opinion)
        return render(
            request,
            "approvals/opinion_confirm.html",
            {
                "opinion": opinion,
                "task": task,
                "project": task.round.project,
                "document": args,
                "next_number": next_number_preview(task.agency, args["date"]),
                "can_sign": allowed and not opinion.is_signed,
                "sign_reason": reason,
            },
        )
    version = _version(request)
    if version is None:
        allowed, reason = permissions.may_sign(request.user, opinion)
        if not allowed:
            return _refused(request, reason)
        return _refused(request, _("签署前须预览审核意见书样稿：请在确认页面签署。"), status=400)
    try:
        signed = services.sign_opinion(opinion, by=request.user, version=version)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("approvals:task", pk=task.pk)
    except Refused as exc:
        return _refused(request, clauses(exc.messages), status=exc.status)
    messages.success(request, _("审核意见已签署，审核意见书已签发。"))
    if signed.document_id:
        messages.info(request, _("发文字号：%(number)s") % {"number": signed.document.doc_number})
    return redirect("approvals:task", pk=task.pk)
