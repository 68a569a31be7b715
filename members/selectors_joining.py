"""Reads for joining Q. Each selector owns its query shape and its permission scoping:
applicants reach only their own applications, panel members only their panel's region."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from qcommunity.scoring.models import Assignment, Criterion, Panel

from .enums_joining import DECIDED_STATUSES, ApplicationStatus, RoundStatus
from .models_joining import Application, ApplicationAnswer, Round


def rounds_accepting(
    *, region: str | None = None, now: dt.datetime | None = None
) -> QuerySet[Round]:
    """Rounds taking applications now (open, between their dates), optionally for one region."""
    now = now or timezone.now()
    queryset = Round.objects.filter(status=RoundStatus.OPEN, opens_at__lte=now, closes_at__gt=now)
    if region:
        queryset = queryset.filter(regions__contains=[region])
    return queryset.order_by("closes_at", "id")


def round_list_for_staff() -> QuerySet[Round]:
    """Every round with its application counts, for the staff list (one query)."""
    return Round.objects.annotate(
        application_count=Count("applications", filter=~Q(applications__status="draft")),
        draft_count=Count("applications", filter=Q(applications__status="draft")),
    ).order_by("-opens_at", "-id")


def round_get_for_staff(pk: int) -> Round:
    return (
        Round.objects.select_related("scheme")
        .prefetch_related(
            Prefetch("scheme__criteria", queryset=Criterion.objects.order_by("position")),
            "scheme__scale_points",
            "eligible_courses",
        )
        .get(pk=pk)
    )


def applications_for_applicant(user) -> QuerySet[Application]:
    """The signed-in person's own applications, newest first."""
    return (
        Application.objects.filter(applicant_id=user.pk)
        .select_related("round")
        .order_by("-created_at", "-id")
    )


def application_get_for_applicant(*, user, pk: int) -> Application:
    """One of the person's own applications with its answers (DoesNotExist otherwise, which
    the view turns into 404)."""
    return (
        applications_for_applicant(user)
        .select_related("round__scheme", "course", "nomination_code")
        .prefetch_related(
            Prefetch("answers", queryset=ApplicationAnswer.objects.select_related("criterion")),
            Prefetch("round__scheme__criteria", queryset=Criterion.objects.order_by("position")),
        )
        .get(pk=pk)
    )


def application_status_for_applicant(application: Application) -> str:
    """What the applicant is told: a recorded decision stays "being reviewed" until it is
    released on the round's release date."""
    if application.status in DECIDED_STATUSES and (application.released_at is None):
        return ApplicationStatus.IN_REVIEW
    return application.status


def attach_applications(assignments) -> list[Assignment]:
    """Load the applications of `assignments` in one query and set `.application` on each."""
    assignments = list(assignments)
    applications = Application.objects.filter(
        pk__in={a.subject_id for a in assignments}
    ).select_related("round")
    by_id = {a.pk: a for a in applications}
    for assignment in assignments:
        assignment.application = by_id.get(assignment.subject_id)
    return assignments


def panel_applications(panel: Panel) -> QuerySet[Application]:
    """The applications a round's regional panel decides on."""
    return Application.objects.filter(
        round_id=panel.owner_id,
        region=panel.region,
        status__in=[
            ApplicationStatus.IN_REVIEW,
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.NOT_YET,
        ],
    ).order_by("submitted_at", "id")


def rounds_opening_soon(*, now: dt.datetime | None = None) -> QuerySet[Round]:
    """Rounds published (so their dates and criteria are fixed) that have not opened yet,
    soonest first: the join page says when they open and to whom."""
    now = now or timezone.now()
    return Round.objects.filter(status=RoundStatus.OPEN, opens_at__gt=now).order_by(
        "opens_at", "id"
    )


def round_get_published(pk: int) -> Round:
    """A round applicants may see (published: not a draft), DoesNotExist otherwise."""
    return Round.objects.exclude(status=RoundStatus.DRAFT).get(pk=pk)
