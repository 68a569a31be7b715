"""Choices and transition tables for joining Q: rounds, phases and applications.

State machines are data. `services.round_transition` and
`services.application_transition` are the only places a status is assigned; each checks
its table here and the permission rule named in the table. Pages ask the same tables which
buttons to show."""

from django.db import models

from qcommunity.core.workflow import Transition, transitions


class Phase(models.TextChoices):
    """How Q opens: first the founding cohort by nomination, then alumni of eligible
    improvement courses, then people at national organisations (including those who bring a
    patient or carer perspective), then regional waves opening a few regions at a time."""

    FOUNDING = "founding", "Founding nominations"
    ALUMNI = "alumni", "Alumni of eligible improvement courses"
    NATIONAL = "national", "National organisations and patient perspective"
    REGIONAL = "regional", "Regional wave"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    # Published: the criteria and scale are locked. Applications are accepted only between
    # `opens_at` and `closes_at` (see `Round.is_accepting`), so "open" may mean "opening soon".
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    REVIEWING = "reviewing", "Panels reviewing"
    DECIDED = "decided", "Decisions recorded"
    RELEASED = "released", "Decisions released"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "Being reviewed"
    ACCEPTED = "accepted", "Accepted"
    NOT_YET = "not_yet", "Not yet"
    WITHDRAWN = "withdrawn", "Withdrawn"


DECIDED_STATUSES = frozenset({ApplicationStatus.ACCEPTED, ApplicationStatus.NOT_YET})
# Sent in and waiting for a decision.
UNDECIDED_STATUSES = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW})
# Statuses in which the applicant can still change their answers.
EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFT})


class Commitment(models.TextChoices):
    """The baseline commitments every applicant accepts. The wording shown is stored with the
    time of acceptance on the application, so a later change of wording does not rewrite it."""

    DIRECTORY = "directory", "Keep my directory entry up to date"
    EVALUATION = "evaluation", "Contribute to the evaluation of Q"
    SHARE_LEARNING = "share_learning", "Share what I learn with other members"


# Moves of a round and of an application (`services.ROUNDS` and `APPLICATIONS`, the
# kit in `qcommunity.core.workflow`); each permission is checked against the object.
ROUND_TRANSITIONS = transitions(
    Transition("open", frozenset({RoundStatus.DRAFT}), RoundStatus.OPEN,
               "Open the round", "members.manage_rounds"),
    # The scheduled task closes a round on its closing date; staff may close it early.
    Transition("close", frozenset({RoundStatus.OPEN}), RoundStatus.CLOSED,
               "Close the round", "members.manage_rounds", system=True),
    Transition("start_review", frozenset({RoundStatus.CLOSED}), RoundStatus.REVIEWING,
               "Send applications to panels", "members.manage_rounds", system=True),
    Transition("mark_decided", frozenset({RoundStatus.REVIEWING}), RoundStatus.DECIDED,
               "Mark all decisions recorded", "members.manage_rounds"),
    # Taken only through the release services: by the scheduled task on the release date, or
    # by staff releasing now ("Release decisions now"), which moves the date first.
    Transition("release", frozenset({RoundStatus.DECIDED}), RoundStatus.RELEASED,
               "Release decisions now", "members.manage_rounds", system=True),
)  # fmt: skip


APPLICATION_TRANSITIONS = transitions(
    Transition("submit", frozenset({ApplicationStatus.DRAFT}), ApplicationStatus.SUBMITTED,
               "Submit your application", "members.change_own_application"),
    Transition("withdraw",
               frozenset({ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED}),
               ApplicationStatus.WITHDRAWN, "Withdraw your application",
               "members.change_own_application"),
    Transition("start_review", frozenset({ApplicationStatus.SUBMITTED}),
               ApplicationStatus.IN_REVIEW, "Send to the panel", "members.manage_rounds",
               system=True),
    Transition("accept", frozenset({ApplicationStatus.IN_REVIEW}),
               ApplicationStatus.ACCEPTED, "Accept", "members.decide_application"),
    Transition("not_yet", frozenset({ApplicationStatus.IN_REVIEW}),
               ApplicationStatus.NOT_YET, "Not yet", "members.decide_application"),
    # The chair changes their mind before decisions are released (checked by the service).
    Transition("reopen", frozenset(DECIDED_STATUSES), ApplicationStatus.IN_REVIEW,
               "Reopen the decision", "members.decide_application"),
)  # fmt: skip
