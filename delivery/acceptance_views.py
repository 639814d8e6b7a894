"""The project's 试运行与验收 page and its actions (R-ACC-1 … R-ACC-4). Thin: load the case through the
access module (404 to outsiders), validate with forms, act through ``delivery.acceptance``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo import stored_files, workflow
from govinfo.orgs import roles
from projects import access
from projects.materials import CONTENT_TYPES
from projects.models import AWAITING_ACCEPTANCE_STATES, State

from . import acceptance, people
from .acceptance_forms import (
    ApplyForm,
    ExtensionDecisionForm,
    ExtensionForm,
    FailForm,
    InviteExpertForm,
    MaterialForm,
    MethodForm,
    OfficeReportForm,
    PassForm,
    PurchaseApplyForm,
    ReapplyForm,
    StartTrialForm,
)
from .models import AcceptanceExtension, AcceptanceMaterial
from .page_actions import act, invalid

UPLOAD_STATES = (State.IN_CONSTRUCTION, State.TRIAL_OPERATION, State.ACCEPTANCE_FAILED)


def _url(project) -> str:
    return reverse("delivery:acceptance", args=[project.pk])


def _context(request, project, refusal=None, **forms) -> dict:
    user = request.user
    read_only = roles.is_read_only(user)
    purchase = project.is_purchase
    trial = acceptance.trial_of(project)
    current = acceptance.current_materials(project)
    acceptances = list(
        project.acceptances.select_related(
            "round", "document", "decided_by", "applied_by", "office_reported_by"
        )
        .prefetch_related("round__expert_invitations__expert", "materials")
        .order_by("-number")
    )
    pending = next((a for a in acceptances if a.is_pending), None)
    last = acceptances[0] if acceptances else None
    extensions = list(project.acceptance_extensions.select_related("requested_by", "decided_by"))
    pending_extension = next((e for e in extensions if e.status == AcceptanceExtension.Status.PENDING), None)
    is_unit = people.is_unit_of(user, project) and not read_only
    is_ndrc = people.is_ndrc(user) and not read_only
    state = project.state

    def may(name):
        return workflow.may(project, user, name)

    context = {
        "project": project,
        "purchase": purchase,
        "trial": trial,
        "earliest": acceptance.earliest_application(trial) if trial else None,
        "required": [
            {
                "kind": kind,
                "label": acceptance.AcceptanceMaterialKind(kind).label,
                "material": current.get(kind),
            }
            for kind in acceptance.required_kinds(project)
        ],
        "materials": list(
            project.acceptance_materials.select_related("uploaded_by").order_by("kind", "-version")
        ),
        "acceptances": acceptances,
        "pending": pending,
        "last": last,
        "extensions": extensions,
        "pending_extension": pending_extension,
        "refusal": refusal,
        "can_start_trial": state == State.IN_CONSTRUCTION and may("start_trial")[0],
        "can_apply": state == State.TRIAL_OPERATION and may("apply_acceptance")[0],
        "apply_reason": may("apply_acceptance")[1] if state == State.TRIAL_OPERATION and is_unit else "",
        "can_reapply": state == State.ACCEPTANCE_FAILED and may("reapply")[0],
        "reapply_reason": may("reapply")[1] if state == State.ACCEPTANCE_FAILED and is_unit else "",
        "can_pass": state == State.ACCEPTANCE_REVIEW and may("pass_acceptance")[0],
        "can_fail": state == State.ACCEPTANCE_REVIEW and may("fail_acceptance")[0],
        "decide_reason": may("pass_acceptance")[1] if state == State.ACCEPTANCE_REVIEW and is_ndrc else "",
        "can_upload": is_unit and state in UPLOAD_STATES,
        "can_extend": is_unit and state in AWAITING_ACCEPTANCE_STATES and pending_extension is None,
        "can_decide_extension": pending_extension is not None
        and workflow.may(pending_extension, user, "approve", check_rules=False)[0],
        "can_organise": is_ndrc and state == State.ACCEPTANCE_REVIEW and pending is not None,
        "can_report": is_unit and last is not None and last.passed and last.office_reported_at is None,
    }
    if context["can_start_trial"]:
        context["trial_form"] = forms.get("trial_form") or StartTrialForm()
    if context["can_upload"]:
        context["material_form"] = forms.get("material_form") or MaterialForm(purchase=purchase)
    if context["can_apply"] or (is_unit and state == State.TRIAL_OPERATION):
        form_class = PurchaseApplyForm if purchase else ApplyForm
        context["apply_form"] = forms.get("apply_form") or form_class()
        context["application_failures"] = acceptance.application_failures(project)
    if context["can_reapply"] or (is_unit and state == State.ACCEPTANCE_FAILED):
        context["reapply_form"] = forms.get("reapply_form") or ReapplyForm()
        context["reapply_failures"] = acceptance.r_acc_2_materials(project)
    if context["can_extend"]:
        context["extension_form"] = forms.get("extension_form") or ExtensionForm()
    if context["can_decide_extension"]:
        context["extension_decision_form"] = forms.get("extension_decision_form") or ExtensionDecisionForm()
    if context["can_organise"]:
        context["method_form"] = forms.get("method_form") or MethodForm(
            initial={"method": pending.method or None, "third_party_name": pending.third_party_name}
        )
        context["expert_form"] = forms.get("expert_form") or InviteExpertForm()
    if context["can_pass"] or context["can_fail"] or (is_ndrc and state == State.ACCEPTANCE_REVIEW):
        context["review_failures"] = acceptance.r_acc_4_review_done(project)
        context["pass_form"] = forms.get("pass_form") or PassForm()
        context["fail_form"] = forms.get("fail_form") or FailForm()
    if context["can_report"]:
        context["report_form"] = forms.get("report_form") or OfficeReportForm()
    return context


def _page(request, project):
    def render_page(refusal=None, status=200, **forms):
        context = _context(request, project, refusal=refusal, **forms)
        return render(request, "delivery/acceptance.html", context, status=status)

    return render_page


@login_required
@require_GET
def acceptance_page(request, pk: int):
    project = access.get_case(request.user, pk)
    if project.state not in acceptance.ACCEPTANCE_PAGE_STATES:
        raise Http404(_("项目尚未进入建设阶段。"))
    return _page(request, project)()


def _action(request, pk, form_class, form_name, call, success, **form_kwargs):
    project = access.get_case(request.user, pk)
    render_page = _page(request, project)
    form = form_class(request.POST, request.FILES, **form_kwargs) if form_class else None
    if form is not None and not form.is_valid():
        return invalid(render_page, **{form_name: form})
    data = form.cleaned_data if form is not None else {}
    seen = request.POST.get("state") or None
    return act(
        request,
        project,
        lambda: call(project, data, seen),
        success=success,
        back=_url(project),
        render_page=render_page,
    )


@login_required
@require_POST
def start_trial(request, pk: int):
    return _action(
        request,
        pk,
        StartTrialForm,
        "trial_form",
        lambda project, data, seen: acceptance.start_trial(
            project, by=request.user, expected_state=seen, **data
        ),
        _("已登记试运行，项目转入试运行。"),
    )


@login_required
@require_POST
def upload_material(request, pk: int):
    project = access.get_case(request.user, pk)
    return _action(
        request,
        pk,
        MaterialForm,
        "material_form",
        lambda project, data, seen: acceptance.upload_material(
            project, by=request.user, kind=data["kind"], upload=data["file"]
        ),
        _("验收材料已上传。"),
        purchase=project.is_purchase,
    )


@login_required
@require_GET
def material_download(request, pk: int, material_pk: int):
    project = access.get_case(request.user, pk)
    material = AcceptanceMaterial.objects.filter(project=project, pk=material_pk).first()
    if material is None:
        raise Http404(_("材料不存在。"))
    return stored_files.serve(
        request,
        material.file,
        filename=material.display_name,
        content_type=CONTENT_TYPES.get(material.file_format, "application/octet-stream"),
        target=project,
        cache_control="private, no-store",
    )


@login_required
@require_POST
def apply(request, pk: int):
    project = access.get_case(request.user, pk)
    return _action(
        request,
        pk,
        PurchaseApplyForm if project.is_purchase else ApplyForm,
        "apply_form",
        lambda project, data, seen: acceptance.apply(project, by=request.user, expected_state=seen, **data),
        _("已提交验收申请。"),
    )


@login_required
@require_POST
def reapply(request, pk: int):
    return _action(
        request,
        pk,
        ReapplyForm,
        "reapply_form",
        lambda project, data, seen: acceptance.reapply(project, by=request.user, expected_state=seen, **data),
        _("已提交整改情况并重新申请验收。"),
    )


@login_required
@require_POST
def request_extension(request, pk: int):
    return _action(
        request,
        pk,
        ExtensionForm,
        "extension_form",
        lambda project, data, seen: acceptance.request_extension(project, by=request.user, **data),
        _("延期验收申请已提交，等待省发展改革委审核。"),
    )


@login_required
@require_POST
def decide_extension(request, pk: int, extension_pk: int):
    approve = request.POST.get("decision") == "approve"

    def call(project, data, seen):
        extension = get_object_or_404(AcceptanceExtension, project=project, pk=extension_pk)
        return acceptance.decide_extension(extension, by=request.user, approve=approve, note=data["note"])

    return _action(
        request,
        pk,
        ExtensionDecisionForm,
        "extension_decision_form",
        call,
        _("已同意延期验收。") if approve else _("已答复不同意延期。"),
    )


@login_required
@require_POST
def record_method(request, pk: int):
    return _action(
        request,
        pk,
        MethodForm,
        "method_form",
        lambda project, data, seen: acceptance.record_method(project, by=request.user, **data),
        _("已记录验收评估方式。"),
    )


@login_required
@require_POST
def invite_expert(request, pk: int):
    return _action(
        request,
        pk,
        InviteExpertForm,
        "expert_form",
        lambda project, data, seen: acceptance.invite_expert(project, data["expert"], by=request.user),
        _("已邀请专家参加验收。"),
    )


@login_required
@require_POST
def pass_acceptance(request, pk: int):
    return _action(
        request,
        pk,
        PassForm,
        "pass_form",
        lambda project, data, seen: acceptance.pass_acceptance(
            project, by=request.user, expected_state=seen, **data
        ),
        _("验收合格，验收意见已出具。"),
    )


@login_required
@require_POST
def fail_acceptance(request, pk: int):
    return _action(
        request,
        pk,
        FailForm,
        "fail_form",
        lambda project, data, seen: acceptance.fail_acceptance(
            project, by=request.user, expected_state=seen, **data
        ),
        _("验收不合格，验收意见和整改要求已出具。"),
    )


@login_required
@require_POST
def report_to_office(request, pk: int):
    return _action(
        request,
        pk,
        OfficeReportForm,
        "report_form",
        lambda project, data, seen: acceptance.report_to_office(project, by=request.user, **data),
        _("已向领导小组办公室报备验收情况。"),
    )
