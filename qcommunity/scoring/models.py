"""Panel scoring: a scheme (criteria and a scale), panels of reviewers, assignments of subjects
to reviewers, and their reviews. Writes go through `scoring.services`; reads that cross
relations through `scoring.selectors`.

Invariants the database holds: one member row per person per panel; one assignment per reviewer
per subject per panel; one review per assignment; one score per criterion per review; scale
values and scores are not negative; criteria positions and scale values are unique per scheme.
That a score is a value of its scheme's scale is checked by `review_submit` (a cross-table rule
a CHECK constraint cannot express)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .enums import AssignmentStatus, PanelRole, Recommendation


class Scheme(models.Model):
    """The criteria and scale a round scores against. Locked (`locked_at`) once the round it
    serves opens: from then on criteria and scale points cannot change, so every applicant is
    judged against what they were shown. The next round starts from a copy."""

    name = models.CharField(max_length=200)
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Criterion(models.Model):
    """One thing a subject is judged on. `word_limit` limits the applicant's answer to it (no
    limit, and no answer per criterion, when empty)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField("in plain words", max_length=2000)
    guidance = models.TextField("guidance (markdown)", blank=True, max_length=10000)
    examples = models.TextField("examples (markdown)", blank=True, max_length=10000)
    word_limit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "position"], name="scoring_criterion_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(word_limit__isnull=True) | Q(word_limit__gt=0),
                name="scoring_criterion_word_limit_positive",
            ),
        ]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.title


class ScalePoint(models.Model):
    """One point of a scheme's scale, e.g. 3 "Meets the criterion" with a descriptor."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="scale_points")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    descriptor = models.TextField(max_length=2000)

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="scoring_scale_value_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="scoring_scale_value_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"


class Panel(models.Model):
    """People who score subjects for something (`owner`: a membership round, an Exchange round),
    optionally for one region. `reviews_needed` independent reviews per subject."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="panels")
    name = models.CharField(max_length=200)
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    region = models.CharField(max_length=40, blank=True)
    reviews_needed = models.PositiveSmallIntegerField(default=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            # One panel per region of a round; panels without a region are told apart by name.
            models.UniqueConstraint(
                fields=["owner_type", "owner_id", "region"],
                condition=~Q(region=""),
                name="scoring_panel_owner_region_unique",
            ),
            models.UniqueConstraint(
                fields=["owner_type", "owner_id", "name"], name="scoring_panel_owner_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(reviews_needed__gte=1), name="scoring_panel_reviews_needed_gte_1"
            ),
        ]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="scoring_panel_owner_idx")]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """A person on a panel. Being on any panel gives the site-wide panel member role, which
    requires two-factor authentication."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships"
    )
    role = models.CharField(max_length=10, choices=PanelRole.choices, default=PanelRole.REVIEWER)
    # Where they work, so subjects from their own organisation are never given to them.
    organisation = models.CharField(max_length=200, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["panel", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="scoring_panelmember_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.panel})"


class Assignment(models.Model):
    """A subject given to one reviewer of a panel. Statuses change only in
    `scoring.services` (table: `enums.ASSIGNMENT_TRANSITIONS`). A reviewer who declared a
    conflict keeps the row, so the subject is never given back to them."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    conflict_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "reviewer", "subject_type", "subject_id"],
                name="scoring_assignment_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["reviewer", "status"], name="scoring_assignment_mine_idx"),
            models.Index(
                fields=["subject_type", "subject_id", "status"],
                name="scoring_assignment_subject_idx",
            ),
            models.Index(fields=["panel", "status"], name="scoring_assignment_panel_idx"),
        ]

    def __str__(self) -> str:
        return f"Assignment {self.pk} for {self.reviewer} ({self.get_status_display()})"


class Review(models.Model):
    """A reviewer's submitted judgement on an assignment: a score per criterion, a
    recommendation and an overall comment. Created whole by `review_submit`; never edited."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices)
    comment = models.TextField(blank=True, max_length=5000)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__in=Recommendation.values),
                name="scoring_review_recommendation_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} ({self.get_recommendation_display()})"


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=3000)

    class Meta:
        ordering = ["review", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="scoring_criterionscore_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="scoring_score_value_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
