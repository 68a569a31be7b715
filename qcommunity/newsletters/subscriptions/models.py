"""Newsletters: audiences, the contact database, subscriptions with recorded consent, the
suppression list and the public form's requests."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .enums import (
    ConsentMethod,
    LawfulBasis,
    SubscriptionStatus,
    SuppressionReason,
)


class Newsletter(models.Model):
    """An audience: the community newsletter, Quality Mark news..."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    # The List-Id header's identifier, e.g. "community.newsletters.q.example".
    list_id = models.CharField(max_length=200, unique=True)
    from_name = models.CharField(max_length=120, default="Q Community")
    # Shown on the public subscribe form and archive; a private list is staff-managed only.
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person in the contact database, with or without an account. One row per address."""

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    interests = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_contact",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletters_contact_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """One contact on one newsletter. Status changes go through the subscription services."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(
        max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "newsletter"], name="newsletters_subscription_unique"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status"], name="newsletters_sub_status_idx")]

    def __str__(self) -> str:
        return f"{self.contact} on {self.newsletter} ({self.status})"


class ConsentRecord(models.Model):
    """What a person agreed to, in the exact words shown, when, where and how. Append-only."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="consents"
    )
    wording = models.TextField()
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    lawful_basis = models.CharField(
        max_length=24, choices=LawfulBasis.choices, default=LawfulBasis.CONSENT
    )
    source = models.CharField(max_length=200, help_text="The page, form or import it came from.")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} at {self.recorded_at:%Y-%m-%d %H:%M}"


class Suppression(models.Model):
    """An address that must not be mailed. Keyed by address, not by contact, so it outlives the
    deletion of the contact or account."""

    email = models.EmailField(max_length=254)
    reason = models.CharField(max_length=16, choices=SuppressionReason.choices)
    # Blank: every newsletter (a bounce or complaint); set: only that newsletter (unsubscribe).
    newsletter = models.ForeignKey(
        Newsletter, null=True, blank=True, on_delete=models.CASCADE, related_name="suppressions"
    )
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(Lower("email"), name="newsletters_suppression_email")]

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"


class SubscribeRequest(models.Model):
    """One submission of the public subscribe form: the exact consent wording shown and the page,
    kept until the emailed link is followed so the consent record can quote them."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="requests")
    # The subscriptions this request asked to confirm; one emailed link confirms them all.
    subscription_ids = models.JSONField(default=list)
    wording = models.TextField()
    source = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contact} at {self.created_at:%Y-%m-%d %H:%M}"
