from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govinfo.orgs.admin import MembershipInline

from . import lockout
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
    actions = ["unlock_logins"]

    @admin.action(description=_("解除所选用户的登录锁定"), permissions=["change"])
    def unlock_logins(self, request, queryset):
        cleared = [user.username for user in queryset if lockout.unlock(user, by=request.user)]
        if cleared:
            self.message_user(
                request,
                gettext("已解除登录锁定：%(users)s。") % {"users": "、".join(cleared)},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, gettext("所选用户没有登录失败记录，无需解锁。"), messages.INFO)
