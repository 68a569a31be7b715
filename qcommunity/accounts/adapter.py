import datetime as dt
from urllib.parse import urlencode, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from qcommunity.outbox.services import email_queue_message

RATE_LIMITED = "Too many attempts. Wait a few minutes and try again."
# Failed sign-ins to one account from any address (ACCOUNT_RATE_LIMITS), on top of allauth's
# "login_failed" limits per address and per account-and-address.
LOGIN_FAILED_ACCOUNT = "login_failed_account"


def on_site(url: str) -> str:
    """The same page at SITE_URL, the one address every email links to, whatever host the
    request that caused the email came in on (allauth builds its links from the request)."""
    parts = urlsplit(url)
    if not parts.netloc:
        return settings.SITE_URL + url if url.startswith("/") else url
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{settings.SITE_URL}{parts.path}{query}{fragment}"


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails through the outbox so each is a row before it is sent, with every
    link at SITE_URL as the worker's emails have, and words allauth's errors in the NHS content
    style (no full stops, say what to do)."""

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
            return on_site(url)
        sign_in = f"{reverse('account_login')}?{urlencode({'next': target})}"
        return on_site(f"{url}?{urlencode({'next': sign_in})}")

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(super().get_reset_password_from_key_url(key))

    # Failed sign-ins lock one account from one address (allauth's "login_failed" per key, the key
    # being the account and the address), one account from everywhere after more failures
    # (LOGIN_FAILED_ACCOUNT), and one address for every account only after many more (per ip):
    # someone behind a shared address (an NHS trust's network) cannot lock out everyone else.

    def _account_key(self, request, **credentials) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        account = self._account_key(request, **credentials)
        return f"{account}:from:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)
        usage = ratelimit.consume(
            request,
            app="allauth.account",
            action=LOGIN_FAILED_ACCOUNT,
            key=self._account_key(request, **credentials),
        )
        if not usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")
        # A successful sign-in takes back its count from every limit together.
        self._login_failed_rl_usage.usage.extend(usage.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="allauth.account",
            action=LOGIN_FAILED_ACCOUNT,
            key=self._account_key(request, **credentials),
        )

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
        # allauth builds the other links (sign-up, password reset) from the request: move them too.
        links = {
            key: on_site(value)
            for key, value in context.items()
            if key.endswith("_url") and isinstance(value, str)
        }
        ctx = {"email": email, **context, **links, "site_url": settings.SITE_URL}
        message = self.render_mail(template_prefix, email, ctx)
        # "account/email/password_changed" -> "account.password_changed", "mfa.totp_activated".
        kind = template_prefix.replace("/email/", ".", 1).replace("/", ".")
        email_queue_message(message=message, kind=kind)
