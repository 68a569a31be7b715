"""A person's comments and the reports they made (see `exchange.personal_data`)."""

from django.utils import timezone

from qcommunity.privacy.registry import PersonalData, register

from ..proposals.personal_data import proposal_url
from ..rounds.page_cache import exchange_changed
from .models import Comment, CommentReport

# Comments and reports --------------------------------------------------------------------------


def comments_export(user) -> list[dict]:
    comments = (
        Comment.objects.filter(author=user).select_related("proposal").order_by("created_at", "id")
    )
    return [
        {
            "proposal": c.proposal.title,
            "address": f"{proposal_url(c.proposal.slug)}#comment-{c.pk}",
            "reply": c.parent_id is not None,
            "text": c.body,
            "posted_at": c.created_at,
            "edited_at": c.edited_at,
            "hidden_by_a_moderator": c.hidden_at is not None,
            "hidden_reason": c.hidden_reason,
        }
        for c in comments
    ]


def comments_erase(user) -> None:
    now = timezone.now()
    mine = Comment.objects.filter(author=user)
    # Nothing is left to moderate in a removed comment: other people's open reports on it close.
    CommentReport.objects.filter(comment__author=user, resolved_at__isnull=True).update(
        resolved_at=now
    )
    mine.filter(removed_at__isnull=True).update(body="", body_html="", removed_at=now)
    exchange_changed()


def reports_export(user) -> list[dict]:
    reports = (
        CommentReport.objects.filter(reporter=user)
        .select_related("comment__proposal")
        .order_by("created_at", "id")
    )
    return [
        {
            "proposal": r.comment.proposal.title,
            "address": f"{proposal_url(r.comment.proposal.slug)}#comment-{r.comment_id}",
            "reason": r.reason,
            "reported_at": r.created_at,
            "dealt_with_at": r.resolved_at,
        }
        for r in reports
    ]


def reports_erase(user) -> None:
    CommentReport.objects.filter(reporter=user).delete()


register(
    PersonalData(
        key="exchange.comments",
        label="Your comments on Q Exchange proposals",
        on_delete="Their text is removed. Each comment keeps its place, so replies still make "
        "sense, with a note that it was removed when you deleted your account.",
        export=comments_export,
        erase=comments_erase,
        order=41,
    )
)


register(
    PersonalData(
        key="exchange.comment_reports",
        label="Comments you reported to the moderators",
        on_delete="Your reports are deleted.",
        export=reports_export,
        erase=reports_erase,
        order=42,
    )
)
