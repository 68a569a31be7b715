from django.contrib import admin

from qcommunity.core.admin import ReadOnlyAdminMixin

from .models import Digest, DigestItem, NotificationPreference


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email"]
    list_select_related = ["user"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "user", "created_at", "outbox_email"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "outbox_email"]


@admin.register(DigestItem)
class DigestItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "subject", "digest"]
    list_filter = ["kind"]
    search_fields = ["user__email", "subject"]
    list_select_related = ["user", "digest"]
