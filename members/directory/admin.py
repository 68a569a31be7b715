from django.contrib import admin

from qcommunity.core.admin import ReadOnlyAdminMixin

from .models import Approach, ContactMessage, Offer, Profile, Topic


class TermAdmin(admin.ModelAdmin):
    """Staff edit the taxonomies members choose from."""

    list_display = ["name", "slug", "description"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(Topic, TermAdmin)
admin.site.register(Approach, TermAdmin)
admin.site.register(Offer, TermAdmin)


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Viewable only: members edit their own entries through services that refresh search and
    audit visibility changes, which an admin form would bypass."""

    list_display = ["__str__", "slug", "visibility", "region", "confirmed_at"]
    list_filter = ["visibility", "region", "organisation_type"]
    search_fields = ["slug", "user__full_name", "user__email"]
    list_select_related = ["user"]
    fields = [
        "user",
        "slug",
        "visibility",
        "job_title",
        "organisation",
        "organisation_type",
        "region",
        "nation",
        "confirmed_at",
        "published_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields


@admin.register(ContactMessage)
class ContactMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who wrote to whom and when, for handling complaints; the text itself is not shown."""

    list_display = ["sender", "recipient", "created_at", "allow_reply"]
    list_select_related = ["sender", "recipient__user"]
    fields = ["sender", "recipient", "created_at", "allow_reply"]
    readonly_fields = fields
