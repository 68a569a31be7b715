"""Provider organisations, the self-management programmes they run, and the people who work on
them here (`ProviderStaff`: an admin or a contributor for one organisation; one person may work
for several). A coordinator verifies a new organisation (`verified_at`) before it can apply for
the Quality Mark."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from qcommunity.core.taxonomy import Region

from .enums import OrganisationKind, ProgrammeFormat, StaffRole


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    regions = ArrayField(models.CharField(max_length=40, choices=Region.choices), default=list)
    website = models.URLField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # One registration per organisation, whatever the case of its name.
            models.UniqueConstraint(Lower("name"), name="provider_org_name_unique"),
        ]
        indexes = [
            # The coordinators' list: waiting for verification (or not), by name.
            models.Index(fields=["verified_at", "name"], name="provider_org_verified_idx"),
            models.Index(fields=["name", "id"], name="provider_org_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def region_labels(self) -> list[str]:
        labels = dict(Region.choices)
        return [labels.get(code, code) for code in self.regions]


class Programme(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(max_length=200)
    # The long-term conditions it is for, in the provider's words ("Type 2 diabetes, COPD").
    conditions = models.CharField(max_length=500)
    formats = ArrayField(
        models.CharField(max_length=20, choices=ProgrammeFormat.choices), default=list
    )
    licensed = models.BooleanField(default=False)
    licence_name = models.CharField(max_length=200, blank=True)
    deliverers = models.PositiveIntegerField(default=0)
    trainers = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(licensed=False) | ~Q(licence_name=""),
                name="provider_programme_licence_named",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "name"], name="provider_programme_org_idx")]

    def __str__(self) -> str:
        return self.name

    def format_labels(self) -> list[str]:
        labels = dict(ProgrammeFormat.choices)
        return [labels.get(code, code) for code in self.formats]


class ProviderStaff(models.Model):
    """Someone who works on an organisation's pages: an admin (details, staff, and later its
    applications) or a contributor (programmes, and later evidence). Given through the role
    registry (`accreditation.roles`), by invitation or on the staff people pages."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_staff"
    )
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="provider_staff_unique")
        ]
        indexes = [
            models.Index(fields=["user", "organisation"], name="provider_staff_user_idx"),
            models.Index(fields=["organisation", "role"], name="provider_staff_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.organisation_id} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN
