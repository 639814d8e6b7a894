from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.admin import MembershipInline

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "email", "is_active", "last_login")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("联系方式"), {"fields": ("full_name", "phone")}),
    )
    inlines = [MembershipInline]
