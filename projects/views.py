"""The applicant's pages. Thin: load through permissions, validate with forms, act through services."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Max, Min, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govinfo import paging, refusals, stored_files, workflow
from govinfo.formats import clauses

from . import access, page_links, permissions, revisions, services, story
from .catalogue_gate import allowed_relations, linkable_resources
from .checks import submission_failures
from .forms import (
    BasicForm,
    DesignChangeForm,
    ExclusionsForm,
    FundingForm,
    LeadScopeForm,
    LinkResourceForm,
    MaterialUploadForm,
    ParticipantFormSet,
    ProjectFilterForm,
    PurchaseForm,
    ResourceSearchForm,
    TechnicalForm,
)
from .guards import ActionRefused, Conflict, NotAllowed
from .models import Material, MaterialKind, Project, ProjectResource, State
from .sections import BY_KEY, SECTIONS, progress

PAGE_SIZE = 20
CANDIDATES_PAGE_SIZE = 10
FORM_SECTIONS = {
    "basic": BasicForm,
    "technical": TechnicalForm,
    "funding": FundingForm,
    "design": DesignChangeForm,
    "exclusions": ExclusionsForm,
    "purchase": PurchaseForm,
}


def _refused(request, reason: str, status: int = 403):
    return refusals.refused(request, "projects/refused.html", reason, status=status)


def _next_section(project: Project, key: str) -> str:
    keys = [s.key for s in SECTIONS if s.applies_to(project)]
    index = keys.index(key) if key in keys else -1
    return keys[index + 1] if 0 <= index < len(keys) - 1 else ""


def _after_save(request, project: Project, key: str):
    following = _next_section(project, key)
    if "save_next" in request.POST and following:
        return redirect("projects:section", pk=project.pk, section=following)
    if "save_next" in request.POST:
        return redirect("projects:detail", pk=project.pk)
    return redirect("projects:section", pk=project.pk, section=key)


def _form_context(project: Project, key: str) -> dict:
    failures = submission_failures(project)
    return {
        "project": project,
        "current": BY_KEY[key],
        "progress": progress(project, failures),
        "section_failures": [f for f in failures if f.section == key],
        "has_next": bool(_next_section(project, key)),
    }


@login_required
@require_GET
def project_list(request):
    projects = access.visible(request.user).with_list_data()
    years = _filter_years()
    filters = ProjectFilterForm(request.GET or None, years=years)
    if filters.is_valid():
        if filters.cleaned_data["state"]:
            projects = projects.filter(state=filters.cleaned_data["state"])
        if filters.cleaned_data["year"]:
            projects = projects.filter(year=filters.cleaned_data["year"])
    page = paging.page_of(projects.order_by("-updated_at", "-id"), request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "can_create": bool(permissions.applicant_units(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    units = permissions.applicant_units(request.user)
    if not units:
        return _refused(request, _("只有项目单位经办人可以新建项目申报。"))
    unit = units[0]
    if len(units) > 1:
        chosen = request.POST.get("unit") or request.GET.get("unit")
        unit = next((u for u in units if str(u.pk) == chosen), units[0])
    form = BasicForm(request.POST or None, unit=unit, instance=Project(lead_unit=unit))
    if request.method == "GET":
        form.initial.setdefault("year", _default_year())
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(unit=unit, by=request.user, **form.changes())
        except NotAllowed as exc:
            return _refused(request, exc.message)
        messages.success(request, _("项目草稿已创建，可继续填写其他部分。"))
        return _after_save(request, project, "basic")
    return render(request, "projects/create.html", {"form": form, "units": units, "unit": unit})


def _filter_years() -> list[int]:
    """The year filter's choices from two index lookups (earliest and latest), never from every row."""
    bounds = Project.objects.aggregate(first=Min("year"), last=Max("year"))
    if bounds["first"] is None:
        return []
    return list(range(bounds["last"], bounds["first"] - 1, -1))


def _may_submit(user, project: Project) -> tuple[bool, str]:
    """The submit button: the lifecycle table's submit (or resubmit) row, asked for this user.

    The page lists the submission checks' failures itself, so the row's guard is not run twice.
    """
    name = "resubmit" if project.state == State.RETURNED else "submit"
    return workflow.may(project, user, name, check_rules=False)


def _default_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year + 1


@login_required
@require_GET
def project_detail(request, pk: int):
    project = access.get_case(request.user, pk)
    return render(request, "projects/detail.html", _detail_context(request, project))


def _detail_context(request, project: Project, refusal: list[str] | None = None) -> dict:
    user = request.user
    can_edit, _reason = permissions.may_edit(user, project)
    can_submit, submit_reason = _may_submit(user, project)
    failures = submission_failures(project) if can_edit else []
    materials = list(project.materials.select_related("uploaded_by").order_by("kind", "-version"))
    return {
        "project": project,
        "participants": list(project.participants.select_related("unit")),
        "resource_links": _resource_links(project),
        "materials": materials,
        "story_entries": story.timeline(user, project),
        "story_next": story.grouped_next_steps(user, project),
        "story_sections": _story_sections(request, project),
        "can_edit": can_edit,
        "can_submit": can_submit,
        "submit_reason": submit_reason,
        "progress": progress(project, failures) if can_edit else [],
        "failures": failures,
        "refusal": refusal,
        "page_links": page_links.links_for(user, project),
        "revisions": revisions.listing(project),
    }


def _story_sections(request, project: Project) -> list[dict]:
    """The cards later stages add to the page, each rendered from its own template and facts."""
    return [
        {
            "key": section.key,
            "title": section.title,
            "html": render_to_string(
                section.template, {**section.context, "project": project}, request=request
            ),
        }
        for section in story.sections(request.user, project)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def project_section(request, pk: int, section: str):
    project = access.get_case(request.user, pk)
    if section not in FORM_SECTIONS:
        if section == "participants":
            return project_participants(request, project)
        if section == "materials":
            return project_materials(request, project)
        if section == "catalogue":
            return project_catalogue(request, project)
        raise Http404(_("没有这一部分。"))
    allowed, reason = permissions.may_edit(request.user, project)
    if not allowed:
        return _refused(request, reason)
    if not BY_KEY[section].applies_to(project):
        if section == "design":
            messages.info(request, _("只有处于初步设计阶段的项目需要说明与可研批复的比较。"))
        else:
            messages.info(request, _("该项目为自行建设，无需填写购买服务条件。"))
        return redirect("projects:detail", pk=project.pk)
    form_class = FORM_SECTIONS[section]
    data = request.POST if request.method == "POST" else None
    if form_class is ExclusionsForm:
        form = ExclusionsForm(data, project=project)
    elif form_class is BasicForm:
        form = BasicForm(data, instance=project, unit=project.lead_unit)
    else:
        form = form_class(data, instance=project)
    if request.method == "POST" and form.is_valid():
        project = access.get_case(request.user, pk)  # the form wrote into its instance
        try:
            services.update_section(project, by=request.user, section=section, changes=form.changes())
        except ActionRefused as exc:
            return _refused(request, clauses(exc.messages), status=409)
        messages.success(request, _("“%(section)s”已保存。") % {"section": BY_KEY[section].title})
        return _after_save(request, project, section)
    context = _form_context(project if request.method == "GET" else _reloaded(request, pk), section)
    context["form"] = form
    if section == "design":
        context["back_to_feasibility"] = workflow.may(
            context["project"], request.user, "return_to_feasibility"
        )
    return render(request, "projects/section.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def project_return_to_feasibility(request, pk: int):
    """R-APP-9: a major design change takes the project back to 可研 approval (the path back, never stuck)."""
    project = access.get_case(request.user, pk)
    try:
        services.return_to_feasibility(
            project, by=request.user, expected_state=request.POST.get("state") or None
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("projects:detail", pk=project.pk)
    except ActionRefused as exc:
        return _refused(request, clauses(exc.messages), status=exc.status)
    messages.success(
        request, _("项目已回到可行性研究报告阶段：请修订并上传可行性研究报告，重新提交申报（R-APP-9）。")
    )
    return redirect("projects:detail", pk=project.pk)


def _reloaded(request, pk: int) -> Project:
    # A bound ModelForm writes the user's input into its instance; the progress shows what is saved.
    return access.get_case(request.user, pk)


def project_participants(request, project: Project):
    allowed, reason = permissions.may_edit(request.user, project)
    if not allowed:
        return _refused(request, reason)
    current = list(project.participants.select_related("unit"))
    if request.method == "POST":
        lead_form = LeadScopeForm(request.POST)
        formset = ParticipantFormSet(request.POST, form_kwargs={"lead_unit": project.lead_unit})
        if lead_form.is_valid() and formset.is_valid():
            try:
                services.set_participants(
                    project,
                    by=request.user,
                    lead_scope=lead_form.cleaned_data["lead_scope"],
                    rows=formset.rows(),
                )
            except ActionRefused as exc:
                return _refused(request, clauses(exc.messages), status=409)
            messages.success(request, _("“%(section)s”已保存。") % {"section": BY_KEY["participants"].title})
            return _after_save(request, project, "participants")
    else:
        lead_form = LeadScopeForm(initial={"lead_scope": project.lead_scope})
        formset = ParticipantFormSet(
            initial=[{"unit": p.unit, "scope": p.scope} for p in current],
            form_kwargs={"lead_unit": project.lead_unit},
        )
    context = _form_context(project, "participants")
    context.update({"lead_form": lead_form, "formset": formset})
    return render(
        request, "projects/participants.html", context, status=400 if request.method == "POST" else 200
    )


def _resource_links(project: Project) -> list[ProjectResource]:
    return list(project.resource_links.select_related("resource__provider").order_by("relation", "id"))


def _search_query(source) -> str:
    """The search the clerk was on, rebuilt from known keys only: the page comes back to it after an
    action, and nothing else from the request reaches the redirect."""
    kept = {key: source.get(key, "").strip() for key in ("q", "scope", "page")}
    return urlencode({key: value for key, value in kept.items() if value})


def project_catalogue(request, project: Project):
    """R-APP-2: the catalogue entries the project produces or uses, and a search to link more."""
    allowed, reason = permissions.may_edit(request.user, project)
    if not allowed:
        return _refused(request, reason)
    link_form = LinkResourceForm(request.POST or None, project=project)
    if request.method == "POST" and link_form.is_valid():
        try:
            link = services.link_resource(
                project,
                by=request.user,
                resource=link_form.cleaned_data["resource"],
                relation=link_form.cleaned_data["relation"],
            )
        except ActionRefused as exc:
            messages.error(request, clauses(exc.messages))
        else:
            messages.success(
                request,
                _("已关联“%(name)s”（%(relation)s）。")
                % {"name": link.resource.name, "relation": link.get_relation_display()},
            )
        query = _search_query(request.GET)
        url = reverse("projects:section", args=[project.pk, "catalogue"])
        return redirect(f"{url}?{query}" if query else url)
    links = _resource_links(project)
    linked = {(link.resource_id, link.relation) for link in links}
    search = ResourceSearchForm(request.GET or None)
    candidates = linkable_resources(project).select_related("provider")
    if search.is_valid():
        words = search.cleaned_data["q"].strip()
        if words:
            candidates = candidates.filter(Q(name__icontains=words) | Q(code__icontains=words))
        if search.cleaned_data["scope"] == ResourceSearchForm.OWN:
            candidates = candidates.filter(provider_id=project.lead_unit_id)
    # The unit's own entries first: what its project produces is usually among them.
    candidates = candidates.annotate(
        foreign=Case(
            When(provider_id=project.lead_unit_id, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("foreign", "code")
    page = Paginator(candidates, CANDIDATES_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "resource": resource,
            "relations": [
                (relation, ProjectResource.Relation(relation).label, (resource.pk, relation) in linked)
                for relation in allowed_relations(project, resource)
            ],
        }
        for resource in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = _form_context(project, "catalogue")
    context.update(
        {
            "links": links,
            "search": search,
            "link_form": link_form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "search_query": _search_query(request.GET),
            "next_section": _next_section(project, "catalogue"),
        }
    )
    return render(request, "projects/catalogue.html", context, status=400 if link_form.errors else 200)


@login_required
@require_POST
def resource_unlink(request, pk: int, link_pk: int):
    project = access.get_case(request.user, pk)
    allowed, reason = permissions.may_edit(request.user, project)
    if not allowed:
        return _refused(request, reason)
    link = ProjectResource.objects.select_related("resource").filter(project=project, pk=link_pk).first()
    if link is None:
        raise Http404(_("该关联不存在。"))
    try:
        services.unlink_resource(project, by=request.user, link=link)
    except NotAllowed as exc:
        return _refused(request, exc.message)
    except ActionRefused as exc:
        messages.error(request, clauses(exc.messages))
    else:
        messages.success(
            request,
            _("已移除“%(name)s”（%(relation)s）的关联。")
            % {"name": link.resource.name, "relation": link.get_relation_display()},
        )
    url = reverse("projects:section", args=[project.pk, "catalogue"])
    query = _search_query(request.GET)
    return redirect(f"{url}?{query}" if query else url)


def project_materials(request, project: Project):
    allowed, reason = permissions.may_edit(request.user, project)
    if not allowed:
        return _refused(request, reason)
    form = MaterialUploadForm(
        request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                material = services.upload_material(
                    project, by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            except ActionRefused as exc:
                return _refused(request, clauses(exc.messages), status=409)
            else:
                messages.success(
                    request,
                    _("已上传“%(kind)s”第 %(version)s 版：%(name)s")
                    % {
                        "kind": material.get_kind_display(),
                        "version": material.version,
                        "name": material.display_name,
                    },
                )
                return redirect("projects:section", pk=project.pk, section="materials")
    context = _form_context(project, "materials")
    context.update(
        {
            "form": form,
            "materials": list(project.materials.select_related("uploaded_by").order_by("kind", "-version")),
            "kinds": MaterialKind.choices,
        }
    )
    return render(request, "projects/materials.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def material_download(request, pk: int, material_pk: int):
    project = access.get_case(request.user, pk)
    material = Material.objects.filter(project=project, pk=material_pk).first()
    if material is None:
        raise Http404(_("材料不存在。"))
    return stored_files.serve(
        request,
        material.file,
        filename=material.display_name,
        content_type=_content_type(material),
        target=project,
        downloaded=lambda: services.record_download(material, by=request.user),
        cache_control="private, no-store",
    )


def _content_type(material: Material) -> str:
    from .materials import CONTENT_TYPES

    return CONTENT_TYPES.get(material.file_format, "application/octet-stream")


@login_required
@require_POST
def project_submit(request, pk: int):
    project = access.get_case(request.user, pk)
    try:
        # The state the page showed: a stale page gets a conflict, never an action on a state it never saw.
        project = services.submit(project, by=request.user, expected_state=request.POST.get("state") or None)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("projects:detail", pk=project.pk)
    except NotAllowed as exc:
        return _refused(request, exc.message)
    except ActionRefused as exc:
        context = _detail_context(request, project, refusal=exc.messages)
        return render(request, "projects/detail.html", context, status=400)
    messages.success(request, _("已提交申报，项目代码：%(code)s。") % {"code": project.code})
    return redirect(reverse("projects:detail", args=[project.pk]))
