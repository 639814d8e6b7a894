"""The project's 绩效监控报告 page (R-BLD-4): the years owed and filed, and the unit's form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo.orgs import roles
from projects import access

from . import monitoring, people
from .acceptance_forms import MonitoringReportForm
from .page_actions import act, invalid


def _page(request, project):
    def render_page(refusal=None, status=200, form=None):
        schedule = monitoring.schedule(project)
        owed = [
            row.year
            for row in schedule
            if row.report is None and project.state in monitoring.MONITORED_STATES
        ]
        may_file = people.is_unit_of(request.user, project) and not roles.is_read_only(request.user)
        if may_file and owed and form is None:
            form = MonitoringReportForm(years=owed, initial={"year": owed[0]})
        context = {
            "project": project,
            "schedule": schedule,
            "form": form if may_file and owed else None,
            "in_trial": project.state == "trial_operation",
            "refusal": refusal,
        }
        return render(request, "delivery/monitoring.html", context, status=status)

    return render_page


@login_required
@require_GET
def monitoring_page(request, pk: int):
    project = access.get_case(request.user, pk)
    if project.state not in monitoring.REPORTED_STATES:
        raise Http404(_("该项目不在绩效监控期内。"))
    return _page(request, project)()


@login_required
@require_POST
def file_report(request, pk: int):
    project = access.get_case(request.user, pk)
    render_page = _page(request, project)
    form = MonitoringReportForm(request.POST, years=monitoring.due_years(project) or [0])
    if not form.is_valid():
        return invalid(render_page, form=form)
    return act(
        request,
        project,
        lambda: monitoring.file_report(project, by=request.user, **form.cleaned_data),
        success=_("绩效监控报告已报送省发展改革委和财政厅。"),
        back=reverse("delivery:monitoring", args=[project.pk]),
        render_page=render_page,
    )
