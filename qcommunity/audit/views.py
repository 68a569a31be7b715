from django.views.generic import ListView

from qcommunity.accounts.enums import Role
from qcommunity.core.permissions import PermissionRequired404Mixin

from .describe import AuditLabels, audit_people, describe_details
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
        context = super().get_context_data(filter=self.filterset, **kwargs)
        entries = list(context["entries"])
        labels = AuditLabels(values={"role": dict(Role.choices)}, people=audit_people(entries))
        context["rows"] = [(entry, describe_details(entry.data, labels)) for entry in entries]
        return context
