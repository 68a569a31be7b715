from django.contrib import admin

from qcommunity.core.admin import ReadOnlyAdminMixin

from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: rows are written by the outbox services and change only as they are sent."""

    list_display = ["created_at", "recipient", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["recipient", "subject", "kind", "related_id"]
    date_hierarchy = "created_at"
    list_select_related = ["related_type"]
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
