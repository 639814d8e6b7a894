from django.contrib import admin

from .models import Material, Project, ProjectCodeCounter, ProjectParticipant


class ParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    extra = 0
    autocomplete_fields = ("unit",)


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    can_delete = False
    fields = ("kind", "version", "display_name", "file_format", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Read-mostly: the state moves only through services (the FSM field is protected)."""

    list_display = ("code", "name", "lead_unit", "year", "state", "approval_path", "updated_at")
    list_filter = ("state", "year", "approval_path", "implementation_mode")
    search_fields = ("code", "name", "national_code", "lead_unit__name")
    list_select_related = ("lead_unit",)
    readonly_fields = ("code", "state", "approval_path", "first_submitted_at", "submitted_at", "created_by")
    autocomplete_fields = ("lead_unit", "predecessor")
    inlines = [ParticipantInline, MaterialInline]


@admin.register(ProjectCodeCounter)
class ProjectCodeCounterAdmin(admin.ModelAdmin):
    list_display = ("year", "last")
    readonly_fields = ("year", "last")

    def has_add_permission(self, request):
        return False
