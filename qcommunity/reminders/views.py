from django.views.generic import ListView

from qcommunity.core.permissions import PermissionRequired404Mixin

from .filters import SentReminderFilter
from .selectors import UPCOMING_DAYS, kind_label, reminders_upcoming, sent_reminder_list


class ReminderListView(PermissionRequired404Mixin, ListView):
    """Staff see what the engine will send in the next 30 days and what it has sent."""

    permission_required = "reminders.view_reminders"
    template_name = "reminders/reminder_list.jinja"
    paginate_by = 50
    context_object_name = "sent"

    def get_queryset(self):
        self.filterset = SentReminderFilter(self.request.GET, queryset=sent_reminder_list())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        upcoming, upcoming_total = reminders_upcoming()
        return super().get_context_data(
            filter=self.filterset,
            upcoming=upcoming,
            upcoming_total=upcoming_total,
            upcoming_days=UPCOMING_DAYS,
            kind_label=kind_label,
            **kwargs,
        )
