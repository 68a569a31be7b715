"""Reads of joining Q's panels that only they have: the applications a regional panel decides
on, who may not review which (organisations), staff counts and the home page's figures. The
workspace's reads (a reviewer's panels and assignments, the chair's table, the staff panel
page) are the kit's (`qcommunity.scoring.selectors`, with `kind.APPLICATION_PANELS`)."""

import re
from collections.abc import Callable, Collection

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from qcommunity.scoring.enums import ACTIVE_ASSIGNMENT_STATUSES, AssignmentStatus
from qcommunity.scoring.models import Assignment, Panel

from ..joining.enums import ApplicationStatus, RoundStatus
from ..joining.models import Application, ApplicationAnswer, Round
from ..joining.selectors import panel_applications


def _round_type() -> ContentType:
    return ContentType.objects.get_for_model(Round)


def _application_type() -> ContentType:
    return ContentType.objects.get_for_model(Application)


def application_with_answers(pk: int, applications=None) -> Application:
    """An application (of `applications`, all by default) with what a panel reads: round,
    applicant, course, nomination, answers. DoesNotExist when it is not among them."""
    return (
        (Application.objects.all() if applications is None else applications)
        .select_related("round", "applicant", "course", "nomination_code", "decided_by")
        .prefetch_related(
            Prefetch("answers", queryset=ApplicationAnswer.objects.select_related("criterion"))
        )
        .get(pk=pk)
    )


def chair_application_get(*, panel: Panel, pk: int) -> Application:
    """An application the panel decides on, with its answers; DoesNotExist otherwise (an
    application of another region or round, or one not sent to review)."""
    return application_with_answers(pk, panel_applications(panel))


def in_review_applications(panel: Panel) -> list[Application]:
    """The round's applications in review from the panel's region, in order of submission."""
    return list(
        Application.objects.filter(
            round_id=panel.owner_id, region=panel.region, status=ApplicationStatus.IN_REVIEW
        ).order_by("submitted_at", "id")
    )


# Who may not review which ------------------------------------------------------------------------


def organisation_key(name: str | None) -> str:
    """Organisation names compared case-insensitively, trimmed, inner spaces collapsed."""
    return re.sub(r"\s+", " ", (name or "").strip()).casefold()


def membership_exclusion(
    panel: Panel, application_ids: Collection[int]
) -> Callable[[int, int], bool]:
    """Pairs never assigned: a reviewer and an application from the same organisation (declared
    conflicts are kept out by the kit itself). Two queries, however many pairs are asked."""
    reviewer_orgs = {}
    for member in panel.members.select_related("user__profile"):
        org = member.organisation
        if not org:
            profile = getattr(member.user, "profile", None)
            org = profile.organisation if profile is not None else ""
        reviewer_orgs[member.user_id] = organisation_key(org)
    application_orgs = {
        pk: organisation_key(org)
        for pk, org in Application.objects.filter(pk__in=application_ids).values_list(
            "pk", "organisation"
        )
    }

    def excluded(reviewer_id: int, application_id: int) -> bool:
        mine = reviewer_orgs.get(reviewer_id, "")
        return bool(mine) and mine == application_orgs.get(application_id)

    return excluded


# Staff -------------------------------------------------------------------------------------------


def round_panels(round_: Round):
    """The round's panels, one a region."""
    return Panel.objects.filter(owner_type=_round_type(), owner_id=round_.pk)


def panel_applications_short_of_reviews(panel: Panel) -> int:
    """How many of the panel's applications in review have fewer live assignments (to review
    or submitted) than the panel needs: what "give out missing reviews" would try to fill. One
    query."""
    live = (
        Assignment.objects.filter(
            panel=panel,
            subject_type=_application_type(),
            subject_id=OuterRef("pk"),
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
        )
        .order_by()
        .values("subject_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Application.objects.filter(
            round_id=panel.owner_id, region=panel.region, status=ApplicationStatus.IN_REVIEW
        )
        .annotate(live=Coalesce(Subquery(live), 0))
        .filter(live__lt=panel.reviews_needed)
        .count()
    )


def round_submitted_count(round_: Round) -> int:
    return round_.applications.filter(status=ApplicationStatus.SUBMITTED).count()


# The home page ---------------------------------------------------------------------------------


def chair_decisions_waiting(panels: list[Panel]) -> list[tuple[Panel, int]]:
    """For each of these panels (each a round's regional panel), how many applications of its
    round and region are in review, waiting for the chair's decision; panels with none left
    out. One query for all the panels."""
    if not panels:
        return []
    where = Q(pk__in=[])
    for panel in panels:
        where |= Q(round_id=panel.owner_id, region=panel.region)
    counts = {
        (row["round_id"], row["region"]): row["n"]
        for row in Application.objects.filter(where, status=ApplicationStatus.IN_REVIEW)
        .order_by()
        .values("round_id", "region")
        .annotate(n=Count("pk"))
    }
    waiting = [(p, counts.get((p.owner_id, p.region), 0)) for p in panels]
    return [(p, n) for p, n in waiting if n]


# The staff home ----------------------------------------------------------------------------------


def rounds_short_of_reviews() -> list[tuple[Round, int]]:
    """For each round whose panels are reviewing, how many of its applications in review have
    fewer submitted reviews than their region's panel needs (the round's number where the
    region has no panel yet); rounds with none left out. One query."""
    submitted = (
        Assignment.objects.filter(
            subject_type=_application_type(),
            subject_id=OuterRef("pk"),
            status=AssignmentStatus.SUBMITTED,
        )
        .order_by()
        .values("subject_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    needed = Panel.objects.filter(
        owner_type=_round_type(), owner_id=OuterRef("round_id"), region=OuterRef("region")
    ).values("reviews_needed")[:1]
    rows = (
        Application.objects.filter(
            status=ApplicationStatus.IN_REVIEW, round__status=RoundStatus.REVIEWING
        )
        .annotate(
            submitted=Coalesce(Subquery(submitted), 0),
            needed=Coalesce(Subquery(needed), F("round__reviews_needed")),
        )
        .filter(submitted__lt=F("needed"))
        .order_by()
        .values("round_id")
        .annotate(n=Count("pk"))
    )
    counts = {row["round_id"]: row["n"] for row in rows}
    if not counts:
        return []
    rounds = Round.objects.in_bulk(list(counts))
    return [(rounds[pk], counts[pk]) for pk in sorted(counts, key=lambda pk: rounds[pk].name)]


def panels_overdue(now) -> list[Panel]:
    """The panels of rounds still reviewing whose review deadline has passed, with reviews
    still to do (`outstanding`), each with `.round`. Two queries."""
    overdue_rounds = Round.objects.filter(status=RoundStatus.REVIEWING, review_deadline__lte=now)
    panels = list(
        Panel.objects.filter(owner_type=_round_type(), owner_id__in=overdue_rounds.values("pk"))
        .annotate(
            outstanding=Count(
                "assignments", filter=Q(assignments__status=AssignmentStatus.ASSIGNED)
            )
        )
        .filter(outstanding__gt=0)
        .order_by("owner_id", "name")
    )
    rounds = Round.objects.in_bulk({p.owner_id for p in panels}) if panels else {}
    for panel in panels:
        panel.round = rounds[panel.owner_id]
    return panels
