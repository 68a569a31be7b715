"""Newsletters: audiences, the contact database, subscriptions with recorded consent, the
suppression list, issues and one delivery row per issue and recipient.

This module holds the shared core; the compose (sections, blocks, showcase) and sending parts add
their own models next to these."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .enums import (
    ConsentMethod,
    DeliveryStatus,
    ImportStatus,
    IssueStatus,
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


class ImportBatch(models.Model):
    """A staff CSV import: the parsed preview is stored here (JSON) so confirming applies exactly
    what the editor saw, then the result."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    newsletters = models.ManyToManyField(Newsletter, related_name="+")
    lawful_basis = models.CharField(max_length=24, choices=LawfulBasis.choices)
    note = models.TextField()
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    preview = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.filename})"


class Issue(models.Model):
    """One issue of a newsletter. Segments apply to members only (blank means everyone)."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="issues")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    intro = models.TextField("introduction", max_length=5000, blank=True)
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the fan-out finished writing one delivery per recipient: until then the issue cannot
    # be complete, however many of the deliveries written so far have gone.
    deliveries_written_at = models.DateTimeField(null=True, blank=True)
    segment_regions = models.JSONField(default=list, blank=True)
    segment_role_types = models.JSONField(default=list, blank=True)
    segment_topics = models.ManyToManyField("members.Topic", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "slug"], name="newsletters_issue_slug")
        ]
        indexes = [
            models.Index(
                fields=["scheduled_for"],
                name="newsletters_issue_due_idx",
                condition=models.Q(status="scheduled"),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One issue to one recipient, written before anything is sent (unique on both), linked to
    the outbox row that carries it."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    outbox_email = models.OneToOneField(
        "outbox.OutboxEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "contact"], name="newsletters_delivery_unique")
        ]
        indexes = [models.Index(fields=["issue", "status"], name="newsletters_delivery_status")]

    def __str__(self) -> str:
        return f"{self.issue} to {self.email} ({self.status})"


# The compose part's models (sections, reusable blocks, member showcase) live in their own module.
from .models_compose import IssueSection, ReusableBlock, ShowcaseItem  # noqa: E402, F401
