"""Roles that see other people's personal data must set up two-factor authentication first."""

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = (
    "/accounts/",
    "/static/",
    "/health/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and user.needs_two_factor
            and not is_mfa_enabled(user)
        ):
            return redirect(reverse("accounts:two-factor-required"))
        return self.get_response(request)
