"""A notice and its 签收. Addressees (and read-only auditors) open it; others learn nothing (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govinfo import refusals
from govinfo.errors import Conflict, NotAllowed
from govinfo.orgs import roles

from . import services
from .models import Notice


def _notice_for(user, pk: int) -> Notice:
    notice = Notice.objects.select_related("unit", "agency", "acknowledged_by").filter(pk=pk).first()
    if notice is None or not (services.is_addressee(user, notice) or roles.is_read_only(user)):
        raise Http404(_("通知不存在或您无权查看。"))
    return notice


def _safe(url: str, request) -> str:
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) else "/"


@login_required
@require_GET
def notice_detail(request, pk: int):
    notice = _notice_for(request.user, pk)
    may_acknowledge = (
        not notice.is_acknowledged
        and services.is_addressee(request.user, notice)
        and not roles.is_read_only(request.user)
    )
    return render(
        request,
        "notices/notice.html",
        {"notice": notice, "may_acknowledge": may_acknowledge, "go_url": _safe(notice.url, request)},
    )


@login_required
@require_POST
def notice_acknowledge(request, pk: int):
    notice = _notice_for(request.user, pk)
    try:
        services.acknowledge(notice, by=request.user)
    except Conflict as exc:
        messages.info(request, exc.message)
    except NotAllowed as exc:
        return refusals.refused(request, "projects/refused.html", exc.message, target=notice)
    else:
        messages.success(request, _("已签收。"))
    return redirect(_safe(notice.url, request))
