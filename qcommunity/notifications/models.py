from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .enums import Delivery


class NotificationPreference(models.Model):
    """A member's choice for one kind of notification. No row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.delivery}"


class Digest(models.Model):
    """One daily summary email to one person. Unique per person and day, so running the daily
    task twice never sends a second summary for the same day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    outbox_email = models.ForeignKey(
        "outbox.OutboxEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="notification_digest_unique")
        ]

    def __str__(self) -> str:
        return f"Summary for {self.user} on {self.date:%Y-%m-%d}"


class DigestItem(models.Model):
    """A notification waiting for its person's next daily summary. `digest` is set, in the same
    transaction that queues the summary email, when it is included."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_items"
    )
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                name="notification_item_waiting_idx",
                condition=models.Q(digest__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user}: {self.subject}"
