"""Reminders of the joining panels, registered with the reminders engine (qcommunity.reminders):
reviews due, and decisions waiting for a chair. Like every joining reminder, they go whatever
the person chose at /me/notifications/ (see `members.joining.reminders`)."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse

from qcommunity.reminders.registry import Due, register
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, PanelMember

from ..joining.enums import ApplicationStatus, RoundStatus
from ..joining.models import Application, Round
from ..joining.reminders import DAY, JOINING_GRACE, in_window

# Reviewers are reminded 3 days before the review deadline, then once a day while their reviews
# are overdue, for 14 days at most: after two weeks more email is noise, and staff reassign the
# reviews instead (the staff panel page shows who is behind).
REVIEWS_FIRST_REMINDER = 3 * DAY
REVIEWS_OVERDUE_DAYS = 14
# Chairs are reminded from the review deadline, once a day while applications with every review
# in have no decision, for 14 days at most (staff see the undecided applications on the round).
DECISIONS_DAYS = 14


def review_reminder_dates(review_deadline: dt.datetime) -> list[dt.datetime]:
    """3 days before the deadline, then 1 to 14 days after it."""
    return [
        review_deadline - REVIEWS_FIRST_REMINDER,
        *(review_deadline + n * DAY for n in range(1, REVIEWS_OVERDUE_DAYS + 1)),
    ]


def decision_reminder_dates(review_deadline: dt.datetime) -> list[dt.datetime]:
    """The review deadline, then each of the next 13 days: 14 reminders at most."""
    return [review_deadline + n * DAY for n in range(DECISIONS_DAYS)]


def _rounds_reviewing(*, earliest: dt.datetime, latest: dt.datetime) -> dict[int, Round]:
    """Rounds with panels at work whose review deadline falls in [earliest, latest]."""
    return Round.objects.filter(
        status=RoundStatus.REVIEWING,
        review_deadline__gte=earliest,
        review_deadline__lte=latest,
    ).in_bulk()


def _round_panels_filter(rounds) -> Q:
    return Q(panel__owner_type=ContentType.objects.get_for_model(Round), panel__owner_id__in=rounds)


@register(
    key="members.joining_reviews_due",
    description="Panel reviews due soon or overdue",
    template="reminder_joining_reviews_due",
    lead=dt.timedelta(0),
    grace=JOINING_GRACE,
)
def reviews_due(*, since: dt.datetime, until: dt.datetime):
    """A reviewer with applications still to review (not submitted, no conflict declared, not
    taken off them) on a round panel they sit on: one reminder per panel 3 days before the review
    deadline, then daily while overdue for up to 14 days. Stops when their reviews are in or the
    round moves on from reviewing. Two queries."""
    rounds = _rounds_reviewing(
        earliest=since - REVIEWS_OVERDUE_DAYS * DAY, latest=until + REVIEWS_FIRST_REMINDER
    )
    if not rounds:
        return
    mine = Q(panel__assignments__reviewer_id=F("user_id"))
    memberships = (
        PanelMember.objects.filter(_round_panels_filter(rounds))
        .annotate(
            n_outstanding=Count(
                "panel__assignments",
                filter=mine
                & Q(panel__assignments__status=AssignmentStatus.ASSIGNED)
                & Q(
                    panel__assignments__subject_type=ContentType.objects.get_for_model(Application)
                ),
            )
        )
        .filter(n_outstanding__gt=0)
        .select_related("panel", "user")
        .order_by("panel__owner_id", "panel_id", "id")
    )
    for membership in memberships:
        panel = membership.panel
        round_ = rounds[panel.owner_id]
        url = settings.SITE_URL + reverse("members:panel-detail", args=[panel.pk])
        for due_date in review_reminder_dates(round_.review_deadline):
            if not in_window(due_date, since, until):
                continue
            yield Due(
                obj=panel,
                recipient=membership.user,
                due_date=due_date,
                context={
                    "round_name": round_.name,
                    "panel_name": panel.name,
                    "review_deadline": round_.review_deadline,
                    "outstanding": membership.n_outstanding,
                    "overdue": due_date > round_.review_deadline,
                    "panel_url": url,
                },
            )


@register(
    key="members.joining_decisions_due",
    description="Panel decisions not yet recorded by the chair",
    template="reminder_joining_decisions_due",
    lead=dt.timedelta(0),
    grace=JOINING_GRACE,
)
def decisions_due(*, since: dt.datetime, until: dt.datetime):
    """A panel chair whose panel has applications with every review in (none still to do, at
    least one submitted: what the decision service asks) but no decision: reminded from the
    review deadline, once a day for up to 14 days, while any such application is waiting.
    Three queries."""
    rounds = _rounds_reviewing(earliest=since - DECISIONS_DAYS * DAY, latest=until)
    if not rounds:
        return
    assignments = Assignment.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application), subject_id=OuterRef("pk")
    )
    ready_counts = (
        Application.objects.filter(round_id__in=rounds, status=ApplicationStatus.IN_REVIEW)
        .filter(Exists(assignments.filter(status=AssignmentStatus.SUBMITTED)))
        .exclude(Exists(assignments.filter(status=AssignmentStatus.ASSIGNED)))
        .values("round_id", "region")
        .annotate(n=Count("id"))
        .order_by()
    )
    ready = {(row["round_id"], row["region"]): row["n"] for row in ready_counts}
    if not ready:
        return
    chairs = (
        PanelMember.objects.filter(_round_panels_filter(rounds), role=PanelRole.CHAIR)
        .select_related("panel", "user")
        .order_by("panel__owner_id", "panel_id", "id")
    )
    for chair in chairs:
        panel = chair.panel
        waiting = ready.get((panel.owner_id, panel.region), 0)
        if not waiting:
            continue
        round_ = rounds[panel.owner_id]
        url = settings.SITE_URL + reverse("members:chair", args=[panel.pk])
        for due_date in decision_reminder_dates(round_.review_deadline):
            if not in_window(due_date, since, until):
                continue
            yield Due(
                obj=panel,
                recipient=chair.user,
                due_date=due_date,
                context={
                    "round_name": round_.name,
                    "panel_name": panel.name,
                    "review_deadline": round_.review_deadline,
                    "waiting": waiting,
                    "chair_url": url,
                },
            )
