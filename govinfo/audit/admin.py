from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody, not even a superuser, edits or deletes the trail here."""

    list_display = (
        "created_at",
        "actor",
        "action_label",
        "action",
        "target_repr",
        "from_state",
        "to_state",
        "ip_address",
    )
    list_filter = ("action", "target_type")
    search_fields = ("action", "target_repr", "actor__username", "actor__full_name")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "target_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
