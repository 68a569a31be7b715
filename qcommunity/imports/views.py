"""Staff pages of the import kit: the kinds and past imports, upload, the preview, applying,
the result, discarding. Staff admins only (404 for everyone else)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin

from .enums import ImportStatus
from .forms import ImportUploadForm
from .kinds import ImportFileError, all_kinds, get_kind
from .selectors import data_import_get, data_import_list
from .services import (
    PERMISSION,
    DataImportError,
    data_import_apply,
    data_import_create,
    data_import_discard,
)


class ImportsMixin(PermissionRequired404Mixin):
    permission_required = PERMISSION


def kind_labels() -> dict[str, str]:
    return {kind.key: kind.label for kind in all_kinds()}


class ImportListView(ImportsMixin, ListView):
    template_name = "imports/import_list.jinja"
    paginate_by = 25
    context_object_name = "imports"

    def get_queryset(self):
        return data_import_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(kinds=all_kinds(), kind_labels=kind_labels(), **kwargs)


class ImportUploadView(ImportsMixin, FormView):
    template_name = "imports/import_upload.jinja"
    form_class = ImportUploadForm

    def dispatch(self, request, *args, **kwargs):
        try:
            self.kind = get_kind(kwargs["kind"])
        except LookupError:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"kind": self.kind}

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.kind, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            data_import = data_import_create(
                actor=self.request.user,
                kind_key=self.kind.key,
                filename=upload.name,
                data=upload.read(),
            )
        except (ImportFileError, DataImportError) as error:
            form_add_error(form, error, fallback="file")
            return self.form_invalid(form)
        return redirect("imports:import-detail", pk=data_import.pk)


class ImportDetailView(ImportsMixin, TemplateView):
    """The preview while the import waits for confirmation; what it made once applied."""

    def get_template_names(self):
        if self.data_import.status == ImportStatus.APPLIED:
            return ["imports/import_result.jinja"]
        return ["imports/import_preview.jinja"]

    def get(self, request, *args, **kwargs):
        self.data_import = data_import_get(kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        data_import = self.data_import
        try:
            kind = get_kind(data_import.kind)
        except LookupError:
            raise Http404 from None
        # The error summary lists every problem, each linking to its row in the table below.
        error_list = [
            {"text": f"{error['where']}: {error['message']}", "href": f"#problem-{number}"}
            for number, error in enumerate(data_import.preview.get("errors", []), start=1)
        ]
        return super().get_context_data(
            data_import=data_import, kind=kind, error_list=error_list, **kwargs
        )


class ImportApplyView(ImportsMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        data_import = data_import_get(pk)
        try:
            data_import_apply(actor=request.user, data_import=data_import)
        except DataImportError as error:
            messages.error(request, str(error))
        return redirect("imports:import-detail", pk=data_import.pk)


class ImportDiscardView(ImportsMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        data_import = data_import_get(pk)
        try:
            data_import_discard(actor=request.user, data_import=data_import)
        except DataImportError as error:
            messages.error(request, str(error))
            return redirect("imports:import-detail", pk=data_import.pk)
        messages.success(request, f"Import #{data_import.pk} was discarded. Nothing was imported.")
        return redirect("imports:import-list")
