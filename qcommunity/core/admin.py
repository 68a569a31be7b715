class ReadOnlyAdminMixin:
    """For records written only by services (audit entries, outbox rows): viewable in the
    Django admin, never added, changed or deleted there."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
