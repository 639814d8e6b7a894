"""The unit's page: whether it may get new projects (R-APP-4) and why not, its security findings
(第五十一条), and its post-evaluation results — the basis for next year's funding (R-EVA-2).

Who may open it: the unit's own clerks, every agency's reviewers and signers (NDRC decides on the unit's
projects; Finance funds it), auditors and administrators. Other units' clerks and experts get a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo.orgs import roles
from govinfo.orgs.models import Unit
from projects import access
from projects.models import Project

from . import blocking, evaluation
from .acceptance_forms import ClearFindingForm, SecurityFindingForm
from .models import SecurityFinding
from .page_actions import act, invalid


def may_view_unit(user, unit: Unit) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if roles.is_read_only(user) or roles.agencies_of(user):
        return True
    return any(own.pk == unit.pk for own in roles.units_of(user))


def get_unit_for_user(user, pk) -> Unit:
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not may_view_unit(user, unit):
        raise Http404(_("单位不存在或您无权查看。"))
    return unit


def _may_record(user) -> bool:
    return not roles.is_read_only(user) and blocking.WHO_SECURITY(user, None) is None


@login_required
@require_GET
def unit_list(request):
    user = request.user
    if not (roles.is_read_only(user) or roles.agencies_of(user)):
        units = roles.units_of(user)
        if len(units) == 1:
            return redirect("delivery:unit", pk=units[0].pk)
        listed = Unit.objects.filter(pk__in=[u.pk for u in units])
    else:
        listed = Unit.objects.active()
    listed = listed.annotate(
        open_findings=Count(
            "security_findings", filter=Q(security_findings__status=SecurityFinding.Status.OPEN)
        )
    ).order_by("name")
    return render(request, "delivery/unit_list.html", {"units": listed})


def _page(request, unit: Unit):
    def render_page(refusal=None, status=200, finding_form=None):
        user = request.user
        may_record = _may_record(user)
        findings = list(
            SecurityFinding.objects.filter(unit=unit)
            .select_related("agency", "project", "recorded_by", "cleared_by")
            .order_by("status", "-recorded_at")
        )
        context = {
            "unit": unit,
            "bars": blocking.unit_bars(unit),
            "findings": findings,
            "may_record": may_record,
            "finding_form": finding_form
            or (SecurityFindingForm(projects=Project.objects.filter(lead_unit=unit)) if may_record else None),
            "clear_form": ClearFindingForm() if may_record else None,
            "post_evaluations": evaluation.unit_record(unit),
            "projects": access.visible(user).filter(lead_unit=unit).order_by("-year", "name")[:100],
            "refusal": refusal,
        }
        return render(request, "delivery/unit_detail.html", context, status=status)

    return render_page


@login_required
@require_GET
def unit_detail(request, pk: int):
    return _page(request, get_unit_for_user(request.user, pk))()


@login_required
@require_POST
def record_finding(request, pk: int):
    unit = get_unit_for_user(request.user, pk)
    render_page = _page(request, unit)
    form = SecurityFindingForm(request.POST, projects=Project.objects.filter(lead_unit=unit))
    if not form.is_valid():
        return invalid(render_page, finding_form=form)
    return act(
        request,
        unit,
        lambda: blocking.record_finding(
            unit, by=request.user, finding=form.cleaned_data["finding"], project=form.cleaned_data["project"]
        ),
        success=_("已记录安全不合规问题；整改销号前该单位不得新增项目。"),
        back=reverse("delivery:unit", args=[unit.pk]),
        render_page=render_page,
    )


@login_required
@require_POST
def clear_finding(request, pk: int, finding_pk: int):
    unit = get_unit_for_user(request.user, pk)
    finding = get_object_or_404(SecurityFinding, unit=unit, pk=finding_pk)
    render_page = _page(request, unit)
    form = ClearFindingForm(request.POST)
    if not form.is_valid():
        return invalid(render_page)
    return act(
        request,
        unit,
        lambda: blocking.clear_finding(finding, by=request.user, note=form.cleaned_data["note"]),
        success=_("已销号。"),
        back=reverse("delivery:unit", args=[unit.pk]),
        render_page=render_page,
    )
