"""Signed tokens for links in newsletter emails: confirm a subscription, unsubscribe from one.

Tokens carry the subscription id signed with the project's secret (and a purpose salt), so a
link cannot be forged or reused for another subscription. Unsubscribe links never expire: a
person must be able to leave a list from any old email."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsletters.confirm"
UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7  # a week to click the confirmation link


class LinkError(Exception):
    """A signed link that cannot be used. `reason` says why, for the page that explains it:
    "expired" (older than it may be), "invalid" (changed or cut short) or "gone" (the
    subscription it names no longer exists)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _read(token: str, *, salt: str, max_age: int | None = None) -> int:
    try:
        return int(signing.loads(token, salt=salt, max_age=max_age))
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except (signing.BadSignature, TypeError, ValueError):
        raise LinkError("invalid") from None


def confirm_token(subscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT, compress=True)


def confirm_token_pk(token: str) -> int:
    """The subscription id; LinkError for a token that is forged or older than a week."""
    return _read(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def unsubscribe_token(subscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_pk(token: str) -> int:
    """The subscription id; LinkError for a forged token (these never expire)."""
    return _read(token, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription) -> str:
    """The https address for `List-Unsubscribe` and the footer link. The route is
    `newsletters:unsubscribe` at /newsletter/unsubscribe/<token>/ (a test holds them equal)."""
    return (
        f"{settings.SITE_URL.rstrip('/')}/newsletter/unsubscribe/{unsubscribe_token(subscription)}/"
    )


def confirm_url(subscription) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/newsletter/confirm/{confirm_token(subscription)}/"
