from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django.views.generic import TemplateView

from .email_change import (
    UNDO_DAYS,
    UndoLinkError,
    email_change_from_token,
    email_change_undo,
)


class TwoFactorRequiredView(LoginRequiredMixin, TemplateView):
    """Shown to people whose roles need two-factor authentication before they may continue."""

    template_name = "accounts/two_factor_required.jinja"


def admin_login(request):
    """Takes the place of the Django admin's own sign-in form, which would sign people in with a
    password alone (no two-factor step, no sign-in lockout): everyone signs in through allauth,
    then comes back to the admin page they asked for."""
    admin_index = reverse("admin:index")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = admin_index
    user = request.user
    if user.is_authenticated:
        if user.is_active and user.is_staff:
            return HttpResponseRedirect(next_url)
        raise Http404
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


class EmailChangeUndoView(View):
    """The link the old address gets when the account's email changes. No sign-in needed: the
    signed link speaks for whoever holds the old address, who may no longer be able to sign in.
    GET says what will happen, POST does it; a link that is tampered with, expired, already
    used or whose address another account now uses gets a page saying so (status 400)."""

    template_name = "accounts/email_change_undo.jinja"

    def _refuse(self, request, error: UndoLinkError):
        return render(
            request,
            "accounts/email_change_undo_refused.jinja",
            {"reason": error.reason, "undo_days": UNDO_DAYS},
            status=400,
        )

    def get(self, request, token: str):
        try:
            change = email_change_from_token(token)
        except UndoLinkError as error:
            return self._refuse(request, error)
        return render(request, self.template_name, {"change": change})

    def post(self, request, token: str):
        try:
            change = email_change_from_token(token)
            email_change_undo(change=change)
        except UndoLinkError as error:
            return self._refuse(request, error)
        if request.user.is_authenticated:
            logout(request)
        return render(request, "accounts/email_change_undone.jinja", {"change": change})
