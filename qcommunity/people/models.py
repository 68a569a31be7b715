"""Invitations to take a role on Q Community, sent by staff to people with or without an
account. The link's token is kept only as a hash: the email is the one place it exists."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Withdrawn"


class Invitation(models.Model):
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200)
    # A key of `qcommunity.accounts.roles` and, for scoped kinds, the scope and its words when
    # the invitation was sent.
    role = models.CharField(max_length=60)
    role_label = models.CharField(max_length=200)
    scope = models.CharField(max_length=120, blank=True)
    scope_label = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True, max_length=1000)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One waiting invitation per address, role and scope: sending again re-sends it.
            models.UniqueConstraint(
                Lower("email"),
                "role",
                "scope",
                condition=models.Q(status="pending"),
                name="people_invitation_pending_unique",
            )
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="people_invitation_status_idx"),
            models.Index(Lower("email"), name="people_invitation_email_idx"),
            # An app's invitations to one scope ("organisation:12:" for a provider's staff page).
            models.Index(
                fields=["role", "scope"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="people_invitation_scope_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.role_label}"

    @property
    def label(self) -> str:
        return f"{self.role_label}: {self.scope_label}" if self.scope_label else self.role_label

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def state(self, now=None) -> str:
        """What a person sees: waiting, expired, accepted or withdrawn."""
        if self.status == InvitationStatus.PENDING and self.is_expired(now):
            return "Expired"
        return self.get_status_display()
