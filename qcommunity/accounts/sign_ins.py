"""Telling the owner of an account about a sign-in from a new place.

After each successful sign-in (allauth's `user_logged_in`, so after the two-factor step), the
browser family and the network of the request are looked up among the account's earlier
sign-ins (KnownSignIn). A pair not seen before gets an email, "A new sign-in to your Q
account", to the account's address: when, which browser, which network, and what to do if it
was not them. It is an account-security email, always sent (notification kind
"account_security" is required). The very first sign-in of an account (nothing known yet) is
recorded without an email: it is the person who just confirmed their address."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qcommunity.core.formatting import uk_datetime
from qcommunity.outbox.services import email_queue_template

from .browsers import browser_name, network_of
from .models import KnownSignIn, User

NEW_SIGN_IN_EMAIL = "account_new_sign_in"


@transaction.atomic
def sign_in_record(*, user: User, user_agent: str, ip: str, now=None) -> bool:
    """Remember this sign-in's browser and network for `user`; if the pair is new and the
    account had signed in before, queue the "new sign-in" email (on commit). Returns whether
    an email was queued."""
    now = now or timezone.now()
    browser, network = browser_name(user_agent), network_of(ip)
    known = KnownSignIn.objects.filter(user=user)
    had_any = known.exists()
    updated = known.filter(browser=browser, network=network).update(last_seen_at=now)
    if updated:
        return False
    try:
        with transaction.atomic():
            KnownSignIn.objects.create(
                user=user, browser=browser, network=network, first_seen_at=now, last_seen_at=now
            )
    except IntegrityError:  # the same sign-in recorded by a parallel request
        return False
    if not had_any:
        return False
    email_queue_template(
        to=user.email,
        kind=NEW_SIGN_IN_EMAIL,
        related=user,
        context={
            "name": user.display_name,
            "when": uk_datetime(now),
            "browser": browser,
            "network": network,
            "password_url": settings.SITE_URL + reverse("account_change_password"),
            "reset_url": settings.SITE_URL + reverse("account_reset_password"),
            "sessions_url": settings.SITE_URL + reverse("usersessions_list"),
            "two_factor_url": settings.SITE_URL + reverse("mfa_index"),
        },
    )
    return True


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """allauth's `user_logged_in` receiver: the sign-in has fully succeeded."""
    adapter = get_adapter(request)
    try:
        ip = adapter.get_client_ip(request)
    except PermissionDenied:
        ip = ""
    sign_in_record(user=user, user_agent=adapter.get_http_user_agent(request), ip=ip)
