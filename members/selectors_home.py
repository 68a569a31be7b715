"""Reads for the home page's "waiting for you" (`members.home`): one query each."""

import datetime as dt

from django.db.models import Count, Q

from qcommunity.scoring.models import Panel

from .enums_joining import ApplicationStatus, RoundStatus
from .models_joining import Application


def draft_applications_open(user, now: dt.datetime) -> list[Application]:
    """`user`'s draft applications in rounds still taking applications, soonest closing first."""
    return list(
        Application.objects.filter(
            applicant_id=user.pk,
            status=ApplicationStatus.DRAFT,
            round__status=RoundStatus.OPEN,
            round__opens_at__lte=now,
            round__closes_at__gt=now,
        )
        .select_related("round")
        .order_by("round__closes_at", "pk")
    )


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
