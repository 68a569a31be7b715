"""Issues of a newsletter, their ordered sections, the library of reusable blocks, and one
delivery row per issue and recipient (written by the sending feature, counted on the issue's
page)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..showcase.models import ShowcaseItem
from ..subscriptions.models import Contact, Newsletter
from .enums import DeliveryStatus, IssueStatus, SectionKind


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


class ReusableBlock(models.Model):
    """A named piece of markdown editors insert into many issues, such as a standard footer or a
    "how to get involved" panel. Sections refer to it, so an edit shows in every unsent issue."""

    name = models.CharField(max_length=120, unique=True)
    heading = models.CharField(max_length=200, blank=True, help_text="Shown above the block.")
    body = models.TextField(max_length=20000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IssueSection(models.Model):
    """One section of an issue, in `position` order: text written for this issue, a reference to
    a reusable block, or an approved showcase item. When sending starts, a block's heading and
    body are copied into the section, so the archive shows what was sent."""

    issue = models.ForeignKey(
        "newsletters.Issue", on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=SectionKind.choices, default=SectionKind.TEXT)
    heading = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=20000, blank=True)
    block = models.ForeignKey(
        ReusableBlock, null=True, blank=True, on_delete=models.PROTECT, related_name="sections"
    )
    showcase_item = models.ForeignKey(
        ShowcaseItem, null=True, blank=True, on_delete=models.PROTECT, related_name="sections"
    )

    class Meta:
        ordering = ["issue", "position"]
        constraints = [
            # Deferred, so two sections can swap places inside one transaction.
            models.UniqueConstraint(
                fields=["issue", "position"],
                name="newsletters_section_position",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=SectionKind.TEXT, block__isnull=True, showcase_item__isnull=True)
                    | models.Q(
                        kind=SectionKind.BLOCK, block__isnull=False, showcase_item__isnull=True
                    )
                    | models.Q(
                        kind=SectionKind.SHOWCASE, block__isnull=True, showcase_item__isnull=False
                    )
                ),
                name="newsletters_section_kind_matches",
            ),
        ]

    def __str__(self) -> str:
        return f"Section {self.position} of {self.issue_id}"
