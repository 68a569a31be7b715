"""A person's own data: download it, or delete the account."""

from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from qcommunity.core.permissions import PermissionRequired404Mixin

from .forms import AccountDeleteForm
from .registry import all_sources
from .services import account_delete, personal_data_download


class PersonalDataView(PermissionRequired404Mixin, TemplateView):
    """What we hold, and a button that downloads it as one JSON file. The download is a POST,
    so a link checker or a prefetching browser cannot start it."""

    permission_required = "privacy.download_own_data"
    template_name = "privacy/data.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sources=all_sources(), **kwargs)

    def post(self, request):
        name, content = personal_data_download(user=request.user)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


class AccountDeleteView(PermissionRequired404Mixin, FormView):
    """Deleting the account, after the person's password and a confirmation."""

    permission_required = "privacy.delete_own_account"
    template_name = "privacy/delete.jinja"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(sources=all_sources(), **kwargs)

    def form_valid(self, form):
        account_delete(user=self.request.user)
        logout(self.request)
        return redirect("privacy:deleted")


class AccountDeletedView(TemplateView):
    template_name = "privacy/deleted.jinja"
