from django.contrib import admin

from govinfo.guarded_admin import StrictGuardedModelAdmin

from .models import DataItem, Feedback, Resource, ShareRequest


class DataItemInline(admin.TabularInline):
    model = DataItem
    extra = 0


@admin.register(Resource)
class ResourceAdmin(StrictGuardedModelAdmin):
    list_display = ["code", "name", "provider", "category", "share_type", "state", "published_on"]
    list_filter = ["state", "category", "share_type", "provider"]
    search_fields = ["code", "name", "items__name"]
    list_select_related = ["provider"]
    readonly_fields = ["state", "published_on", "return_reason", "created_by", "created_at", "updated_at"]
    inlines = [DataItemInline]


@admin.register(ShareRequest)
class ShareRequestAdmin(admin.ModelAdmin):
    list_display = ["resource", "requester", "state", "created_at", "due_date", "answered_at"]
    list_filter = ["state"]
    list_select_related = ["resource", "requester"]
    readonly_fields = ["state", "answered_at", "answered_by", "answer"]
    raw_id_fields = ["resource", "items"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["resource", "reporter", "kind", "state", "created_at", "due_date"]
    list_filter = ["state", "kind"]
    list_select_related = ["resource", "reporter"]
    readonly_fields = ["state", "answered_at", "answered_by", "answer"]
    raw_id_fields = ["resource", "items"]
