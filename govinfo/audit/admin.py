"""The audit trail in the admin: read-only, and as fast at ten million events as at ten thousand.

Every query the changelist makes uses an index: the list is the newest events by ``seq`` (unique index),
the action filter lists the registered actions (no DISTINCT over the table), the search matches one
indexed column exactly (an action, a login name, a case number), and the paginator counts at most
``COUNT_CAP`` rows. There is no date hierarchy: it sorted every event by date to draw its links.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import actions
from .models import AuditEvent

# The changelist counts the matching events up to here; beyond it, it pages through the first ones.
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most ``COUNT_CAP + 1`` rows: "10 000 or more" needs no walk over millions of events."""

    @cached_property
    def count(self) -> int:
        # Unordered: any 10 001 rows count the same, and PostgreSQL counts them from an index instead of
        # sorting every matching event by seq first (19 ms → 2 ms for a login with 7 000 events).
        return self.object_list.order_by()[: COUNT_CAP + 1].count()


class ActionFilter(admin.SimpleListFilter):
    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return sorted(actions.registered().items(), key=lambda item: item[0])

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(action=value) if value else queryset


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
    list_filter = (ActionFilter,)
    # Matched exactly, one indexed column at a time (see get_search_results); listed for the search box.
    search_fields = ("=action", "=actor__username", "=case_id")
    search_help_text = _("输入完整的操作代码（如 projects.project.submitted）、操作人登录名或项目编号。")
    list_select_related = ("actor", "target_type")
    ordering = ("-seq",)
    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if actions.is_registered(term):
            return queryset.filter(action=term), False
        actor = get_user_model().objects.filter(username=term).values_list("pk", flat=True).first()
        if actor is not None:
            return queryset.filter(actor_id=actor), False
        if term.isdigit():
            project_type = ContentType.objects.filter(app_label="projects", model="project").first()
            return queryset.filter(case_type=project_type, case_id=term), False
        # Nothing else is indexed: an unknown term matches an action of that name, i.e. usually nothing.
        return queryset.filter(action=term), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
