"""Projects in the admin: read-only (``govinfo.readonly_admin``); services own every change."""

from django.contrib import admin

from govinfo.readonly_admin import ServiceOwnedAdmin, ServiceOwnedInline

from .models import (
    ApplicationRevision,
    Material,
    Project,
    ProjectCodeCounter,
    ProjectParticipant,
    ProjectResource,
)


class ParticipantInline(ServiceOwnedInline):
    model = ProjectParticipant
    fields = ("unit", "scope", "created_at")
    readonly_fields = fields


class MaterialInline(ServiceOwnedInline):
    model = Material
    fields = (
        "kind",
        "version",
        "display_name",
        "file_format",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = fields


class ResourceLinkInline(ServiceOwnedInline):
    model = ProjectResource
    fields = ("resource", "relation", "created_at")
    readonly_fields = fields


class RevisionInline(ServiceOwnedInline):
    model = ApplicationRevision
    fields = ("number", "stage", "submitted_by", "submitted_at", "content_sha256", "backfilled")
    readonly_fields = fields
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(ServiceOwnedAdmin):
    """The state and the application move only through services (the FSM field is protected)."""

    list_display = ("code", "name", "lead_unit", "year", "state", "approval_path", "updated_at")
    list_filter = ("state", "year", "approval_path", "implementation_mode")
    search_fields = ("code", "name", "national_code", "lead_unit__name")
    list_select_related = ("lead_unit",)
    inlines = [ParticipantInline, ResourceLinkInline, MaterialInline, RevisionInline]


@admin.register(ProjectParticipant)
class ProjectParticipantAdmin(ServiceOwnedAdmin):
    list_display = ("project", "unit", "created_at")
    search_fields = ("project__code", "project__name", "unit__name")
    list_select_related = ("project", "unit")


@admin.register(ProjectResource)
class ProjectResourceAdmin(ServiceOwnedAdmin):
    list_display = ("project", "resource", "relation", "created_at")
    list_filter = ("relation",)
    search_fields = ("project__code", "project__name", "resource__code", "resource__name")
    list_select_related = ("project", "resource")


@admin.register(Material)
class MaterialAdmin(ServiceOwnedAdmin):
    list_display = ("project", "kind", "version", "display_name", "file_format", "size", "uploaded_at")
    list_filter = ("kind", "file_format")
    search_fields = ("project__code", "project__name", "display_name", "sha256")
    list_select_related = ("project",)


@admin.register(ApplicationRevision)
class ApplicationRevisionAdmin(ServiceOwnedAdmin):
    list_display = ("project", "number", "stage", "submitted_by", "submitted_at", "backfilled")
    list_filter = ("stage", "backfilled")
    search_fields = ("project__code", "project__name", "content_sha256")
    list_select_related = ("project", "submitted_by")


@admin.register(ProjectCodeCounter)
class ProjectCodeCounterAdmin(ServiceOwnedAdmin):
    """Changing a counter by hand would issue a 项目代码 twice or leave a gap."""

    list_display = ("year", "last")
