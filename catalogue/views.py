"""Catalogue pages. Thin: access helpers from permissions.py, actions through services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govinfo import paging, refusals
from govinfo.audit.trail import timeline
from govinfo.formats import display_date
from govinfo.orgs.models import Unit

from . import links, permissions, services
from .conflicts import conflict_keys, conflicts_for_keys, conflicts_for_resource
from .forms import (
    AnswerRequestForm,
    FeedbackForm,
    ItemFormSet,
    ProviderChoiceForm,
    ResourceForm,
    SearchForm,
    ShareRequestForm,
    TextForm,
)
from .models import DataAggregationShortfall, Feedback, Resource, ShareRequest, SharingViolation

PAGE_SIZE = 20


def _page(request, queryset, size: int = PAGE_SIZE):
    """One page of the list, uncounted (govinfo.paging): the catalogue grows by thousands a year."""
    return paging.page_of(queryset, request.GET.get("page"), size)


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def resource_list(request):
    """Every logged-in user browses and searches the published catalogue."""
    form = SearchForm(request.GET or None)
    resources = Resource.objects.published().for_list()
    if form.is_valid():
        resources = resources.search(**form.cleaned_data)
    page = _page(request, resources.order_by("code"))
    return render(
        request,
        "catalogue/resource_list.html",
        {"form": form, "page": page, "query": _querystring_without_page(request)},
    )


@login_required
def resource_detail(request, pk: int):
    resource = permissions.get_resource_for_user(request.user, pk)
    user = request.user
    maintainer = permissions.can_maintain(user, resource)
    sees_all = permissions.sees_all(user)
    my_unit_ids = [u.pk for u in permissions.requesting_units(user)]
    requests = resource.share_requests.select_related("requester", "requested_by").order_by("-created_at")
    feedback = resource.feedback.select_related("reporter").order_by("-created_at")
    if not (maintainer or sees_all):
        requests = requests.filter(requester_id__in=my_unit_ids)
        feedback = feedback.filter(reporter_id__in=my_unit_ids)
    conflicts = conflicts_for_resource(resource)
    conflicted_names = {c.normalized_name for c in conflicts}
    return render(
        request,
        "catalogue/resource_detail.html",
        {
            "resource": resource,
            "items": resource.items.all(),
            "conflicts": conflicts,
            "conflicted_names": conflicted_names,
            "projects": links.projects_for_resources([resource.pk]).get(resource.pk, []),
            "requests": requests,
            "feedback": feedback,
            "maintainer": maintainer,
            "can_edit": permissions.why_cannot_edit(user, resource) is None,
            "can_submit": maintainer and resource.is_draft,
            "can_review": permissions.why_cannot_review(user, resource) is None,
            "can_retire": permissions.why_cannot_retire(user, resource) is None,
            "request_refusal": permissions.why_cannot_request(user, resource)
            if permissions.requesting_units(user) and resource.is_published
            else None,
            "can_request": bool(permissions.requesting_units(user))
            and resource.is_published
            and not maintainer,
            "can_report": permissions.why_cannot_report(user, resource) is None,
            "events": timeline(resource) if (maintainer or sees_all) else [],
            "violations": resource.sharing_violations.select_related("confirmed_by", "withdrawn_by").order_by(
                "-confirmed_at"
            )
            if (maintainer or sees_all)
            else [],
            "can_confirm_violation": bool(conflicts)
            and permissions.why_cannot_confirm_violation(user) is None
            and not resource.sharing_violations.standing().exists(),
            "can_withdraw_violation": permissions.why_cannot_confirm_violation(user) is None,
        },
    )


def _item_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if data and not data.get("DELETE") and data.get("name"):
            rows.append({k: data.get(k) for k in ("name", "data_type", "length", "description")})
    return rows


def _show_errors(form, invalid: ValidationError) -> None:
    """Errors the service found after the form's own checks, next to their fields where the form has them."""
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid)
        return
    for field, errors in invalid.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def resource_create(request):
    reason = permissions.why_cannot_create(request.user)
    if reason:
        raise Http404
    units = permissions.requesting_units(request.user)
    form = ResourceForm(request.POST or None)
    provider_form = ProviderChoiceForm(request.POST or None, units=units, initial={"provider": units[0].pk})
    formset = ItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and provider_form.is_valid() and formset.is_valid():
        try:
            resource = services.create_resource(
                unit=provider_form.cleaned_data["provider"],
                by=request.user,
                data=form.cleaned_data,
                items=_item_rows(formset),
            )
        except services.Refused as refused:
            messages.error(request, refused.reason)
        except (
            ValidationError
        ) as invalid:  # e.g. the code taken by a concurrent request since the form checked
            _show_errors(form, invalid)
        else:
            messages.success(
                request, _("已保存草稿“%(name)s”。报送发布后由省大数据中心审核。") % {"name": resource.name}
            )
            return redirect("catalogue:resource", pk=resource.pk)
    return render(
        request,
        "catalogue/resource_form.html",
        {"form": form, "provider_form": provider_form, "formset": formset, "resource": None},
    )


@login_required
def resource_edit(request, pk: int):
    resource = permissions.get_resource_for_maintainer(request.user, pk)
    reason = permissions.why_cannot_edit(request.user, resource)
    if reason:
        messages.error(request, reason)
        return redirect("catalogue:resource", pk=pk)
    form = ResourceForm(request.POST or None, instance=resource)
    formset = ItemFormSet(request.POST or None, instance=resource, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_resource(
                resource,
                by=request.user,
                data={field: form.cleaned_data[field] for field in services.RESOURCE_FIELDS},
                formset=formset,
            )
        except services.Refused as refused:
            messages.error(request, refused.reason)
        except ValidationError as invalid:
            _show_errors(form, invalid)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("catalogue:resource", pk=pk)
    return render(
        request,
        "catalogue/resource_form.html",
        {"form": form, "provider_form": None, "formset": formset, "resource": resource},
    )


def _act(request, pk: int, action, success: str, *, needs_text: bool = False, access=None):
    resource = (access or permissions.get_resource_for_user)(request.user, pk)
    kwargs = {}
    if needs_text:
        kwargs["reason"] = request.POST.get("text", "")
    try:
        action(resource, by=request.user, **kwargs)
    except services.Refused as refused:
        messages.error(request, refused.reason)
    else:
        messages.success(request, success)
    return redirect("catalogue:resource", pk=pk)


@login_required
@require_POST
def resource_submit(request, pk: int):
    return _act(
        request,
        pk,
        services.submit_resource,
        _("已报送发布，等待省大数据中心审核。"),
        access=permissions.get_resource_for_maintainer,
    )


@login_required
@require_POST
def resource_publish(request, pk: int):
    return _act(request, pk, services.publish_resource, _("已发布，所有单位均可检索该资源。"))


@login_required
@require_POST
def resource_return(request, pk: int):
    return _act(request, pk, services.return_resource, _("已退回提供单位修改。"), needs_text=True)


@login_required
@require_POST
def resource_retire(request, pk: int):
    return _act(request, pk, services.retire_resource, _("资源已停用。"), needs_text=True)


@login_required
def request_create(request, pk: int):
    resource = permissions.get_resource_for_user(request.user, pk)
    units = permissions.requesting_units(request.user)
    reason = permissions.why_cannot_request(request.user, resource)
    if reason:
        messages.error(request, reason)
        return redirect("catalogue:resource", pk=pk)
    form = ShareRequestForm(request.POST or None, resource=resource, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            share_request = services.request_share(
                resource,
                unit=form.cleaned_data["unit"],
                by=request.user,
                purpose=form.cleaned_data["purpose"],
                items=form.cleaned_data["items"],
            )
        except services.Refused as refused:
            messages.error(request, refused.reason)
        else:
            if share_request.grants_use:
                messages.success(request, _("该资源为无条件共享，已登记并授权使用。"))
            else:
                messages.success(
                    request,
                    _("已提交共享申请，提供单位应于%(date)s前答复（R-CAT-3）。")
                    % {"date": display_date(share_request.due_date)},
                )
            return redirect("catalogue:request", pk=share_request.pk)
    return render(request, "catalogue/request_form.html", {"resource": resource, "form": form})


@login_required
def request_detail(request, pk: int):
    share_request = permissions.get_request_for_user(request.user, pk)
    can_answer = permissions.why_cannot_answer_request(request.user, share_request) is None
    form = AnswerRequestForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.answer_share_request(
                    share_request,
                    by=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    text=form.cleaned_data["text"],
                )
            except services.Conflict as conflict:
                messages.error(request, conflict.reason)
                return redirect("catalogue:request", pk=pk)
            except services.Refused as refused:
                form.add_error("text", refused.reason)
            else:
                messages.success(request, _("已答复共享申请。"))
                return redirect("catalogue:request", pk=pk)
    from . import rules

    return render(
        request,
        "catalogue/request_detail.html",
        {
            "req": share_request,
            "items": share_request.items.all(),
            "form": form,
            "period": rules.r_cat_3_answer_period(),
            "events": timeline(share_request),
        },
    )


@login_required
def feedback_create(request, pk: int):
    resource = permissions.get_resource_for_user(request.user, pk)
    reason = permissions.why_cannot_report(request.user, resource)
    if reason:
        messages.error(request, reason)
        return redirect("catalogue:resource", pk=pk)
    units = permissions.reporting_units(request.user, resource)
    form = FeedbackForm(request.POST or None, resource=resource, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.report_feedback(
                resource,
                unit=form.cleaned_data["unit"],
                by=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                items=form.cleaned_data["items"],
            )
        except services.Refused as refused:
            messages.error(request, refused.reason)
        else:
            messages.success(
                request,
                _("已提交，提供单位应于%(date)s前答复（R-CAT-4）。")
                % {"date": display_date(feedback.due_date)},
            )
            return redirect("catalogue:feedback", pk=feedback.pk)
    return render(request, "catalogue/feedback_form.html", {"resource": resource, "form": form})


@login_required
def feedback_detail(request, pk: int):
    feedback = permissions.get_feedback_for_user(request.user, pk)
    can_answer = permissions.why_cannot_answer_feedback(request.user, feedback) is None
    form = TextForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.answer_feedback(feedback, by=request.user, text=form.cleaned_data["text"])
            except services.Refused as refused:
                messages.error(request, refused.reason)
            else:
                messages.success(request, _("已答复。"))
            return redirect("catalogue:feedback", pk=pk)
    from . import rules

    return render(
        request,
        "catalogue/feedback_detail.html",
        {
            "fb": feedback,
            "items": feedback.items.all(),
            "form": form,
            "period": rules.r_cat_4_answer_period(),
            "events": timeline(feedback),
        },
    )


@login_required
def mine(request):
    """我的目录: the unit's own resources, requests it made, requests and feedback it must answer."""
    user = request.user
    if not permissions.is_applicant(user):
        raise Http404
    unit_ids = [u.pk for u in permissions.requesting_units(user)]
    maintained = permissions.maintained_resources(user)
    resources = _page(request, maintained.for_list().order_by("state", "code"))
    incoming = (
        ShareRequest.objects.filter(resource__in=maintained.values("pk"))
        .select_related("resource", "requester")
        .order_by("-created_at")[:50]
    )
    outgoing = (
        ShareRequest.objects.filter(requester_id__in=unit_ids)
        .select_related("resource__provider")
        .order_by("-created_at")[:50]
    )
    feedback = (
        Feedback.objects.filter(resource__in=maintained.values("pk"))
        .select_related("resource", "reporter")
        .order_by("state", "-created_at")[:50]
    )
    return render(
        request,
        "catalogue/mine.html",
        {"page": resources, "incoming": incoming, "outgoing": outgoing, "feedback": feedback},
    )


@login_required
def queue(request):
    """The Big-data centre's desk: resources to publish and open objections."""
    if not permissions.is_bigdata(request.user):
        raise Http404
    waiting = Resource.objects.filter(state=Resource.State.SUBMITTED).for_list().order_by("updated_at")
    objections = (
        Feedback.objects.open()
        .filter(kind__in=[Feedback.Kind.ERROR, Feedback.Kind.OBJECTION])
        .select_related("resource__provider", "reporter")
        .order_by("due_date")
    )
    return render(
        request,
        "catalogue/queue.html",
        {"page": _page(request, waiting), "objections": objections[:100]},
    )


@login_required
def conflicts(request):
    """一数一源: each data item published by more than one provider, with all its sources."""
    page = _page(request, conflict_keys())
    conflicts = conflicts_for_keys(page)
    return render(request, "catalogue/conflicts.html", {"page": page, "conflicts": conflicts})


# --- R-CAT-1: the Big-data centre confirms a 重复采集 (a sharing violation, R-APP-4) ---


@login_required
@require_POST
def violation_confirm(request, pk: int):
    resource = permissions.get_resource_for_user(request.user, pk)
    reason = permissions.why_cannot_confirm_violation(request.user)
    if reason:
        return refusals.refused(request, "catalogue/refused.html", reason, target=resource)
    try:
        violation = services.confirm_duplicate_collection(
            resource, by=request.user, reason=request.POST.get("text", "")
        )
    except services.Refused as refused:
        messages.error(request, refused.reason)
    else:
        messages.success(
            request,
            _("已认定为重复采集：%(unit)s %(year)d年度其他新建、改建、扩建项目不予审批（R-APP-4）。")
            % {"unit": violation.unit.name, "year": violation.bars_year},
        )
    return redirect("catalogue:resource", pk=pk)


@login_required
@require_POST
def violation_withdraw(request, pk: int):
    violation = get_object_or_404(SharingViolation.objects.select_related("resource"), pk=pk)
    permissions.get_resource_for_user(request.user, violation.resource_id)
    reason = permissions.why_cannot_confirm_violation(request.user)
    if reason:
        return refusals.refused(request, "catalogue/refused.html", reason, target=violation.resource)
    try:
        services.withdraw_violation(violation, by=request.user, reason=request.POST.get("text", ""))
    except services.Refused as refused:
        messages.error(request, refused.reason)
    else:
        messages.success(request, _("已撤销该认定。"))
    return redirect("catalogue:resource", pk=violation.resource_id)


# --- R-APP-12: the Big-data centre records units that have not completed their 数据归集 ---


@login_required
def aggregation(request):
    reason = permissions.why_cannot_record_aggregation(request.user)
    if reason and not permissions.is_auditor(request.user):
        return refusals.refused(request, "catalogue/refused.html", reason)
    standing = {
        record.unit_id: record
        for record in DataAggregationShortfall.objects.standing().select_related("recorded_by")
    }
    units = list(Unit.objects.active().order_by("name"))
    rows = [{"unit": unit, "shortfall": standing.get(unit.pk)} for unit in units]
    history = DataAggregationShortfall.objects.exclude(cleared_at=None).select_related("unit", "cleared_by")[
        :50
    ]
    return render(
        request,
        "catalogue/aggregation.html",
        {"rows": rows, "history": history, "can_act": reason is None},
    )


@login_required
@require_POST
def aggregation_record(request, unit_pk: int):
    unit = get_object_or_404(Unit, pk=unit_pk)
    reason = permissions.why_cannot_record_aggregation(request.user)
    if reason:
        return refusals.refused(request, "catalogue/refused.html", reason)
    clearing = request.POST.get("action") == "clear"
    text = request.POST.get("text", "")
    try:
        if clearing:
            services.clear_aggregation_shortfall(unit, by=request.user, note=text)
        else:
            services.record_aggregation_shortfall(unit, by=request.user, reason=text)
    except services.Refused as refused:
        messages.error(request, refused.reason)
    else:
        messages.success(
            request,
            _("已解除%(unit)s的未完成数据归集记录。") % {"unit": unit.name}
            if clearing
            else _("已记录%(unit)s未完成数据归集：完成归集前不得申报新增项目（R-APP-12）。")
            % {"unit": unit.name},
        )
    return redirect("catalogue:aggregation")
