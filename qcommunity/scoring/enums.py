"""Choices and the assignment transition table for panel scoring.

The kit is used wherever a panel scores things against criteria: membership applications,
Exchange shortlisting and programme team selection. It knows nothing about what it scores: a
subject is any row, named by content type and id."""

from django.db import models

from qcommunity.core.workflow import Transition, transitions


class PanelRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    REVIEWER = "reviewer", "Reviewer"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "To review"
    CONFLICT = "conflict", "Conflict of interest declared"
    SUBMITTED = "submitted", "Review submitted"
    WITHDRAWN = "withdrawn", "Reassigned to someone else"


class Recommendation(models.TextChoices):
    """A reviewer's overall view: advice to the chair, not the decision. Membership panels use
    these labels everywhere (form, pages, decisions CSV, audit trail); Exchange shortlisting
    words them for its own pages. The stored values are shared so reports read the same."""

    SUPPORT = "support", "Recommend"
    UNSURE = "unsure", "Unsure: discuss at panel"
    OPPOSE = "oppose", "Do not recommend"


# Assignments that count towards a reviewer's load and a subject's reviews.
ACTIVE_ASSIGNMENT_STATUSES = frozenset({AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED})

# Moves of an assignment (`services.ASSIGNMENTS`, the kit in `qcommunity.core.workflow`): the
# reviewer it belongs to declares a conflict or submits; staff (or the system, when a reviewer
# leaves the panel) move an unfinished review to someone else.
_NOT_YOURS = "Only the reviewer it was given to can do that."
ASSIGNMENT_TRANSITIONS = transitions(
    Transition("declare_conflict", frozenset({AssignmentStatus.ASSIGNED}),
               AssignmentStatus.CONFLICT, "Declare a conflict of interest",
               "scoring.review_assignment", denied=_NOT_YOURS),
    Transition("submit", frozenset({AssignmentStatus.ASSIGNED}), AssignmentStatus.SUBMITTED,
               "Submit your review", "scoring.review_assignment", denied=_NOT_YOURS),
    # A submitted review stays on record.
    Transition("withdraw", frozenset({AssignmentStatus.ASSIGNED}), AssignmentStatus.WITHDRAWN,
               "Reassign", "scoring.manage_panels", system=True),
    # A reviewer given back a subject they were once taken off (never after a conflict).
    Transition("reinstate", frozenset({AssignmentStatus.WITHDRAWN}),
               AssignmentStatus.ASSIGNED, "Assign again", "scoring.manage_panels", system=True),
)  # fmt: skip

# How far apart two reviewers' scores on one criterion must be for the chair to see a flag.
DISAGREEMENT_POINTS = 2
