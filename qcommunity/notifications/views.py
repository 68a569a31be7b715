from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from qcommunity.core.permissions import PermissionRequired404Mixin

from .forms import NotificationPreferencesForm
from .kinds import kinds_by_group
from .selectors import notification_preferences_for
from .services import notification_preferences_set


class NotificationPreferencesView(PermissionRequired404Mixin, FormView):
    """Every signed-in person chooses how they hear about each kind of notification."""

    permission_required = "notifications.change_own_preferences"
    template_name = "notifications/preferences.jinja"
    form_class = NotificationPreferencesForm

    def get_initial(self):
        return {
            key: str(delivery)
            for key, delivery in notification_preferences_for(self.request.user).items()
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=kinds_by_group(), **kwargs)

    def form_valid(self, form):
        notification_preferences_set(
            user=self.request.user, choices=form.cleaned_data, actor=self.request.user
        )
        messages.success(self.request, "Your email choices have been saved")
        return redirect("notifications:preferences")
