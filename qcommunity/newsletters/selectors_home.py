"""Reads for the home page's "waiting for you" (`qcommunity.newsletters.home`)."""

from .compose_enums import ShowcaseStatus
from .models import ShowcaseItem


def showcase_waiting_count() -> int:
    """Showcase items members put forward that no editor has approved or returned yet."""
    return ShowcaseItem.objects.filter(status=ShowcaseStatus.SUBMITTED).order_by().count()
