"""Reads for the sending progress page and the staff home."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from ..issues.enums import DeliveryStatus
from ..issues.models import Delivery, Issue


def issue_failed_deliveries(issue: Issue) -> QuerySet[Delivery]:
    failed = Delivery.objects.filter(issue=issue, status=DeliveryStatus.FAILED)
    return failed.order_by("email", "pk")


# How long after an issue is sent its failed deliveries are shown on the staff home.
FAILED_DELIVERIES_DAYS = 30


def issues_with_failed_deliveries(now) -> list[tuple[Issue, int]]:
    """Issues sending or sent in the last FAILED_DELIVERIES_DAYS days with deliveries that
    failed or bounced, and how many, newest first. Two queries."""
    since = now - dt.timedelta(days=FAILED_DELIVERIES_DAYS)
    counts = dict(
        Delivery.objects.filter(status=DeliveryStatus.FAILED)
        .filter(Q(issue__sent_at__isnull=True) | Q(issue__sent_at__gte=since))
        .order_by()
        .values("issue_id")
        .annotate(n=Count("pk"))
        .values_list("issue_id", "n")
    )
    if not counts:
        return []
    issues = Issue.objects.filter(pk__in=list(counts)).order_by("-sent_at", "-pk")
    return [(issue, counts[issue.pk]) for issue in issues]
