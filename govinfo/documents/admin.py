from django.contrib import admin

from .models import DocumentCounter, IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read-only (list and view): an issued document is append-only, created by ``issue_document`` only."""

    list_display = ["doc_number", "title", "kind", "agency", "issued_at", "issued_by"]
    list_filter = ["kind", "agency", "year"]
    search_fields = ["doc_number", "title", "project_code", "project_name"]
    list_select_related = ["agency", "issued_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentCounter)
class DocumentCounterAdmin(admin.ModelAdmin):
    """Read-only (list and view): changing a counter by hand would create a gap or a duplicate (R-REV-6)."""

    list_display = ["agency", "year", "last_number"]
    list_select_related = ["agency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
