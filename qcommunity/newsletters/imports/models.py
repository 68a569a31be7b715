"""Staff contact imports: one batch per uploaded file."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..subscriptions.enums import LawfulBasis
from ..subscriptions.models import Newsletter
from .enums import ImportStatus


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
