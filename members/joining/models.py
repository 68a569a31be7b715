"""Joining Q: rounds of selection and the applications made to them. Imported by
`members.models`, so Django sees these models as part of the members app.

Writes go through `members.joining.services`; reads through `members.joining.selectors`.
Scoring (criteria, scale, panels, reviews) lives in the site-wide `qcommunity.scoring` kit: a
round owns a `scoring.Scheme` and its panels; a panel's subjects are applications."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from qcommunity.core.taxonomy import OrganisationType, Region, RoleType

from .enums import ApplicationStatus, Phase, RoundStatus

REGION_LABELS = dict(Region.choices)


class Round(models.Model):
    """A round of selection: one phase, open to some regions between two dates.

    Status is stored for what staff (or a task) do, `ROUND_TRANSITIONS`: opening publishes the
    round and locks its scheme; whether it accepts applications right now is derived from the
    status and the dates (`is_accepting`), so nobody has to press "open" at midnight.

    Regions are an array of `Region` codes, not a many-to-many: the 18 regions are a fixed
    enumeration in code with no rows of their own, the array is read whole with the round, and a
    GIN index answers "rounds open to my region" (`regions__contains=[region]`)."""

    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    regions = ArrayField(models.CharField(max_length=40, choices=Region.choices))
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    review_deadline = models.DateTimeField()
    decisions_release_at = models.DateTimeField()
    scheme = models.OneToOneField(
        "scoring.Scheme", on_delete=models.PROTECT, related_name="membership_round"
    )
    reviews_needed = models.PositiveSmallIntegerField(default=2)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at"))
                & Q(closes_at__lte=F("review_deadline"))
                & Q(review_deadline__lte=F("decisions_release_at")),
                name="members_round_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(reviews_needed__gte=1), name="members_round_reviews_needed_gte_1"
            ),
            models.CheckConstraint(condition=~Q(regions=[]), name="members_round_has_regions"),
        ]
        indexes = [
            GinIndex(fields=["regions"], name="members_round_regions_idx"),
            models.Index(fields=["status", "closes_at"], name="members_round_status_close_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_accepting(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == RoundStatus.OPEN and self.opens_at <= now < self.closes_at

    def is_open_to_region(self, region: str) -> bool:
        return region in self.regions

    # Where the round is now, for pages whose sentences must follow it (read at call time).

    @property
    def has_opened(self) -> bool:
        return self.status != RoundStatus.DRAFT and self.opens_at <= timezone.now()

    @property
    def has_closed(self) -> bool:
        """Closed by staff (which moves `closes_at` to then) or past its closing date."""
        if self.status == RoundStatus.DRAFT:
            return False
        return self.status != RoundStatus.OPEN or self.closes_at <= timezone.now()

    @property
    def review_deadline_passed(self) -> bool:
        return self.review_deadline <= timezone.now()

    @property
    def release_date_passed(self) -> bool:
        return self.decisions_release_at <= timezone.now()

    @property
    def is_released(self) -> bool:
        return self.status == RoundStatus.RELEASED

    @property
    def region_labels(self) -> list[str]:
        return [REGION_LABELS.get(code, code) for code in self.regions]


class EligibleCourse(models.Model):
    """An improvement course whose alumni may apply in an alumni round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="eligible_courses")
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)

    class Meta:
        ordering = ["name", "provider"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name", "provider"], name="members_eligiblecourse_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"


class NominationCode(models.Model):
    """A code an organisation gives the person it nominates in a founding round. One live
    application per code (a withdrawn application frees it)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="nomination_codes")
    code = models.CharField(max_length=20, unique=True)
    nominating_organisation = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Application(models.Model):
    """One person's application in one round. Statuses change only in
    `services.application_transition` (table: `APPLICATION_TRANSITIONS`).

    The chair's decision (accepted or not yet) is recorded before it is released: the applicant
    sees it only once `released_at` is set, on the round's release date."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    # Assigned on submission: "Q-2026-00042" (year of submission, application number).
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # Profile facts: they pre-fill the directory entry of an accepted applicant.
    job_title = models.CharField("job title or role", max_length=150, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    organisation_type = models.CharField(
        max_length=30, choices=OrganisationType.choices, blank=True
    )
    role_types = ArrayField(
        models.CharField(max_length=30, choices=RoleType.choices), default=list, blank=True
    )
    region = models.CharField(max_length=40, choices=Region.choices, blank=True)
    # Phase conditions: the course an alumni applicant took, or a founding nomination.
    course = models.ForeignKey(
        EligibleCourse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    course_year = models.PositiveSmallIntegerField(
        "year you finished the course", null=True, blank=True
    )
    nomination_code = models.ForeignKey(
        NominationCode, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    # [{"commitment": "directory", "wording": "Keep my ...", "accepted_at": "2026-...Z"}, ...]
    commitments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    # Seen by the panel and staff only.
    decision_rationale = models.TextField(blank=True, max_length=5000)
    # Written for the applicant; sent with a "not yet" decision.
    feedback = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "applicant"], name="members_application_one"),
            models.UniqueConstraint(
                fields=["nomination_code"],
                condition=Q(nomination_code__isnull=False) & ~Q(status="withdrawn"),
                name="members_application_code_once",
            ),
            # Past draft (unless withdrawn from draft) an application has a reference and time.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"])
                | (Q(reference__isnull=False) & Q(submitted_at__isnull=False)),
                name="members_application_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "not_yet"]) | Q(decided_at__isnull=False),
                name="members_application_decided_has_time",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(status__in=["accepted", "not_yet"]),
                name="members_application_released_is_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="members_app_round_status_idx"),
            models.Index(fields=["round", "region", "status"], name="members_app_round_region_idx"),
            models.Index(fields=["applicant", "-created_at"], name="members_app_applicant_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft application {self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def region_label(self) -> str:
        return REGION_LABELS.get(self.region, "")


class ApplicationAnswer(models.Model):
    """The applicant's answer to one criterion of the round's scheme. `words` is kept by the
    service with `qcommunity.core.words.word_count`, the same count the page shows live."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(
        "scoring.Criterion", on_delete=models.PROTECT, related_name="application_answers"
    )
    text = models.TextField(blank=True, max_length=20000)
    words = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="members_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to {self.criterion_id} on application {self.application_id}"


class RoundManager(models.Model):
    """Someone who runs one round on staff's behalf: its pages, dates, moves, report and
    downloads (`members.manage_rounds` on that round), without being a staff administrator.
    Given and taken away on a person's staff account page (`members.joining.roles`)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="managers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed_rounds"
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="joining_round_manager_unique")
        ]
        indexes = [models.Index(fields=["user", "round"], name="joining_round_manager_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} manages {self.round}"
