"""项目调整: the unit reports a change, the system classifies it; NDRC reads a 报备 or decides an application."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo import workflow
from projects import access

from . import changes
from . import construction_permissions as who
from .construction_forms import ChangeForm, NoteForm, RequiredNoteForm
from .construction_pages import get_project, refuse_unless
from .models import ChangeRequest
from .page_actions import act, invalid


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
        "approve_form": NoteForm(prefix="approve") if can_approve else None,
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


@login_required
@require_POST
def change_approve(request, pk: int):
    change = _get_change(request.user, pk)
    if refused := refuse_unless(request, change.project, who.who_decides_change, change):
        return refused
    form = NoteForm(request.POST, prefix="approve")

    def again(status, refusal):
        return _change_page(request, change, status, approve_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        change.project,
        lambda: changes.approve_change(
            change, by=request.user, note=form.cleaned_data["note"], expected_state=request.POST.get("status")
        ),
        success=_("已批准调整，调整批复已签发。"),
        back=_back(change),
        render_page=again,
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
