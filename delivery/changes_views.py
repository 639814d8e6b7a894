"""项目调整: the unit reports a change, the system classifies it; NDRC reads a 报备 or decides an application."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo import refusals, workflow
from govinfo.documents.issue import preview_document
from govinfo.documents.models import IssuedDocument
from govinfo.documents.preview import next_number_preview, pdf_preview
from govinfo.errors import NotAllowed
from projects import access

from . import changes
from . import construction_permissions as who
from .construction_forms import ApprovalDraftForm, ChangeForm, RequiredNoteForm
from .construction_pages import get_project, refuse_unless
from .models import ChangeRequest
from .page_actions import REFUSED_TEMPLATE, act, invalid


def _with_findings(change: ChangeRequest) -> ChangeRequest:
    change.finding_rows = [
        {"met": finding["met"], "text": changes.finding_text(change, finding)} for finding in change.findings
    ]
    return change


def _changes_page(request, project, status=200, **overrides):
    user = request.user
    can_report, report_reason = changes.may_report_change(user, project)
    context = {
        "project": project,
        "amounts": changes.amounts(project),
        "changes": [
            _with_findings(change)
            for change in ChangeRequest.objects.filter(project=project)
            .select_related("filed_by", "document")
            .order_by("-number")
        ],
        "can_report": can_report,
        "report_reason": report_reason if who.who_unit(user, project) is None else "",
        "form": ChangeForm() if can_report else None,
        "refusal": [],
    }
    context.update(overrides)
    return render(request, "delivery/changes.html", context, status=status)


@login_required
@require_GET
def change_list(request, pk: int):
    project = get_project(request.user, pk)
    return _changes_page(request, project)


@login_required
@require_POST
def change_report(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_unit):
        return refused
    form = ChangeForm(request.POST)

    def again(status, refusal):
        return _changes_page(request, project, status, form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: changes.report_change(project, by=request.user, **form.cleaned()),
        # The classification is the news: 报备 (effective now) or an application waiting for NDRC.
        success=lambda change: (
            _("已报备，调整即时生效，省发展改革委可查阅。")
            if change.kind == ChangeRequest.Kind.FILING
            else _("已形成调整申请，待省发展改革委审批后生效。")
        ),
        back=lambda change: reverse("delivery:change", args=[change.pk]),
        render_page=again,
    )


def _get_change(user, pk) -> ChangeRequest:
    change = ChangeRequest.objects.select_related("project__lead_unit").filter(pk=pk).first()
    if change is None or not access.can_view(user, change.project):
        raise Http404(_("项目调整不存在或您无权查看。"))
    return change


def _change_page(request, change, status=200, **overrides):
    user = request.user
    pending = change.status == ChangeRequest.Status.PENDING
    can_approve = pending and workflow.may(change, user, "approve")[0]
    can_refuse = pending and workflow.may(change, user, "refuse")[0]
    can_ack, _reason = changes.may_acknowledge(user, change)
    context = {
        "project": change.project,
        "change": _with_findings(change),
        "amounts": changes.amounts(change.project),
        "can_approve": can_approve,
        "draft_form": (
            ApprovalDraftForm(initial={"note": change.draft_note, "version": change.draft_version})
            if pending and changes.may_draft_approval(user, change)[0]
            else None
        ),
        "refuse_form": RequiredNoteForm(prefix="refuse") if can_refuse else None,
        "can_acknowledge": can_ack,
        "refusal": [],
    }
    context.update(overrides)
    return render(request, "delivery/change_detail.html", context, status=status)


@login_required
@require_GET
def change_detail(request, pk: int):
    return _change_page(request, _get_change(request.user, pk))


def _back(change) -> str:
    return reverse("delivery:change", args=[change.pk])


# -- the 调整批复: drafted, previewed as a 样稿, confirmed (as the 批复 is: approvals.decision_views) ----------


def _get_draft_change(request, pk) -> ChangeRequest:
    """The application whose 调整批复 is being prepared, for NDRC and auditors; 403 for the others."""
    change = _get_change(request.user, pk)
    if change.kind != ChangeRequest.Kind.APPLICATION:
        raise Http404(_("报备的调整即时生效，没有调整批复。"))
    allowed, reason = changes.may_view_approval_draft(request.user, change)
    if not allowed:
        raise NotAllowed(reason)
    return change


@login_required
@require_POST
def change_draft(request, pk: int):
    """NDRC saves the 调整批复's text, then checks it on the confirmation page (样稿 there)."""
    change = _get_change(request.user, pk)
    if refused := refuse_unless(request, change.project, who.who_ndrc, change):
        return refused
    form = ApprovalDraftForm(request.POST)

    def again(status, refusal):
        return _change_page(request, change, status, draft_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        change.project,
        lambda: changes.save_approval_draft(
            change, by=request.user, note=form.cleaned_data["note"], version=form.cleaned_data["version"]
        ),
        success=lambda saved: (
            _("调整批复文稿已保存（第%(n)d稿）。请预览样稿，核对无误后签发。") % {"n": saved.draft_version}
        ),
        back=reverse("delivery:change_confirm", args=[change.pk]),
        render_page=again,
    )


@login_required
@require_GET
def change_preview(request, pk: int):
    try:
        change = _get_draft_change(request, pk)
    except NotAllowed as exc:
        return refusals.refused(request, REFUSED_TEMPLATE, exc.message, status=403, target=None)
    if change.document_id:
        return redirect("documents:download", pk=change.document_id)
    return pdf_preview(preview_document(**changes.approval_document_args(change)))


@login_required
@require_GET
def change_confirm(request, pk: int):
    """What will be numbered, by whom, from which version of the text; the 样稿 one click away."""
    try:
        change = _get_draft_change(request, pk)
    except NotAllowed as exc:
        return refusals.refused(request, REFUSED_TEMPLATE, exc.message, status=403, target=None)
    if change.status != ChangeRequest.Status.PENDING:
        return redirect(_back(change))
    args = changes.approval_document_args(change)
    allowed, reason = workflow.may(change, request.user, "approve")
    return render(
        request,
        "delivery/change_confirm.html",
        {
            "project": change.project,
            "change": change,
            "document": args,
            "kind_label": IssuedDocument.Kind(args["kind"]).label,
            "next_number": next_number_preview(args["agency"], args["date"]),
            "can_issue": allowed,
            "issue_reason": reason,
            "can_edit": changes.may_draft_approval(request.user, change)[0],
        },
    )


@login_required
@require_POST
def change_approve(request, pk: int):
    """The confirmed approval (POST from the confirmation page, with the version it showed)."""
    change = _get_change(request.user, pk)
    if refused := refuse_unless(request, change.project, who.who_decides_change, change):
        return refused
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return refusals.refused(
            request,
            REFUSED_TEMPLATE,
            _("签发前须核对调整批复文稿并预览样稿：请在确认页面签发。"),
            status=400,
            target=change.project,
        )
    return act(
        request,
        change.project,
        lambda: changes.approve_change(
            change, by=request.user, expected_state=request.POST.get("status"), draft_version=version
        ),
        success=_("已批准调整，调整批复已签发。"),
        back=_back(change),
        render_page=lambda status, refusal: _change_page(request, change, status, refusal=refusal),
    )


@login_required
@require_POST
def change_refuse(request, pk: int):
    change = _get_change(request.user, pk)
    if refused := refuse_unless(request, change.project, who.who_decides_change, change):
        return refused
    form = RequiredNoteForm(request.POST, prefix="refuse")

    def again(status, refusal):
        return _change_page(request, change, status, refuse_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        change.project,
        lambda: changes.refuse_change(
            change, by=request.user, note=form.cleaned_data["note"], expected_state=request.POST.get("status")
        ),
        success=_("已作出不予批准的决定。"),
        back=_back(change),
        render_page=again,
    )


@login_required
@require_POST
def change_acknowledge(request, pk: int):
    change = _get_change(request.user, pk)
    if refused := refuse_unless(request, change.project, who.who_ndrc, change):
        return refused
    return act(
        request,
        change.project,
        lambda: changes.acknowledge_change(change, by=request.user),
        success=_("已阅知该报备。"),
        back=_back(change),
        render_page=lambda status, refusal: _change_page(request, change, status, refusal=refusal),
    )
