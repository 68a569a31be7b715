"""Downloading one's personal data and deleting one's account.

Deleting an account never deletes the account's row: other records (an audit entry, a decision,
a ballot already counted, a comment others replied to) point at it. Instead, in one transaction,
every registered source erases or anonymises what it holds (qcommunity.privacy.registry), then
the account becomes a tombstone: no name, an address that cannot receive mail, no password, no
roles, no email addresses, no two-factor devices and no sessions; it shows as "Former member".
One last email tells the address that the account was deleted.
"""

import datetime as dt
import json

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from qcommunity.accounts.models import User, UserRole
from qcommunity.audit.services import audit_record
from qcommunity.core.formatting import uk_datetime
from qcommunity.outbox.services import email_queue_template

from .registry import all_sources

FORMER_MEMBER = "Former member"
EXPORT_FORMAT = "Q Community personal data, version 1"


def personal_data_export(*, user: User, now: dt.datetime | None = None) -> dict:
    """Everything the registered sources hold about `user`, section by section."""
    now = now or timezone.now()
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now,
        "sections": [
            {"key": source.key, "label": source.label, "records": list(source.export(user))}
            for source in all_sources()
        ],
    }


def personal_data_download(*, user: User) -> tuple[str, bytes]:
    """The file name and JSON bytes of `user`'s data; the download is audited."""
    now = timezone.now()
    data = personal_data_export(user=user, now=now)
    audit_record(
        actor=user,
        action="account.data_export",
        target=user,
        data={"sections": [section["key"] for section in data["sections"]]},
    )
    name = f"q-community-data-{timezone.localdate(now).isoformat()}.json"
    return name, json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _end_sessions(user: User) -> None:
    for session in UserSession.objects.filter(user=user):
        session.end()


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Erase `user`'s personal data and make the account a tombstone (see the module's
    docstring). The person deletes their own account; the audit entry records that they did."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        return user
    sources = [source for source in all_sources() if source.erase is not None]
    # Recorded first, so that the last erase step (the audit log's) takes the person's name out
    # of this entry's label too.
    audit_record(
        actor=user,
        action="account.delete",
        target=user,
        data={"erased": [source.key for source in sources]},
    )
    for source in sources:
        source.erase(user)
    now = timezone.now()
    # The last email to the address, queued after every erase step (which clear what was still
    # waiting to be sent) and before the address is gone: if someone else deleted the account,
    # its owner finds out.
    email_queue_template(
        to=user.email,
        kind="account_deleted",
        context={"name": user.display_name, "deleted_at": uk_datetime(now)},
    )
    UserRole.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    _end_sessions(user)
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.full_name = ""
    user.preferred_name = FORMER_MEMBER  # what display_name shows, without reading deleted_at
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = now
    user.set_unusable_password()
    user.save()
    return user
