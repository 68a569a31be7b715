"""Staff pages for the CSV import of contacts: upload, preview, apply, result. Editors and
staff admins, both two-factor roles."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from qcommunity.core.errors import form_add_error

from ..subscriptions.views import StaffMixin
from .enums import ImportStatus
from .forms import ImportUploadForm
from .selectors import import_batch_get
from .services import (
    ImportAlreadyAppliedError,
    ImportFileError,
    import_batch_apply,
    import_batch_create,
)


class ImportUploadView(StaffMixin, FormView):
    template_name = "newsletters/imports/import_upload.jinja"
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

    template_name = "newsletters/imports/import_preview.jinja"

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
    template_name = "newsletters/imports/import_result.jinja"

    def get_context_data(self, **kwargs):
        batch = import_batch_get(self.kwargs["pk"])
        if batch.status != ImportStatus.APPLIED:
            raise Http404
        return super().get_context_data(batch=batch, **kwargs)
