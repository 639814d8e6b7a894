"""Import and export pages for the catalogue workbook."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import exchange, permissions
from .forms import ImportForm, ProviderChoiceForm, SearchForm
from .models import DataItem, Resource


@login_required
def import_view(request):
    if not permissions.can_import(request.user):
        raise Http404
    units = permissions.requesting_units(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    provider_form = ProviderChoiceForm(request.POST or None, units=units, initial={"provider": units[0].pk})
    report = error = None
    if request.method == "POST" and form.is_valid() and provider_form.is_valid():
        try:
            report = exchange.import_workbook(
                form.cleaned_data["file"],
                unit=provider_form.cleaned_data["provider"],
                by=request.user,
                mode=form.cleaned_data["mode"],
            )
        except exchange.WorkbookError as exc:
            error = str(exc)
    return render(
        request,
        "catalogue/import.html",
        {"form": form, "provider_form": provider_form, "report": report, "error": error},
    )


@login_required
def import_template(request):
    if not permissions.can_import(request.user):
        raise Http404
    handle = exchange.export_file(Resource.objects.none(), DataItem.objects.none())
    return FileResponse(handle, as_attachment=True, filename=_("信息资源目录导入模板.xlsx"))


@login_required
def export_view(request):
    """Streams the published catalogue (with the list page's filters), or with ?scope=mine the user's own."""
    if request.GET.get("scope") == "mine":
        resources = permissions.maintained_resources(request.user)
    else:
        resources = Resource.objects.published()
        form = SearchForm(request.GET or None)
        if form.is_valid():
            resources = resources.search(**form.cleaned_data)
    resources = resources.select_related("provider").order_by("code")
    items = (
        DataItem.objects.filter(resource__in=resources.values("pk"))
        .select_related("resource")
        .order_by("resource__code", "position", "pk")
    )
    handle = exchange.export_file(resources, items)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle, as_attachment=True, filename=_("信息资源目录-%(stamp)s.xlsx") % {"stamp": stamp}
    )
