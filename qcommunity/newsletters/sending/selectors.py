"""Reads for the sending progress page."""

from django.db.models import QuerySet

from ..issues.enums import DeliveryStatus
from ..issues.models import Delivery, Issue


def issue_failed_deliveries(issue: Issue) -> QuerySet[Delivery]:
    failed = Delivery.objects.filter(issue=issue, status=DeliveryStatus.FAILED)
    return failed.order_by("email", "pk")
