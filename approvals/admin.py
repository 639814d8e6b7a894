from django.contrib import admin

from govinfo.readonly_admin import ServiceOwnedAdmin, ServiceOwnedInline

from .models import DecisionDraft, ExpertInvitation, Opinion, ReviewRound, ReviewTask

# -- the review workflow: read-only, its services own every change (govinfo.readonly_admin) ----------


class ReviewTaskInline(ServiceOwnedInline):
    model = ReviewTask
    fields = ("agency", "status", "due_date", "added_by_ndrc", "assignee", "closed_at")
    readonly_fields = fields
    show_change_link = True


@admin.register(ReviewRound)
class ReviewRoundAdmin(ServiceOwnedAdmin):
    list_display = ("project", "stage", "number", "status", "outcome", "revision", "opened_at", "closed_at")
    list_filter = ("stage", "status", "outcome")
    search_fields = ("project__code", "project__name")
    list_select_related = ("project", "revision__project")
    inlines = [ReviewTaskInline]


class OpinionInline(ServiceOwnedInline):
    model = Opinion
    fields = ("conclusion", "status", "drafted_by", "signed_by", "signed_at", "document", "supersedes")
    readonly_fields = fields
    show_change_link = True


@admin.register(ReviewTask)
class ReviewTaskAdmin(ServiceOwnedAdmin):
    list_display = ("__str__", "agency", "status", "due_date", "assignee", "closed_at")
    list_filter = ("status", "agency", "added_by_ndrc")
    search_fields = ("round__project__code", "round__project__name", "agency__name")
    list_select_related = ("round__project", "agency", "assignee")
    inlines = [OpinionInline]


@admin.register(Opinion)
class OpinionAdmin(ServiceOwnedAdmin):
    list_display = ("__str__", "task", "conclusion", "status", "signed_by", "signed_at", "document")
    list_filter = ("status", "conclusion", "task__agency")
    search_fields = (
        "task__round__project__code",
        "task__round__project__name",
        "document__doc_number",
        "text",
    )
    list_select_related = ("task__agency", "task__round__project", "signed_by", "document")


@admin.register(ExpertInvitation)
class ExpertInvitationAdmin(ServiceOwnedAdmin):
    list_display = ("__str__", "expert", "recommendation", "due_date", "submitted_at")
    list_filter = ("recommendation",)
    search_fields = ("round__project__code", "round__project__name", "expert__username", "expert__full_name")
    list_select_related = ("round__project", "expert")


@admin.register(DecisionDraft)
class DecisionDraftAdmin(ServiceOwnedAdmin):
    list_display = ("__str__", "outcome", "version", "updated_by", "updated_at")
    list_filter = ("outcome",)
    search_fields = ("round__project__code", "round__project__name")
    list_select_related = ("round__project", "updated_by")
