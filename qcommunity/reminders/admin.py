from django.contrib import admin

from qcommunity.core.admin import ReadOnlyAdminMixin

from .models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: rows are written by the reminders engine, one per reminder sent."""

    list_display = ["created_at", "kind", "recipient", "due_date", "outbox_email"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "outbox_email"]
