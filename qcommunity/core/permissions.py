from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404


class PermissionRequired404Mixin(PermissionRequiredMixin):
    """Visitors are sent to sign in; signed-in users without the permission get 404, so a page's
    existence does not leak to people who may not see it."""

    def get_permission_object(self):
        """The object the permission is checked on (a round its managers may run); None checks
        the permission site-wide."""
        return

    def has_permission(self) -> bool:
        return self.request.user.has_perms(
            self.get_permission_required(), self.get_permission_object()
        )

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise Http404
        return super().handle_no_permission()
