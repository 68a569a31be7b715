from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class SentReminder(models.Model):
    """One reminder of one kind, about one object, to one person, for one due date. Written in
    the same transaction as its outbox email and unique on all five, so a reminder is never sent
    twice, even when two runs overlap."""

    kind = models.CharField(max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_received"
    )
    due_date = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    outbox_email = models.ForeignKey(
        "outbox.OutboxEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "due_date"],
                name="reminders_sent_once",
            )
        ]
        indexes = [models.Index(fields=["kind", "due_date"], name="reminders_kind_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient} for {self.due_date:%Y-%m-%d %H:%M}"
