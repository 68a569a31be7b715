"""The actions a person took that the site's security record (the audit log) holds. The log is
append-only (a database trigger refuses changes), so deleting an account erases nothing here."""

import re

from qcommunity.outbox.selectors import account_addresses
from qcommunity.privacy.registry import PersonalData, register

from .models import AuditEntry

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


register(
    PersonalData(
        key="audit.actions",
        label="Actions you have taken that our security record holds",
        on_delete="Kept: the site's security record of actions taken keeps your email address "
        "with each action, to keep the site secure and to answer questions about decisions "
        "later. It cannot be changed or deleted.",
        export=actions_export,
        erase=None,
        order=89,
    )
)
