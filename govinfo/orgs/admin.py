from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Agency, Membership, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("unit", "agency")
    fields = ("role", "unit", "agency", "is_active")


class OrganisationMemberInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "is_active")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "kind",
        "doc_prefix",
        "opinion_title",
        "reviews_by_default",
        "is_active",
        "sort_order",
    )
    list_filter = ("kind", "reviews_by_default", "is_active")
    list_editable = ("reviews_by_default", "is_active", "sort_order")
    search_fields = ("name", "short_name", "code")
    inlines = [OrganisationMemberInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "head", "contact", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "short_name", "credit_code")
    inlines = [OrganisationMemberInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "agency", "is_active", "created_at")
    list_filter = ("role", "is_active", "agency")
    search_fields = ("user__username", "user__full_name", "unit__name", "agency__name")
    autocomplete_fields = ("user", "unit", "agency")

    @admin.action(description=_("停用所选成员资格"))
    def deactivate(self, request, queryset):
        # One by one so that each leaves its organisation's permission group.
        for membership in queryset:
            membership.is_active = False
            membership.save()

    actions = ["deactivate"]

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            membership.delete()
