"""备案与开工: the filing by the 省大数据中心, then the unit's start facts, procurements and start."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo import workflow
from projects.models import State

from . import construction_permissions as who
from . import filing
from .construction_forms import FactsForm, FilingForm, ProcurementForm, StartForm
from .construction_pages import get_project, refuse_unless
from .models import Construction, Filing, Procurement
from .page_actions import act, invalid


def _context(request, project, **overrides) -> dict:
    user = request.user
    filing_row = (
        Filing.objects.filter(project=project).select_related("approval_document", "filed_by").first()
    )
    construction = Construction.objects.filter(project=project).first()
    can_file, file_reason = (
        workflow.may(project, user, "file") if project.state == State.APPROVED else (False, "")
    )
    can_facts, _reason = filing.may_record_facts(user, project)
    can_procure, _reason = filing.may_record_procurement(user, project)
    can_start, _start_reason = (
        workflow.may(project, user, "start_build") if project.state == State.FILED else (False, "")
    )
    takes_start = project.state == State.FILED and workflow.takes(project, user, "start_build")
    context = {
        "project": project,
        "filing": filing_row,
        "construction": construction,
        "procurements": list(Procurement.objects.filter(project=project).order_by("recorded_at", "id")),
        "approval_document": filing_row.approval_document
        if filing_row
        else filing.approval_document(project),
        "can_file": can_file,
        "file_reason": file_reason
        if project.state == State.APPROVED and workflow.takes(project, user, "file")
        else "",
        "can_start": can_start,
        "start_blocking": [str(f) for f in filing.start_failures(project)]
        if takes_start and not can_start
        else [],
        "refusal": [],
    }
    if can_file:
        months = filing.approved_period_months(project)
        context["filing_form"] = FilingForm(
            initial={"system_name": project.name, "construction_months": months},
        )
        context["months_from_draft"] = months
    if can_facts:
        initial = (
            {
                "responsible_person": construction.responsible_person,
                "supervisor_name": construction.supervisor_name,
                "supervisor_contact": construction.supervisor_contact,
            }
            if construction
            else {"responsible_person": project.lead_unit.head}
        )
        context["facts_form"] = FactsForm(initial=initial)
    if can_procure:
        context["procurement_form"] = ProcurementForm()
    if takes_start:
        context["start_form"] = StartForm()
    context.update(overrides)
    return context


def _page(request, project, status=200, **overrides):
    return render(
        request, "delivery/construction.html", _context(request, project, **overrides), status=status
    )


@login_required
@require_GET
def construction(request, pk: int):
    project = get_project(request.user, pk)
    return _page(request, project)


def _back(project) -> str:
    return reverse("delivery:construction", args=[project.pk])


def _seen(request) -> str | None:
    return request.POST.get("state") or None


@login_required
@require_POST
def file(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_files):
        return refused
    form = FilingForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, filing_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: filing.file_project(
            project, by=request.user, expected_state=_seen(request), **form.cleaned_data
        ),
        success=_("已备案登记，项目单位可以登记开工信息。"),
        back=_back(project),
        render_page=again,
    )


@login_required
@require_POST
def facts(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_unit):
        return refused
    form = FactsForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, facts_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: filing.record_start_facts(project, by=request.user, **form.cleaned_data),
        success=_("已登记项目责任人和监理单位。"),
        back=_back(project),
        render_page=again,
    )


@login_required
@require_POST
def procurement(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_unit):
        return refused
    form = ProcurementForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, procurement_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: filing.record_procurement(project, by=request.user, **form.cleaned_data),
        success=_("已登记采购情况。"),
        back=_back(project),
        render_page=again,
    )


@login_required
@require_POST
def start(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_unit):
        return refused
    form = StartForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, start_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: filing.start_build(
            project,
            by=request.user,
            started_on=form.cleaned_data["started_on"],
            expected_state=_seen(request),
        ),
        success=_("已开工建设，应申请验收日期已确定。"),
        back=_back(project),
        render_page=again,
    )
