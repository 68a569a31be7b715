from django.contrib import admin

from qcommunity.core.admin import ReadOnlyAdminMixin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit log is append-only, so nobody adds, changes or deletes entries here."""

    list_display = ["created_at", "actor_label", "action", "target_type", "target_label"]
    list_filter = ["action", "target_type", "created_at"]
    search_fields = ["actor_label", "action", "target_label", "target_id"]
    date_hierarchy = "created_at"
    list_select_related = ["target_type"]
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
