"""Reads for panel scoring. Each selector owns its query shape; the permission scoping of who
sees which scores is here, written once (`subject_reviews_for_viewer`)."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
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


# The workspace: reads for every kind of panel (`kinds.PanelKind`) -----------------------------
# Each owns its scoping: a reviewer reaches only their own assignments on panels of the kind
# they still sit on; anything else is DoesNotExist, which the views turn into 404.

# The audit action that records "I have no conflict of interest" (`assignment_confirm_no_conflict`).
NO_CONFLICT_ACTION = "scoring_assignment.no_conflict"


def scheme_criteria(panel: Panel) -> list[Criterion]:
    return list(panel.scheme.criteria.order_by("position"))


def scheme_scale(panel: Panel) -> list:
    return list(panel.scheme.scale_points.order_by("value"))


def assignment_conflict_confirmed(assignment: Assignment) -> bool:
    """Whether the reviewer has said they have no conflict of interest with the subject."""
    from qcommunity.audit.models import AuditEntry

    return AuditEntry.objects.filter(
        action=NO_CONFLICT_ACTION,
        target_type=ContentType.objects.get_for_model(Assignment),
        target_id=str(assignment.pk),
        actor_id=assignment.reviewer_id,
    ).exists()


def workspace_memberships(kind, user) -> list[PanelMember]:
    """The panels of `kind` that `user` sits on, newest owner first, with their role, the panel
    (`.panel.round` attached) and their own counts (`n_outstanding`, `n_done`). Two queries."""
    memberships = memberships_with_counts(user=user, owner_type=kind.owner_type())
    kind.attach_owners([m.panel for m in memberships])
    return memberships


def workspace_panel_get(kind, *, user, pk: int) -> tuple[Panel, PanelMember | None]:
    """A panel of `kind` that `user` sits on (with `.round`) and their membership. Staff reach
    every panel when the kind says so (membership None when they are not on it)."""
    panel = Panel.objects.select_related("scheme").get(pk=pk, owner_type=kind.owner_type())
    membership = panel.members.filter(user_id=user.pk).first()
    if membership is None and not (
        kind.staff_open_member_pages and user.has_perm(kind.staff_permission)
    ):
        raise Panel.DoesNotExist
    kind.attach_owners([panel])
    return panel, membership


def workspace_reviewer_assignments(kind, *, user, panel: Panel) -> list[Assignment]:
    """Every assignment `user` was given on `panel`, oldest first, each with `.subject`: live
    ones and those that left their list (a conflict they declared, or given to someone else).
    Two queries whatever the number."""
    return kind.attach_subjects(
        Assignment.objects.filter(panel=panel, reviewer_id=user.pk).order_by("created_at", "id")
    )


def workspace_assignment_get(kind, *, user, pk: int) -> Assignment:
    """One of `user`'s own assignments on a panel of `kind` they still sit on, with the panel
    (`.round` attached), scheme, and `.subject` loaded for reading. DoesNotExist otherwise."""
    assignment = (
        Assignment.objects.select_related("panel", "panel__scheme")
        .filter(
            reviewer_id=user.pk,
            subject_type=kind.subject_type(),
            panel__owner_type=kind.owner_type(),
            panel__members__user_id=user.pk,
        )
        .get(pk=pk)
    )
    set_subjects([assignment], {assignment.subject_id: kind.subject_for_review(assignment)})
    kind.attach_owners([assignment.panel])
    return assignment


def panel_members_with_two_factor(panel: Panel) -> list[PanelMember]:
    """The panel's members with `.has_two_factor` (a TOTP authenticator set up). Two queries."""
    from allauth.mfa.models import Authenticator

    members = list(panel.members.select_related("user").order_by("role", "user__full_name", "id"))
    with_totp = set(
        Authenticator.objects.filter(
            user_id__in=[m.user_id for m in members], type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    for member in members:
        member.has_two_factor = member.user_id in with_totp
    return members


def workspace_panel_assignments(kind, panel: Panel) -> list[Assignment]:
    """Every assignment on the panel with its reviewer and `.subject`. Two queries."""
    return kind.attach_subjects(
        panel.assignments.select_related("reviewer").order_by("subject_id", "created_at", "id")
    )


def workspace_assignment_get_for_staff(kind, *, panel: Panel, pk: int) -> Assignment:
    """One assignment on `panel` (a panel staff reached through its owner), with its reviewer
    and `.subject`. DoesNotExist for an assignment of another panel."""
    assignment = panel.assignments.select_related("reviewer", "panel").get(
        pk=pk, subject_type=kind.subject_type()
    )
    kind.attach_subjects([assignment])
    return assignment


def workspace_conflicts(kind, panel: Panel) -> list[Assignment]:
    """The conflicts of interest declared on the panel, oldest first, each with its reviewer,
    reason and `.subject`: what the conflict form promises "staff and the panel chair see"."""
    return kind.attach_subjects(
        Assignment.objects.filter(panel=panel, status=AssignmentStatus.CONFLICT)
        .select_related("reviewer")
        .order_by("updated_at", "id")
    )


def reassign_candidates(kind, assignment: Assignment) -> list[PanelMember]:
    """The panel's reviewers who could take `assignment`'s subject: not anyone who holds it (to
    review or submitted) or declared a conflict with it, nor anyone the kind excludes (the rules
    `services.assignment_reassign` checks again); someone it was taken from before may have it
    back, but never an account that can no longer sign in. Ordered by name, with the user."""
    rows = Assignment.objects.filter(
        panel_id=assignment.panel_id,
        subject_type_id=assignment.subject_type_id,
        subject_id=assignment.subject_id,
        reviewer_id=OuterRef("user_id"),
    ).exclude(status=AssignmentStatus.WITHDRAWN)
    members = (
        PanelMember.objects.filter(
            panel_id=assignment.panel_id, role=PanelRole.REVIEWER, user__is_active=True
        )
        .exclude(Exists(rows))
        .select_related("user")
        .order_by("user__full_name", "id")
    )
    excluded = kind.exclusion(assignment.panel, [assignment.subject_id])
    return [m for m in members if not excluded(m.user_id, assignment.subject_id)]


def reviewers_progress(panel: Panel) -> list[dict]:
    """`reviewer_progress` for reviewers only (chairs score nothing)."""
    return [p for p in reviewer_progress(panel=panel) if p["member"].role == PanelRole.REVIEWER]


def set_subjects(assignments, subjects: dict) -> list[Assignment]:
    """Each assignment's `.subject` from `subjects` (id -> row), without a query and without
    touching its subject columns (a missing row is looked up when read)."""
    assignments = list(assignments)
    for assignment in assignments:
        subject = subjects.get(assignment.subject_id)
        if subject is not None:
            Assignment._meta.get_field("subject").set_cached_value(assignment, subject)
    return assignments
