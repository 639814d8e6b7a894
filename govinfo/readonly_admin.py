"""Admin classes for content that services own (issue 8 item 6).

A project, an opinion, a review round or a revision changes only through its service: one transaction
with its checks, its audit event and its grants. An edit in the admin would skip all three (an approved
project's total investment changed with no trace), so these admins list, search, filter and show, and
nothing else — not even for a superuser. A correction goes through the pages that record it.
"""

from __future__ import annotations

from django.contrib import admin


class ServiceOwnedAdmin(admin.ModelAdmin):
    """Read-only: list, search, filters and the detail view; no add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceOwnedInline(admin.TabularInline):
    """Related rows shown on the parent's page, never edited there."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
