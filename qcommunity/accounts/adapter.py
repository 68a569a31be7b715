from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from qcommunity.outbox.services import email_queue_message

RATE_LIMITED = "Too many attempts. Wait a few minutes and try again."


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails through the outbox so each is a row before it is sent, and words
    allauth's errors in the NHS content style (no full stops, say what to do)."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account has been closed",
        "cannot_remove_primary_email": "You cannot remove the email address you sign in with",
        "duplicate_email": "This email address is already on your account",
        "email_password_mismatch": "The email address or password you entered is not correct",
        "enter_current_password": "The password you entered is not correct",
        "incorrect_code": "The code you entered is not correct",
        "incorrect_password": "The password you entered is not correct",
        "invalid_or_expired_key": "This link has expired or is not valid",
        "invalid_password_reset": "This password reset link has expired or has already been used",
        "max_email_addresses": "You cannot add more than %d email addresses",
        "too_many_login_attempts": RATE_LIMITED,
        "rate_limited": RATE_LIMITED,
        "unknown_email": "There is no account with this email address",
        "unverified_primary_email": "Confirm your email address first",
        "same_as_current": "Enter an email address that is different from your current one",
    }

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        """The emailed confirmation link. When the person signed up (or signed in unconfirmed)
        on their way to a page (`next`, a local address only), the link carries it on: once
        they confirm, they are asked to sign in and then taken to that page, not the home page.
        (Confirming does not sign them in: ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION is off.)"""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        target = ""
        if request is not None:
            target = request.POST.get("next") or request.GET.get("next") or ""
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
        sign_in = f"{reverse('account_login')}?{urlencode({'next': target})}"
        return f"{url}?{urlencode({'next': sign_in})}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        ctx = {"email": email, **context}
        message = self.render_mail(template_prefix, email, ctx)
        # "account/email/password_changed" -> "account.password_changed", "mfa.totp_activated".
        kind = template_prefix.replace("/email/", ".", 1).replace("/", ".")
        email_queue_message(message=message, kind=kind)
