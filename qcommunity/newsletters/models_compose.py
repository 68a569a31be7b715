"""Composing issues: ordered sections, the library of reusable blocks, and the member showcase.

Imported at the end of `models.py` so Django registers these with the newsletters app."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .compose_enums import SectionKind, ShowcaseStatus


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


class ShowcaseItem(models.Model):
    """Work a member puts forward for the newsletter. Editors approve it or return it with a
    reason; only approved items can go into an issue, and only their images are public."""

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="showcase_items",
    )
    title = models.CharField(max_length=150)
    summary = models.TextField(max_length=1200)
    link = models.URLField(max_length=500)
    image = models.ImageField(upload_to="showcase/", blank=True)
    image_alt = models.CharField("image description", max_length=250, blank=True)
    status = models.CharField(
        max_length=10, choices=ShowcaseStatus.choices, default=ShowcaseStatus.SUBMITTED
    )
    return_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="newsletters_showcase_status"),
            models.Index(fields=["submitted_by", "-created_at"], name="newsletters_showcase_owner"),
        ]

    def __str__(self) -> str:
        return self.title


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
