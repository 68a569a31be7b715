"""Work members put forward for the newsletter (the member showcase)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import ShowcaseStatus


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
