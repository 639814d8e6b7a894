"""监督管理: rectification orders, suspension and resumption, termination through the 领导小组."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo import workflow
from govinfo.orgs import roles
from projects.models import State

from . import construction_permissions as who
from . import supervision
from .construction_forms import (
    GroupConsentForm,
    GroupDeclineForm,
    NoteForm,
    RectifyForm,
    ReopenForm,
    ReportForm,
    SuspendForm,
    TerminationForm,
)
from .construction_pages import get_project, refuse_unless
from .models import Rectification, Suspension, TerminationRequest
from .page_actions import act, invalid


def _orders(user, project) -> list[dict]:
    rows = []
    for order in (
        Rectification.objects.filter(project=project)
        .select_related("ordered_by", "reported_by", "closed_by")
        .order_by("-number")
    ):
        order.project = project
        rows.append(
            {
                "order": order,
                "can_report": workflow.may(order, user, "report_done")[0],
                "can_check": workflow.may(order, user, "confirm")[0],
            }
        )
    return rows


def _context(request, project, **overrides) -> dict:
    user = request.user
    request_row = supervision.open_termination(project)
    if request_row is not None:
        request_row.project = project
    can_order, _reason = supervision.may_order(user, project)
    can_suspend = project.state == State.IN_CONSTRUCTION and workflow.may(project, user, "suspend")[0]
    can_resume = project.state == State.SUSPENDED and workflow.may(project, user, "resume")[0]
    can_apply, _reason = supervision.may_apply_termination(user, project)
    submitted = request_row is not None and request_row.status == TerminationRequest.Status.SUBMITTED
    applied = request_row is not None and request_row.status == TerminationRequest.Status.APPLIED
    can_terminate = submitted and workflow.may(project, user, "terminate")[0]
    context = {
        "project": project,
        "orders": _orders(user, project),
        "suspensions": list(
            Suspension.objects.filter(project=project)
            .select_related("suspended_by", "resumed_by")
            .order_by("-suspended_at")
        ),
        "terminations": list(
            TerminationRequest.objects.filter(project=project)
            .select_related("applied_by", "submitted_by", "decided_by")
            .order_by("-applied_at")
        ),
        "open_termination": request_row,
        "rectify_form": RectifyForm() if can_order else None,
        "report_form": ReportForm(),
        "check_form": NoteForm(prefix="check"),
        "reopen_form": ReopenForm(prefix="reopen"),
        "suspend_form": SuspendForm() if can_suspend else None,
        "resume_form": NoteForm(prefix="resume") if can_resume else None,
        "termination_form": TerminationForm() if can_apply else None,
        "can_submit_termination": applied and workflow.may(request_row, user, "submit_to_group")[0],
        "can_withdraw_termination": applied and workflow.may(request_row, user, "withdraw")[0],
        "submit_form": NoteForm(prefix="submit"),
        "consent_form": GroupConsentForm() if can_terminate else None,
        "decline_form": GroupDeclineForm()
        if submitted and workflow.may(request_row, user, "decline")[0]
        else None,
        "read_only": roles.is_read_only(user),
        "refusal": [],
    }
    context.update(overrides)
    return context


def _page(request, project, status=200, **overrides):
    return render(
        request, "delivery/supervision.html", _context(request, project, **overrides), status=status
    )


@login_required
@require_GET
def supervision_page(request, pk: int):
    return _page(request, get_project(request.user, pk))


def _back(project) -> str:
    return reverse("delivery:supervision", args=[project.pk])


def _seen(request) -> str | None:
    return request.POST.get("state") or None


def _deadline(form) -> dict:
    return {
        "working_days": form.cleaned_data.get("working_days"),
        "due_date": form.cleaned_data.get("due_date"),
    }


# -- rectification ------------------------------------------------------------------------------------


@login_required
@require_POST
def rectify(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_ndrc):
        return refused
    form = RectifyForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, rectify_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.order_rectification(
            project,
            by=request.user,
            basis=form.cleaned_data["basis"],
            issues=form.cleaned_data["issues"],
            **_deadline(form),
        ),
        success=_("已下达限期整改要求。"),
        back=_back(project),
        render_page=again,
    )


def _get_order(user, pk) -> Rectification:
    order = Rectification.objects.select_related("project").filter(pk=pk).first()
    if order is None:
        raise Http404(_("整改事项不存在。"))
    get_project(user, order.project_id)
    return order


@login_required
@require_POST
def rectification_report(request, pk: int):
    order = _get_order(request.user, pk)
    project = order.project
    if refused := refuse_unless(request, project, who.who_unit, order):
        return refused
    form = ReportForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, report_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.report_rectification(
            order,
            by=request.user,
            report=form.cleaned_data["report"],
            expected_state=request.POST.get("status"),
        ),
        success=_("已报告整改情况，待省发展改革委核查。"),
        back=_back(project),
        render_page=again,
    )


@login_required
@require_POST
def rectification_confirm(request, pk: int):
    order = _get_order(request.user, pk)
    project = order.project
    if refused := refuse_unless(request, project, who.who_ndrc, order):
        return refused
    form = NoteForm(request.POST, prefix="check")

    def again(status, refusal):
        return _page(request, project, status, check_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.confirm_rectification(
            order, by=request.user, note=form.cleaned_data["note"], expected_state=request.POST.get("status")
        ),
        success=_("已确认整改完成。"),
        back=_back(project),
        render_page=again,
    )


@login_required
@require_POST
def rectification_reopen(request, pk: int):
    order = _get_order(request.user, pk)
    project = order.project
    if refused := refuse_unless(request, project, who.who_ndrc, order):
        return refused
    form = ReopenForm(request.POST, prefix="reopen")

    def again(status, refusal):
        return _page(request, project, status, reopen_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.reopen_rectification(
            order,
            by=request.user,
            note=form.cleaned_data["note"],
            expected_state=request.POST.get("status"),
            **_deadline(form),
        ),
        success=_("已退回整改，并重新确定整改期限。"),
        back=_back(project),
        render_page=again,
    )


# -- suspension ---------------------------------------------------------------------------------------


@login_required
@require_POST
def suspend(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_ndrc_decides):
        return refused
    form = SuspendForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, suspend_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.suspend(
            project, by=request.user, expected_state=_seen(request), **form.cleaned_data
        ),
        success=_("已暂停项目建设。"),
        back=_back(project),
        render_page=again,
    )


@login_required
@require_POST
def resume(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_ndrc_decides):
        return refused
    form = NoteForm(request.POST, prefix="resume")

    def again(status, refusal):
        return _page(request, project, status, resume_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.resume(
            project, by=request.user, note=form.cleaned_data["note"], expected_state=_seen(request)
        ),
        success=_("已恢复项目建设，应申请验收日期已按暂停天数顺延。"),
        back=_back(project),
        render_page=again,
    )


# -- termination --------------------------------------------------------------------------------------


@login_required
@require_POST
def termination_apply(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_unit):
        return refused
    form = TerminationForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, termination_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.apply_termination(project, by=request.user, **form.cleaned_data),
        success=_("已提交终止申请，待省发展改革委核报领导小组。"),
        back=_back(project),
        render_page=again,
    )


def _get_request(user, pk) -> TerminationRequest:
    found = TerminationRequest.objects.select_related("project").filter(pk=pk).first()
    if found is None:
        raise Http404(_("终止申请不存在。"))
    get_project(user, found.project_id)
    return found


@login_required
@require_POST
def termination_submit(request, pk: int):
    found = _get_request(request.user, pk)
    project = found.project
    if refused := refuse_unless(request, project, who.who_ndrc_decides, found):
        return refused
    form = NoteForm(request.POST, prefix="submit")

    def again(status, refusal):
        return _page(request, project, status, submit_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.submit_termination(
            found, by=request.user, note=form.cleaned_data["note"], expected_state=request.POST.get("status")
        ),
        success=_("已将终止申请核报领导小组。"),
        back=_back(project),
        render_page=again,
    )


@login_required
@require_POST
def termination_withdraw(request, pk: int):
    found = _get_request(request.user, pk)
    project = found.project
    if refused := refuse_unless(request, project, who.who_unit, found):
        return refused
    return act(
        request,
        project,
        lambda: supervision.withdraw_termination(
            found, by=request.user, expected_state=request.POST.get("status")
        ),
        success=_("已撤回终止申请。"),
        back=_back(project),
        render_page=lambda status, refusal: _page(request, project, status, refusal=refusal),
    )


@login_required
@require_POST
def termination_decline(request, pk: int):
    found = _get_request(request.user, pk)
    project = found.project
    if refused := refuse_unless(request, project, who.who_ndrc_decides, found):
        return refused
    form = GroupDeclineForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, decline_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.decline_termination(
            found, by=request.user, expected_state=request.POST.get("status"), **form.cleaned_data
        ),
        success=_("已登记领导小组意见：不同意终止，项目继续建设。"),
        back=_back(project),
        render_page=again,
    )


@login_required
@require_POST
def terminate(request, pk: int):
    project = get_project(request.user, pk)
    if refused := refuse_unless(request, project, who.who_ndrc_decides):
        return refused
    form = GroupConsentForm(request.POST)

    def again(status, refusal):
        return _page(request, project, status, consent_form=form, refusal=refusal)

    if not form.is_valid():
        return invalid(again)
    return act(
        request,
        project,
        lambda: supervision.terminate(
            project,
            by=request.user,
            doc_number=form.cleaned_data["doc_number"],
            date=form.cleaned_data["date"],
            expected_state=_seen(request),
        ),
        success=_("已登记领导小组同意意见，项目建设终止。"),
        back=_back(project),
        render_page=again,
    )
