"""A standard, its versions, and a version's domains, criteria and levels.

Migration 0002 adds a trigger: once a version is published, neither it nor its domains,
criteria and levels can be inserted, changed or deleted."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from .enums import Scope, VersionStatus


class Standard(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    screening_target_working_days = models.PositiveSmallIntegerField(
        default=10, help_text="Working days from submission to the end of screening."
    )
    decision_target_days = models.PositiveSmallIntegerField(
        default=60, help_text="Days from submission to the decision."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StandardVersion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_summary = models.TextField(blank=True)
    created_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["standard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standard_version_number"),
            # One draft at a time: coordinators work on one next version together.
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(status=VersionStatus.DRAFT),
                name="standard_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(published_at__isnull=False),
                name="standard_version_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.name}, version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Domain(models.Model):
    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="standard_domain_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Criterion(models.Model):
    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="criteria")
    # Removing a domain from a draft leaves its criteria without one until they are moved;
    # a version with such a criterion cannot be published.
    domain = models.ForeignKey(
        Domain, on_delete=models.SET_NULL, null=True, blank=True, related_name="criteria"
    )
    code = models.CharField(max_length=20)
    text = models.TextField()
    guidance = models.TextField(blank=True)
    evidence_examples = models.TextField(blank=True)
    is_minimum = models.BooleanField(default=False)
    scopes = ArrayField(models.CharField(max_length=20, choices=Scope.choices), default=list)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="standard_criterion_code")
        ]

    def __str__(self) -> str:
        return self.code

    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in self.scopes]


class Level(models.Model):
    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    minimum_only = models.BooleanField(
        default=False, help_text="Asks only the minimum requirements."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="standard_level_name")
        ]

    def __str__(self) -> str:
        return self.name
