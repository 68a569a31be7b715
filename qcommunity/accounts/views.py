from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
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
