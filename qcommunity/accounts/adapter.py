import datetime as dt

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import timezone

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

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        if template_prefix == "account/email/email_changed" and context:
            # The old address gets a link that undoes the change (qcommunity.accounts.email_change):
            # a password reset would now go to the new address.
            from .email_change import UNDO_DAYS, email_change_undo_url

            context = {
                **context,
                "undo_url": email_change_undo_url(
                    user=user, from_email=context["from_email"], to_email=context["to_email"]
                ),
                "undo_days": UNDO_DAYS,
                "undo_until": timezone.now() + dt.timedelta(days=UNDO_DAYS),
            }
        super().send_notification_mail(template_prefix, user, context=context, email=email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        ctx = {"email": email, **context}
        message = self.render_mail(template_prefix, email, ctx)
        # "account/email/password_changed" -> "account.password_changed", "mfa.totp_activated".
        kind = template_prefix.replace("/email/", ".", 1).replace("/", ".")
        email_queue_message(message=message, kind=kind)
