"""Receivers for allauth's two-factor signals."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added


def _record_totp_set_up(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up the authenticator app takes a code from it (after the password was confirmed),
    so this session has just passed the second factor: staff are not asked for a second code
    straight after setting the app up."""
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(
        request,
        user,
        "mfa",
        id=authenticator.pk,
        type=authenticator.type,
        reauthenticated=True,
    )


def connect() -> None:
    authenticator_added.connect(_record_totp_set_up, dispatch_uid="accounts-record-totp-set-up")
