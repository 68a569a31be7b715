"""Staff pages for subscribers: newsletters with counts, contacts, consent history, the
suppression list and the CSV import (upload, preview, apply, result). Editors and staff
admins, both two-factor roles."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, ListView, TemplateView

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin

from .enums import ImportStatus, SubscriptionStatus
from .filters import ContactFilter
from .forms import ImportUploadForm
from .imports import (
    ImportAlreadyAppliedError,
    ImportFileError,
    import_batch_apply,
    import_batch_create,
)
from .selectors import (
    contact_get,
    contact_list,
    contact_suppressions,
    import_batch_get,
    newsletter_list_with_counts,
    suppression_list,
)


class StaffMixin(PermissionRequired404Mixin):
    permission_required = "newsletters.manage_subscribers"


class NewsletterListView(StaffMixin, TemplateView):
    template_name = "newsletters/subscribe_newsletters.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            newsletters=list(newsletter_list_with_counts()),
            statuses=SubscriptionStatus.choices,
            **kwargs,
        )


class ContactListView(StaffMixin, ListView):
    template_name = "newsletters/contact_list.jinja"
    paginate_by = 50
    context_object_name = "contacts"

    def get_queryset(self):
        self.filterset = ContactFilter(self.request.GET, queryset=contact_list())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class ContactDetailView(StaffMixin, TemplateView):
    template_name = "newsletters/contact_detail.jinja"

    def get_context_data(self, **kwargs):
        contact = contact_get(self.kwargs["pk"])
        return super().get_context_data(
            contact=contact, suppressions=contact_suppressions(contact), **kwargs
        )


class SuppressionListView(StaffMixin, ListView):
    template_name = "newsletters/suppression_list.jinja"
    paginate_by = 50
    context_object_name = "suppressions"

    def get_queryset(self):
        return suppression_list()


class ImportUploadView(StaffMixin, FormView):
    template_name = "newsletters/import_upload.jinja"
    form_class = ImportUploadForm

    def form_valid(self, form):
        data = form.cleaned_data
        upload = data["file"]
        try:
            batch = import_batch_create(
                actor=self.request.user,
                filename=upload.name,
                data=upload.read(),
                newsletters=list(data["newsletters"]),
                lawful_basis=data["lawful_basis"],
                note=data["note"],
            )
        except ImportFileError as error:
            form_add_error(form, error, fallback="file")
            return self.form_invalid(form)
        return redirect("newsletters-staff:import-preview", pk=batch.pk)


class ImportPreviewView(StaffMixin, TemplateView):
    """GET: what the import will change (nothing written yet). POST: apply it."""

    template_name = "newsletters/import_preview.jinja"

    def get(self, request, *args, **kwargs):
        batch = import_batch_get(kwargs["pk"])
        if batch.status == ImportStatus.APPLIED:
            return redirect("newsletters-staff:import-result", pk=batch.pk)
        return self.render_to_response(self.get_context_data(batch=batch))

    def post(self, request, *args, **kwargs):
        batch = import_batch_get(kwargs["pk"])
        try:
            import_batch_apply(batch=batch, actor=request.user)
        except ImportAlreadyAppliedError:
            messages.info(request, "This import had already been applied; nothing was changed.")
        return redirect("newsletters-staff:import-result", pk=batch.pk)


class ImportResultView(StaffMixin, TemplateView):
    template_name = "newsletters/import_result.jinja"

    def get_context_data(self, **kwargs):
        batch = import_batch_get(self.kwargs["pk"])
        if batch.status != ImportStatus.APPLIED:
            raise Http404
        return super().get_context_data(batch=batch, **kwargs)
