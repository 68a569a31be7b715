from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .enums import EmailStatus


class OutboxEmail(models.Model):
    """One email to one recipient. The row, not the task, is the truth about whether it went out."""

    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=100, db_index=True)
    recipient = models.EmailField(max_length=254)
    from_email = models.CharField(max_length=254)
    reply_to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=998)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # The whole message as it goes over SMTP (RFC 5322 bytes), built once when the row is
    # queued so that sending only hands it over. Empty on rows queued before it existed: those
    # are built when sent.
    mime = models.BinaryField(blank=True, default=b"", editable=False)
    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_queued_idx",
                condition=models.Q(status="queued"),
            ),
            models.Index(
                fields=["claimed_at"],
                name="outbox_sending_idx",
                condition=models.Q(status="sending"),
            ),
            # Failed emails: the staff home's count and the outbox filtered to them.
            models.Index(
                fields=["created_at"],
                name="outbox_failed_idx",
                condition=models.Q(status="failed"),
            ),
            models.Index(fields=["recipient"], name="outbox_recipient_idx"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient} ({self.status})"
