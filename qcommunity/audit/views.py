from django.views.generic import ListView

from qcommunity.core.permissions import PermissionRequired404Mixin

from .filters import AuditEntryFilter
from .selectors import audit_entry_list


class AuditEntryListView(PermissionRequired404Mixin, ListView):
    permission_required = "accounts.view_audit_log"
    template_name = "audit/auditentry_list.jinja"
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        self.filterset = AuditEntryFilter(self.request.GET, queryset=audit_entry_list())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)
