"""The auditor's pages: the hub, the registers (every exporter as a filtered list), the dashboard, the
audit-trail browser and the chain's state. Auditors only: everyone else gets 404 (and the refusal is
recorded by ``RefusedAccessMiddleware``). Nothing here acts on a case; the two POSTs (verify the chain,
start an export) are marked ``not_an_action``."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo.audit import chain
from govinfo.audit.models import AuditEvent, ChainHead
from govinfo.audit.verification import VERIFIED, record_verification
from govinfo.exports import forms as export_forms
from govinfo.exports import registry, writers
from govinfo.orgs import roles
from govinfo.refusals import not_an_action

from . import dashboard

PAGE_SIZE = 50
TRAIL_PAGE_SIZE = 50


def auditor_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles.is_auditor(request.user):
            raise Http404(_("页面不存在。"))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def chain_state() -> dict:
    """The chain's head and its last verification; verified live while the chain is small."""
    head = ChainHead.objects.filter(pk=chain.HEAD_ID).first()
    last = AuditEvent.objects.filter(action=VERIFIED).select_related("actor").order_by("-seq").first()
    live = None
    if head is None or head.seq <= settings.GOVINFO_AUDIT_LIVE_VERIFY_MAX:
        live = chain.verify()
    return {"head": head, "last": last, "live": live}


@auditor_only
@require_GET
def hub(request):
    exporters = [e for e in registry.for_user(request.user) if e.identifier != "audit-trail"]
    return render(request, "auditor/hub.html", {"exporters": exporters, "chain": chain_state()})


@auditor_only
@require_GET
def register(request, identifier: str):
    exporter = registry.get(identifier)
    if exporter is None or not exporter.allowed(request.user):
        raise Http404(_("页面不存在。"))
    form = export_forms.filter_form(exporter, request.GET)
    filters = export_forms.cleaned_filters(exporter, request.GET)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    offset = (page - 1) * PAGE_SIZE
    # One row more than the page shows tells whether there is a next page: no COUNT over the table.
    found = list(exporter.queryset(request.user, filters)[offset : offset + PAGE_SIZE + 1])
    formatters = exporter.formatters()
    rows = [
        {"cells": [fmt(row[key], row) for key, fmt in formatters], "link": exporter.link(row)}
        for row in found[:PAGE_SIZE]
    ]
    return render(
        request,
        "auditor/register.html",
        {
            "exporter": exporter,
            "form": form,
            "headers": exporter.headers(),
            "rows": rows,
            "page": page,
            "has_next": len(found) > PAGE_SIZE,
            "query": _query_without(request, "page"),
        },
    )


def _year(request) -> int | None:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return None


@auditor_only
@require_GET
def dashboard_view(request):
    year = _year(request)
    datasets = dashboard.all_datasets(year)
    # The year choices from two index lookups, never from every row.
    bounds = dashboard.Project.objects.aggregate(first=Min("year"), last=Max("year"))
    years = list(range(bounds["last"], bounds["first"] - 1, -1)) if bounds["first"] else []
    return render(
        request,
        "auditor/dashboard.html",
        {"datasets": datasets, "year": year, "years": years, "query": request.GET.urlencode()},
    )


@auditor_only
@require_GET
def dashboard_csv(request, identifier: str):
    build = dashboard.DATASETS.get(identifier)
    if build is None:
        raise Http404(_("页面不存在。"))
    dataset = build(_year(request))
    response = StreamingHttpResponse(
        writers.iter_csv([str(h) for h in dataset.headers], dataset.rows),
        content_type="text/csv; charset=utf-8",
    )
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, f"{dataset.title}.csv")
    return response


@auditor_only
@require_GET
def trail(request):
    """Every event, newest first, filtered; pages by the chain's sequence number (keyset, no COUNT)."""
    exporter = registry.get("audit-trail")
    form = export_forms.filter_form(exporter, request.GET)
    filters = export_forms.cleaned_filters(exporter, request.GET)
    events = exporter.apply_filters(AuditEvent.objects.all(), filters).select_related(
        "actor", "case_type", "target_type"
    )
    before, after = _int(request.GET.get("before")), _int(request.GET.get("after"))
    if after is not None:
        found = list(events.filter(seq__gt=after).order_by("seq")[: TRAIL_PAGE_SIZE + 1])
        newer = len(found) > TRAIL_PAGE_SIZE
        page = list(reversed(found[:TRAIL_PAGE_SIZE]))
        older = bool(page) and events.filter(seq__lt=page[-1].seq).exists()
    else:
        if before is not None:
            events = events.filter(seq__lt=before)
        found = list(events.order_by("-seq")[: TRAIL_PAGE_SIZE + 1])
        older = len(found) > TRAIL_PAGE_SIZE
        page = found[:TRAIL_PAGE_SIZE]
        newer = before is not None and bool(page)
    for event in page:
        # A details key may be called "items": never let the template look up dict methods on it.
        event.detail_pairs = sorted((event.details or {}).items())
    return render(
        request,
        "auditor/trail.html",
        {
            "exporter": exporter,
            "form": form,
            "events": page,
            "older": page[-1].seq if older and page else None,
            "newer": page[0].seq if newer and page else None,
            "query": _query_without(request, "before", "after"),
            "chain": chain_state(),
        },
    )


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@auditor_only
@require_POST
@not_an_action
def verify(request):
    """Walk the chain now and put the result on the chain itself (the page shows the latest)."""
    report = record_verification(request.user)
    (messages.success if report.ok else messages.error)(request, report.summary())
    return redirect("auditor:trail" if request.POST.get("next") == "trail" else "auditor:hub")
