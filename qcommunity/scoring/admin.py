from django.contrib import admin

from .models import Assignment, Criterion, Panel, PanelMember, ScalePoint, Scheme


class LockedSchemeReadOnly:
    """Once a scheme is locked (its round opened) its criteria and scale are evidence of what
    applicants answered and reviewers scored against: the admin shows them and changes nothing.
    Before that, staff change them through the round pages (audited); the admin is a fallback."""

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.is_locked) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_locked) and super().has_delete_permission(
            request, obj
        )


class LockedSchemeInlineReadOnly(LockedSchemeReadOnly):
    # For inlines `obj` is the parent scheme.
    def has_add_permission(self, request, obj=None):
        return not (obj is not None and obj.is_locked) and super().has_add_permission(request, obj)


class CriterionInline(LockedSchemeInlineReadOnly, admin.StackedInline):
    model = Criterion
    extra = 0


class ScalePointInline(LockedSchemeInlineReadOnly, admin.TabularInline):
    model = ScalePoint
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(LockedSchemeReadOnly, admin.ModelAdmin):
    list_display = ["name", "locked_at", "created_at"]
    readonly_fields = ["locked_at"]
    inlines = [CriterionInline, ScalePointInline]


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 0
    raw_id_fields = ["user", "added_by"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "reviews_needed", "created_at"]
    inlines = [PanelMemberInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Read-only: assignments and reviews change through the scoring services (audited)."""

    list_display = ["id", "panel", "reviewer", "subject_type", "subject_id", "status"]
    list_filter = ["status"]
    raw_id_fields = ["reviewer"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
