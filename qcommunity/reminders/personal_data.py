"""The reminders the site has sent a person (one row per reminder, so none is sent twice)."""

from qcommunity.privacy.registry import PersonalData, register

from .models import SentReminder
from .registry import get_kind


def _description(key: str) -> str:
    try:
        return get_kind(key).description
    except LookupError:  # a kind since retired: its key is all that is left
        return key


def reminders_export(user) -> list[dict]:
    rows = (
        SentReminder.objects.filter(recipient=user)
        .select_related("content_type")
        .order_by("created_at", "id")
    )
    return [
        {
            "reminder": _description(row.kind),
            "about": str(row.content_type.name),
            "due": row.due_date,
            "sent_at": row.created_at,
        }
        for row in rows
    ]


def reminders_erase(user) -> None:
    SentReminder.objects.filter(recipient=user).delete()


register(
    PersonalData(
        key="reminders.sent",
        label="Reminders we have sent you",
        on_delete="The list is deleted.",
        export=reminders_export,
        erase=reminders_erase,
        order=75,
    )
)
