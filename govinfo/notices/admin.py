from django.contrib import admin

from govinfo.readonly_admin import ServiceOwnedAdmin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(ServiceOwnedAdmin):
    list_display = ("title", "unit", "agency", "created_at", "expires_at", "emailed", "acknowledged_at")
    list_filter = ("category",)
    search_fields = ("title", "key")
    list_select_related = ("unit", "agency")
