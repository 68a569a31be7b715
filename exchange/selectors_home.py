"""Reads for the home page's "waiting for you" (`exchange.home`): one query each, whatever the
number of rounds, proposals or comments."""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from .enums import Stage, TeamRole
from .models import Ballot, Comment, CommentReport, Proposal, Round, TeamMember
from .selectors import rounds_visible_to

# Comments older than this are not "new", whatever the team last did.
NEW_COMMENT_DAYS = 30


def rounds_ahead(user, now: dt.datetime) -> QuerySet[Round]:
    """Published rounds whose decisions are still to come (running or announced), soonest
    first, each with `has_ballot`: whether `user` has a ballot in it."""
    return (
        rounds_visible_to(user)
        .filter(published_at__isnull=False, decisions_at__gt=now)
        .annotate(
            has_ballot=Exists(Ballot.objects.filter(round_id=OuterRef("pk"), voter_id=user.pk))
        )
        .order_by("opens_at", "year")
    )


def team_proposals_with_news(user, now: dt.datetime) -> list[Proposal]:
    """The ideas and proposals `user` leads or co-authors (accepted), in rounds still running,
    each with its round and `new_comment_count`: comments by other people, not hidden or
    removed, posted in the last NEW_COMMENT_DAYS days and after `user`'s own latest comment on
    it (a reply answers what came before)."""
    my_last = (
        Comment.objects.filter(proposal_id=OuterRef("pk"), author_id=user.pk)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    editor = Q(lead_id=user.pk) | Exists(
        TeamMember.objects.filter(
            proposal_id=OuterRef("pk"),
            user_id=user.pk,
            role=TeamRole.CO_AUTHOR,
            accepted_at__isnull=False,
        )
    )
    news = (
        Q(comments__created_at__gte=now - dt.timedelta(days=NEW_COMMENT_DAYS))
        & ~Q(comments__author_id=user.pk)
        & Q(comments__hidden_at__isnull=True, comments__removed_at__isnull=True)
        & (Q(last_mine__isnull=True) | Q(comments__created_at__gt=F("last_mine")))
    )
    return list(
        Proposal.objects.filter(editor, round__decisions_at__gt=now)
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("round")
        .annotate(last_mine=Subquery(my_last))
        .annotate(new_comment_count=Count("comments", filter=news))
        .order_by("round__year", "title", "pk")
    )


def team_invitations_waiting(user) -> list[TeamMember]:
    """Invitations to co-author that `user` has not answered yet, with their proposals."""
    return list(
        TeamMember.objects.filter(
            user_id=user.pk, role=TeamRole.CO_AUTHOR, accepted_at__isnull=True
        )
        .exclude(proposal__stage=Stage.WITHDRAWN)
        .select_related("proposal")
        .order_by("invited_at", "pk")
    )


def comments_reported_count() -> int:
    """Comments with a report nobody has dealt with yet (the moderation queue's length)."""
    return (
        Comment.objects.filter(
            Exists(CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))
        )
        .order_by()
        .count()
    )
