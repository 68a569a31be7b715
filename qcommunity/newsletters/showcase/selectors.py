"""Reads for the member showcase: the editors' queue, a member's own items, who may see an
image, and the home page's "waiting for you" (`home`)."""

from django.db.models import QuerySet
from django.http import Http404

from .enums import ShowcaseStatus
from .models import ShowcaseItem


def showcase_waiting_count() -> int:
    """Showcase items members put forward that no editor has approved or returned yet."""
    return ShowcaseItem.objects.filter(status=ShowcaseStatus.SUBMITTED).order_by().count()


def showcase_queue() -> QuerySet[ShowcaseItem]:
    """Submissions for editors, oldest waiting first within each status."""
    return ShowcaseItem.objects.select_related("submitted_by").order_by("created_at", "id")


def showcase_get(pk: int) -> ShowcaseItem:
    try:
        return ShowcaseItem.objects.select_related("submitted_by", "decided_by").get(pk=pk)
    except ShowcaseItem.DoesNotExist:
        raise Http404 from None


def showcase_items_for_user(user) -> QuerySet[ShowcaseItem]:
    return ShowcaseItem.objects.filter(submitted_by=user).order_by("-created_at", "-id")


def showcase_get_own(*, user, pk: int) -> ShowcaseItem:
    try:
        return showcase_items_for_user(user).get(pk=pk)
    except ShowcaseItem.DoesNotExist:
        raise Http404 from None


def showcase_image_item_for_viewer(*, user, pk: int) -> ShowcaseItem:
    """The item whose image this viewer may see: approved items for anyone (they go out in
    emails), others only for their owner and for editors. Otherwise 404."""
    item = showcase_get(pk)
    if not item.image:
        raise Http404
    if item.status == ShowcaseStatus.APPROVED:
        return item
    if user.is_authenticated and (
        item.submitted_by_id == user.pk or user.has_perm("newsletters.review_showcase")
    ):
        return item
    raise Http404
