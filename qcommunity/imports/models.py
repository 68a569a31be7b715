"""An uploaded file waiting to be imported or already imported, and what each import made."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .enums import FileFormat, ImportStatus


class DataImport(models.Model):
    """One uploaded file for one import kind. The content is kept so that confirming applies
    exactly the file that was previewed (parsed and checked again at that moment); `preview`
    and `result` are what the pages show."""

    kind = models.CharField(max_length=60)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4, choices=FileFormat.choices)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    preview = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    discarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="applied") | Q(applied_at__isnull=False),
                name="imports_applied_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="imports_dataimport_new_idx"),
            models.Index(
                fields=["created_at"],
                condition=Q(status="previewed"),
                name="imports_dataimport_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.filename})"


class ImportedRecord(models.Model):
    """One thing an import made, under the import kind's own key for it (a round's year, a
    proposal's address, a person's email): a later import of the same file, or of one that
    overlaps it, finds the key here and creates nothing twice."""

    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=300)
    model = models.CharField(max_length=100)  # "exchange.proposal"
    object_id = models.CharField(max_length=40)
    data_import = models.ForeignKey(DataImport, on_delete=models.PROTECT, related_name="records")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="imports_record_key_unique"),
        ]
        indexes = [models.Index(fields=["data_import"], name="imports_record_import_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}"
