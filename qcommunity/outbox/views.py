from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from qcommunity.core.permissions import PermissionRequired404Mixin

from .enums import EmailStatus
from .filters import OutboxEmailFilter
from .models import OutboxEmail
from .selectors import outbox_email_get, outbox_email_list
from .services import OutboxRetryError, outbox_email_retry


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


class OutboxEmailRetryView(PermissionRequired404Mixin, TemplateView):
    """GET: what sending a failed email again does, and its last error. POST: queue it again
    (`outbox_email_retry`), then back to the failed emails."""

    permission_required = "accounts.view_outbox"
    template_name = "outbox/outboxemail_retry.jinja"

    def get_email(self) -> OutboxEmail:
        try:
            return outbox_email_get(self.kwargs["pk"])
        except OutboxEmail.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        return super().get_context_data(email=self.get_email(), **kwargs)

    def post(self, request, pk: int):
        email = self.get_email()
        try:
            outbox_email_retry(actor=request.user, email=email)
        except OutboxRetryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The email to {email.recipient} is queued to be sent again.")
        return HttpResponseRedirect(reverse("outbox:email-list") + f"?status={EmailStatus.FAILED}")
