from django.views.generic import ListView

from qcommunity.core.permissions import PermissionRequired404Mixin

from .filters import OutboxEmailFilter
from .selectors import outbox_email_list


class OutboxEmailListView(PermissionRequired404Mixin, ListView):
    permission_required = "accounts.view_outbox"
    template_name = "outbox/outboxemail_list.jinja"
    paginate_by = 50
    context_object_name = "emails"

    def get_queryset(self):
        self.filterset = OutboxEmailFilter(self.request.GET, queryset=outbox_email_list())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)
