"""The actions a person took that the site's security record (the audit log) holds. The log is
append-only (a database trigger refuses changes): deleting an account keeps every entry, with
the account's id and the email address it acted with, and only replaces the person's name in
labels and details with "Former member" (audit_names_scrub, the one change the trigger allows).
This step runs last (highest `order`), after the steps that may write audit entries of their
own."""

import re

from qcommunity.outbox.selectors import account_addresses
from qcommunity.privacy.registry import PersonalData, register

from .models import AuditEntry
from .services import audit_names_scrub

EMAIL = re.compile(r"[^\s<>()\"',;]+@[^\s<>()\"',;]+")
OTHER_ADDRESS = "[an email address]"


def _without_other_addresses(label: str, own: set[str]) -> str:
    """Labels can name the row acted on by its address (a subscriber, an account): other
    people's addresses are not theirs to download."""
    return EMAIL.sub(lambda m: m.group(0) if m.group(0).lower() in own else OTHER_ADDRESS, label)


def actions_export(user) -> list[dict]:
    own = {address.lower() for address in account_addresses(user, verified_only=False)}
    rows = (
        AuditEntry.objects.filter(actor=user)
        .order_by("created_at", "id")
        .values("action", "created_at", "target_label")
    )
    return [
        {
            "action": row["action"],
            "at": row["created_at"],
            "about": _without_other_addresses(row["target_label"], own),
        }
        for row in rows
    ]


def actions_erase(user) -> None:
    audit_names_scrub(
        user=user,
        full_names=[user.full_name],
        short_names=[user.preferred_name, user.display_name],
    )


register(
    PersonalData(
        key="audit.actions",
        label="Actions you have taken that our security record holds",
        on_delete="Kept: the site's security record of actions taken keeps your email address "
        "with each action, to keep the site secure and to answer questions about decisions "
        'later. Your name in it is replaced with "Former member"; nothing else is changed '
        "or deleted.",
        export=actions_export,
        erase=actions_erase,
        order=999,
    )
)
