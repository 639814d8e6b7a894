"""The review page's 评估论证 and 省政府审定 sections (R-REV-4): what every follower of the review sees, and
NDRC's forms to record them. Thin, like the other review views: load through ``permissions`` (404 to
outsiders), validate with ``evaluation_forms``, act through ``approvals.evaluation``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo import refusals, stored_files
from govinfo.audit import trail
from govinfo.formats import clauses
from projects.guards import ActionRefused, Conflict
from projects.materials import CONTENT_TYPES

from . import evaluation, permissions
from .evaluation_forms import EvaluationForm, GovernmentClearForm, GovernmentConsentForm, GovernmentFlagForm
from .guards import government_review
from .models import Evaluation, GovernmentConsent


def evaluation_context(user, project, role: str, forms: dict, round=None) -> dict:
    """The sections' data for the review page (a fixed handful of queries); NDRC's forms only where it
    may act now."""
    round = round if round is not None else permissions.open_round(project)
    flag = government_review(project)
    history = list(
        Evaluation.objects.filter(round__project=project)
        .select_related("round", "recorded_by")
        .order_by("-recorded_at", "-id")
    )
    consents = list(
        GovernmentConsent.objects.filter(round__project=project)
        .select_related("round", "recorded_by")
        .order_by("-recorded_at")
    )
    round_consent = next((c for c in consents if round is not None and c.round_id == round.pk), None)
    context = {
        "evaluation": next((e for e in history if round is not None and e.round_id == round.pk), None),
        "evaluation_history": history,
        "government_flag": flag,
        "government_consents": consents,
        "round_consent": round_consent,
        "may_see_report": role in permissions.SEES_EVALUATION_REPORT,
    }
    # The three NDRC steps share who and when (R-REV-4): asked once.
    if role != "ndrc" or not permissions.may_record_evaluation(user, project)[0]:
        return context
    context["evaluation_form"] = forms.get("evaluation_form") or EvaluationForm()
    if flag is None:
        context["government_flag_form"] = forms.get("government_flag_form") or GovernmentFlagForm()
    elif round_consent is None:
        context["government_clear_form"] = forms.get("government_clear_form") or GovernmentClearForm()
        context["government_consent_form"] = forms.get("government_consent_form") or GovernmentConsentForm()
    return context


def _refused(request, reason: str, status: int = 403):
    return refusals.refused(request, "approvals/refused.html", reason, status=status)


def _act(request, pk: int, *, form_class, form_name: str, may, call, success: str, files: bool = False):
    # The review page's own context builder (and through it this module's sections) re-renders a bad form.
    from .review_views import _project_context

    project, role = permissions.get_review_project_for_user(request.user, pk)
    allowed, reason = may(request.user, project)
    if not allowed:
        return _refused(request, reason)
    form = form_class(request.POST, request.FILES) if files else form_class(request.POST)
    if not form.is_valid():
        context = _project_context(request, project, role, **{form_name: form})
        return render(request, "approvals/review_project.html", context, status=400)
    try:
        call(project, form.cleaned_data)
    except Conflict as exc:
        messages.error(request, exc.message)
    except ActionRefused as exc:
        return _refused(request, clauses(exc.messages), status=exc.status)
    else:
        messages.success(request, success)
    return redirect(reverse("approvals:project", args=[project.pk]) + "#evaluation")


@login_required
@require_POST
def project_evaluation(request, pk: int):
    return _act(
        request,
        pk,
        form_class=EvaluationForm,
        form_name="evaluation_form",
        may=permissions.may_record_evaluation,
        call=lambda project, data: evaluation.record_evaluation(
            project,
            by=request.user,
            method=data["method"],
            institution=data.get("institution") or "",
            report=data.get("report"),
            note=data.get("note") or "",
        ),
        success=_("评估论证情况已记录。"),
        files=True,
    )


@login_required
@require_POST
def project_government_flag(request, pk: int):
    return _act(
        request,
        pk,
        form_class=GovernmentFlagForm,
        form_name="government_flag_form",
        may=permissions.may_flag_government_review,
        call=lambda project, data: evaluation.flag_government_review(
            project, by=request.user, reason=data["reason"]
        ),
        success=_("已标记为需报省政府审定；批复前须记录省政府同意情况。"),
    )


@login_required
@require_POST
def project_government_clear(request, pk: int):
    return _act(
        request,
        pk,
        form_class=GovernmentClearForm,
        form_name="government_clear_form",
        may=permissions.may_flag_government_review,
        call=lambda project, data: evaluation.clear_government_review(
            project, by=request.user, reason=data["reason"]
        ),
        success=_("已撤销报省政府审定标记。"),
    )


@login_required
@require_POST
def project_government_consent(request, pk: int):
    return _act(
        request,
        pk,
        form_class=GovernmentConsentForm,
        form_name="government_consent_form",
        may=permissions.may_record_government_consent,
        call=lambda project, data: evaluation.record_government_consent(
            project,
            by=request.user,
            doc_number=data["doc_number"],
            date=data["date"],
            note=data.get("note", ""),
        ),
        success=_("省政府同意情况已记录。"),
    )


@login_required
@require_GET
def evaluation_report(request, pk: int, evaluation_pk: int):
    project, _role = permissions.get_review_project_for_user(request.user, pk)
    found = Evaluation.objects.filter(round__project=project, pk=evaluation_pk).exclude(report="").first()
    if found is None or not permissions.may_see_evaluation_report(request.user, project):
        raise Http404(_("评估报告不存在或您无权查看。"))
    return stored_files.serve(
        request,
        found.report,
        filename=f"{found.report_name}",
        content_type=CONTENT_TYPES.get(found.report_format, "application/octet-stream"),
        target=project,
        downloaded=lambda: trail.record(
            "approvals.evaluation.report_downloaded",
            actor=request.user,
            target=project,
            details={"name": found.report_name, "sha256": found.report_sha256},
        ),
    )
