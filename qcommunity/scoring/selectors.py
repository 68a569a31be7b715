"""Reads for panel scoring. Each selector owns its query shape; the permission scoping of who
sees which scores is here, written once (`subject_reviews_for_viewer`)."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import ngettext

from qcommunity.accounts.enums import Role

from .enums import (
    ACTIVE_ASSIGNMENT_STATUSES,
    DISAGREEMENT_POINTS,
    AssignmentStatus,
    PanelRole,
    Recommendation,
)
from .models import Assignment, Criterion, CriterionScore, Panel, PanelMember, Review


def assignments_for_reviewer(
    *, user, panel: Panel | None = None, statuses=ACTIVE_ASSIGNMENT_STATUSES
) -> QuerySet[Assignment]:
    """A reviewer's assignments (live ones by default), oldest first, with panel and scheme."""
    queryset = Assignment.objects.filter(reviewer_id=user.pk, status__in=statuses).select_related(
        "panel", "panel__scheme"
    )
    if panel is not None:
        queryset = queryset.filter(panel=panel)
    return queryset.order_by("created_at", "id")


def reviewer_progress(*, panel: Panel) -> list[dict]:
    """Per reviewer of the panel: assigned (still to do), submitted and conflict counts, in one
    query. For the chair's and staff's progress table."""
    counts = {
        status: Count(
            "user__review_assignments",
            filter=Q(
                user__review_assignments__panel=panel, user__review_assignments__status=status
            ),
        )
        for status in (
            AssignmentStatus.ASSIGNED,
            AssignmentStatus.SUBMITTED,
            AssignmentStatus.CONFLICT,
        )
    }
    rows = (
        panel.members.select_related("user")
        .annotate(**{f"n_{status}": count for status, count in counts.items()})
        .order_by("role", "user__full_name", "id")
    )
    return [
        {
            "member": row,
            "outstanding": row.n_assigned,
            "done": row.n_submitted,
            "conflicts": row.n_conflict,
        }
        for row in rows
    ]


def _can_see_all_scores(viewer, panel: Panel) -> bool:
    if viewer.has_role(Role.STAFF_ADMIN):
        return True
    return panel.members.filter(user_id=viewer.pk, role=PanelRole.CHAIR).exists()


def _reviews(panel: Panel, subject_type_id: int, subject_ids) -> QuerySet[Review]:
    return (
        Review.objects.filter(
            assignment__panel=panel,
            assignment__subject_type_id=subject_type_id,
            assignment__subject_id__in=subject_ids,
            assignment__status=AssignmentStatus.SUBMITTED,
        )
        .select_related("assignment", "assignment__reviewer")
        .prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.order_by("criterion__position"))
        )
        .order_by("submitted_at", "id")
    )


def subject_reviews_for_viewer(
    *, viewer, panel: Panel, subject: models.Model
) -> list[Review] | None:
    """The submitted reviews of `subject` on `panel`, with scores, if `viewer` may see them:
    the panel's chair and staff always; a reviewer only after submitting their own review of
    this subject. Returns None when the scores are hidden from `viewer` (the page says why).
    Callers check first that the viewer may see the subject at all (404 otherwise)."""
    subject_type = ContentType.objects.get_for_model(subject)
    if not viewer.is_authenticated:
        return None
    if not _can_see_all_scores(viewer, panel):
        own_submitted = panel.assignments.filter(
            reviewer_id=viewer.pk,
            subject_type=subject_type,
            subject_id=subject.pk,
            status=AssignmentStatus.SUBMITTED,
        ).exists()
        if not own_submitted:
            return None
    return list(_reviews(panel, subject_type.pk, [subject.pk]))


@dataclass
class SubjectScores:
    """One subject's submitted reviews side by side, for the chair."""

    subject_id: int
    reviews: list[Review] = field(default_factory=list)
    # Sum of a review's scores, per review in the order of `reviews`.
    totals: list[int] = field(default_factory=list)
    # Largest minus smallest total (0 with fewer than two reviews): the "disagreement" sort key.
    # It says how far reviewers agree only once every review is in (`complete`).
    spread: int = 0
    # Criteria on which two reviewers differ by DISAGREEMENT_POINTS or more.
    flagged: list[Criterion] = field(default_factory=list)
    outstanding: int = 0
    # Reviews the panel needs for each subject (the round's number).
    needed: int = 0

    @property
    def complete(self) -> bool:
        return len(self.reviews) >= self.needed

    @property
    def reviews_in_text(self) -> str:
        """ "1 of 2 reviews": how many are in of the number needed."""
        return ngettext(
            "%(done)d of %(num)d review", "%(done)d of %(num)d reviews", self.needed
        ) % {"done": len(self.reviews), "num": self.needed}

    @property
    def spread_text(self) -> str:
        """The spread once every review is in; before that it is not known."""
        return str(self.spread) if self.complete else "Not known yet"


def panel_score_table(
    *, panel: Panel, subject_type: ContentType, subject_ids
) -> list[SubjectScores]:
    """Scores of each subject side by side, with the spread and disagreement flags. Subjects with
    every review in come first, largest spread first; those still waiting for reviews come
    after them (their spread says nothing yet), in the same order among themselves. Three
    queries whatever the number of subjects. Only for the chair and staff (check
    `scoring.chair_panel` first)."""
    subject_ids = list(subject_ids)
    criteria = {c.pk: c for c in panel.scheme.criteria.all()}
    rows = {sid: SubjectScores(subject_id=sid, needed=panel.reviews_needed) for sid in subject_ids}
    for review in _reviews(panel, subject_type.pk, subject_ids):
        row = rows[review.assignment.subject_id]
        row.reviews.append(review)
        row.totals.append(sum(score.value for score in review.scores.all()))
    outstanding = (
        panel.assignments.filter(
            subject_type=subject_type, subject_id__in=subject_ids, status=AssignmentStatus.ASSIGNED
        )
        .values("subject_id")
        .annotate(n=Count("id"))
    )
    for entry in outstanding:
        rows[entry["subject_id"]].outstanding = entry["n"]
    for row in rows.values():
        if len(row.totals) > 1:
            row.spread = max(row.totals) - min(row.totals)
        by_criterion: dict[int, list[int]] = {}
        for review in row.reviews:
            for score in review.scores.all():
                by_criterion.setdefault(score.criterion_id, []).append(score.value)
        row.flagged = [
            criteria[cid]
            for cid in criteria
            if len(by_criterion.get(cid, [])) > 1
            and max(by_criterion[cid]) - min(by_criterion[cid]) >= DISAGREEMENT_POINTS
        ]
    return sorted(
        rows.values(),
        key=lambda r: (not r.complete, -r.spread, -len(r.flagged), r.subject_id),
    )


def owner_panels_with_counts(owner: models.Model) -> list[Panel]:
    """The panels of `owner` (a membership round, an Exchange round) with member, chair and
    assignment counts, in one query."""
    return list(
        Panel.objects.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)
        .annotate(
            member_count=Count("members", distinct=True),
            chair_count=Count("members", filter=Q(members__role=PanelRole.CHAIR), distinct=True),
            outstanding=Count(
                "assignments",
                filter=Q(assignments__status=AssignmentStatus.ASSIGNED),
                distinct=True,
            ),
            done=Count(
                "assignments",
                filter=Q(assignments__status=AssignmentStatus.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("name", "id")
    )


def owner_panel_get(*, owner: models.Model, pk: int) -> Panel:
    """The panel `pk` of `owner`, with its scheme and `.round` set to the owner; raises
    Panel.DoesNotExist for a panel of anything else."""
    panel = Panel.objects.select_related("scheme").get(
        pk=pk, owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    )
    panel.round = owner
    return panel


def memberships_with_counts(*, user, owner_type: ContentType) -> list[PanelMember]:
    """The panels of one kind of owner that `user` sits on, newest owner first, each with its
    panel and their own assignment counts (`n_outstanding`, `n_done`). One query."""
    mine = Q(panel__assignments__reviewer_id=user.pk)
    return list(
        PanelMember.objects.filter(user_id=user.pk, panel__owner_type=owner_type)
        .select_related("panel")
        .annotate(
            n_outstanding=Count(
                "panel__assignments",
                filter=mine & Q(panel__assignments__status=AssignmentStatus.ASSIGNED),
            ),
            n_done=Count(
                "panel__assignments",
                filter=mine & Q(panel__assignments__status=AssignmentStatus.SUBMITTED),
            ),
        )
        .order_by("-panel__owner_id", "panel__name", "id")
    )


ASSIGNMENT_STATUS_LABELS = dict(AssignmentStatus.choices)
RECOMMENDATION_LABELS = dict(Recommendation.choices)


def reviewer_assignments(
    *, user, owner_type: ContentType, subject_type: ContentType | None = None
) -> list[Assignment]:
    """Every assignment `user` was given on panels of one kind of owner (and subject), oldest
    first, with its panel, review and the review's scores and criteria: for the reviewer's own
    data download. Three queries whatever the number."""
    assignments = Assignment.objects.filter(reviewer_id=user.pk, panel__owner_type=owner_type)
    if subject_type is not None:
        assignments = assignments.filter(subject_type=subject_type)
    return list(
        assignments.select_related("panel", "review")
        .prefetch_related(
            Prefetch(
                "review__scores",
                queryset=CriterionScore.objects.select_related("criterion").order_by(
                    "criterion__position"
                ),
            )
        )
        .order_by("created_at", "id")
    )


def reviewer_assignment_record(assignment: Assignment) -> dict:
    """What the reviewer did with one assignment, in words, for their data download: its
    status, when it was given, any conflict they declared and their review with its scores."""
    review = getattr(assignment, "review", None)
    return {
        "status": ASSIGNMENT_STATUS_LABELS.get(assignment.status, assignment.status),
        "given_to_you_at": assignment.created_at,
        "conflict_of_interest_you_declared": assignment.conflict_reason,
        "review": None
        if review is None
        else {
            "submitted_at": review.submitted_at,
            "recommendation": RECOMMENDATION_LABELS.get(
                review.recommendation, review.recommendation
            ),
            "comment": review.comment,
            "scores": [
                {"criterion": s.criterion.title, "score": s.value, "comment": s.comment}
                for s in review.scores.all()
            ],
        },
    }
