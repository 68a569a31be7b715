"""Undoing an email change from the old address.

When someone changes the account's email address, allauth tells the old address. A password
reset would now go to the new address, which may be an attacker's, so the notice carries a
signed link instead: for `UNDO_DAYS` days, whoever holds the old address can put it back
(primary and verified), remove the new one and sign out every device of the account. The link
is signed (Django's TimestampSigner with its own salt), names the account and both addresses,
and works once: after the undo, or any later change, the account's address is no longer the
link's new address and the link is refused."""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from qcommunity.audit.services import audit_record
from qcommunity.outbox.services import email_queue_template

from .models import User

UNDO_DAYS = 7
_SALT = "qcommunity.accounts.email-change-undo"


class UndoLinkError(Exception):
    """The link cannot be used; `reason` is one of "invalid", "expired", "used", "taken"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class EmailChange:
    user: User
    from_email: str
    to_email: str


def email_change_undo_token(*, user: User, from_email: str, to_email: str) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object(
        {"u": user.pk, "from": from_email, "to": to_email}, compress=True
    )


def email_change_undo_url(*, user: User, from_email: str, to_email: str) -> str:
    token = email_change_undo_token(user=user, from_email=from_email, to_email=to_email)
    return settings.SITE_URL + reverse("accounts:email-change-undo", kwargs={"token": token})


def email_change_from_token(token: str) -> EmailChange:
    """The change a link undoes, or UndoLinkError saying why it cannot be used."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        data = signer.unsign_object(token, max_age=dt.timedelta(days=UNDO_DAYS))
    except signing.SignatureExpired as error:
        raise UndoLinkError("expired") from error
    except signing.BadSignature as error:
        raise UndoLinkError("invalid") from error
    user = User.objects.filter(pk=data.get("u"), deleted_at__isnull=True).first()
    if user is None or user.email.lower() != str(data.get("to", "")).lower():
        raise UndoLinkError("used")
    from_email = str(data["from"])
    if (
        EmailAddress.objects.filter(email__iexact=from_email).exclude(user=user).exists()
        or User.objects.filter(email__iexact=from_email).exclude(pk=user.pk).exists()
    ):
        raise UndoLinkError("taken")
    return EmailChange(user=user, from_email=from_email, to_email=user.email)


@transaction.atomic
def email_change_undo(*, change: EmailChange) -> int:
    """Put `change.from_email` back as the account's only address (primary, verified), remove
    the new one, and end every session of the account. Audited (the actor is the account: the
    link speaks for whoever holds its old address); the restored address is told, with what to
    do next. Returns how many sessions were ended."""
    user = User.objects.select_for_update().get(pk=change.user.pk)
    if user.email.lower() != change.to_email.lower():
        raise UndoLinkError("used")
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=change.from_email, verified=True, primary=True)
    user.email = change.from_email
    user.save(update_fields=["email"])
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    audit_record(
        actor=user,
        action="account.email_change_undo",
        target=user,
        data={
            "restored": change.from_email,
            "removed": change.to_email,
            "signed_out": len(sessions),
        },
    )
    email_queue_template(
        to=change.from_email,
        kind="account_email_change_undone",
        context={
            "name": user.display_name,
            "restored": change.from_email,
            "removed": change.to_email,
            "reset_url": settings.SITE_URL + reverse("account_reset_password"),
        },
        related=user,
    )
    return len(sessions)
