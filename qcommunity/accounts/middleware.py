"""Roles that see other people's personal data must pass two-factor authentication: the account
must have it set up, and this session must have been signed in (or confirmed) with the second
factor. A session signed in with a password alone, such as one from before two-factor was
required, is asked for a code from the authenticator app before it may continue."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

ALLOWED_PREFIXES = (
    "/accounts/",
    "/static/",
    "/health/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
)


def passed_second_factor(request, user) -> bool:
    """Whether this session authenticated `user` with a second factor (allauth records each
    step of a sign-in, and each re-authentication, in the session)."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
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
            and not passed_second_factor(request, user)
        ):
            if not is_mfa_enabled(user):
                return redirect(reverse("accounts:two-factor-required"))
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)
