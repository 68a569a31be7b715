"""A person's notification choices and the notifications waiting for their daily summary."""

from qcommunity.privacy.registry import PersonalData, register

from .enums import Delivery
from .kinds import all_kinds
from .models import Digest, DigestItem, NotificationPreference
from .selectors import digest_items_waiting, notification_preferences_for

DELIVERY_LABELS = dict(Delivery.choices)
ALWAYS_SENT = "Always sent"


def preferences_export(user) -> list[dict]:
    choices = notification_preferences_for(user)
    return [
        {
            "notification": kind.label,
            "choice": ALWAYS_SENT if kind.required else DELIVERY_LABELS[choices[kind.key]],
        }
        for kind in all_kinds()
    ]


def waiting_export(user) -> list[dict]:
    return [
        {"subject": item["subject"], "link": item["url"], "created_at": item["created_at"]}
        for item in digest_items_waiting(user.pk).values("subject", "url", "created_at")
    ]


def notifications_erase(user) -> None:
    NotificationPreference.objects.filter(user=user).delete()
    # Items already summarised go too: the summary email itself is the outbox's to erase.
    DigestItem.objects.filter(user=user).delete()
    Digest.objects.filter(user=user).delete()


register(
    PersonalData(
        key="notifications.preferences",
        label="Your notification choices",
        on_delete="Deleted.",
        export=preferences_export,
        erase=notifications_erase,
        order=70,
    )
)
register(
    PersonalData(
        key="notifications.waiting",
        label="Notifications waiting for your daily summary email",
        on_delete="Deleted, so they are never sent.",
        export=waiting_export,
        # notifications_erase (above) deletes these with the choices.
        order=71,
    )
)
