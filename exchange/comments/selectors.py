"""Reads for comments: a proposal's thread as its page shows it, one comment for the reply, edit
and report pages, and the moderators' queue of reported comments.

The thread is read in a fixed number of queries whatever its size (the comments with their
authors, whether each author is a member, the directory entries the viewer may see, and the
viewer's own reports), and the tree is built in Python."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from members.directory.selectors import profiles_visible_to
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import UserRole

from ..proposals.enums import TeamRole
from ..proposals.models import Proposal
from .models import Comment, CommentReport

# Replies are drawn nested to this depth (0 is a top-level comment). Deeper replies are listed,
# in order, under the reply at the last level, each saying whom it answers.
MAX_DEPTH = 2


@dataclass
class CommentNode:
    comment: Comment
    author_name: str
    is_guest: bool
    is_team: bool
    profile_slug: str | None
    depth: int
    in_reply_to: str | None = None
    reported_by_viewer: bool = False
    open_reports: int = 0
    children: list["CommentNode"] = field(default_factory=list)


def proposal_team_user_ids(proposal: Proposal) -> set[int]:
    """People on the proposal's team with an account: the lead, accepted co-authors and named
    members. Co-authors who have not accepted their invitation are not on the team yet."""
    ids = {proposal.lead_id} if proposal.lead_id else set()
    for member in proposal.team.all():
        if member.user_id and not (
            member.role == TeamRole.CO_AUTHOR and member.accepted_at is None
        ):
            ids.add(member.user_id)
    return ids


def _with_author_facts(qs: QuerySet[Comment]) -> QuerySet[Comment]:
    return qs.select_related("author").annotate(
        author_is_member=Exists(
            UserRole.objects.filter(user_id=OuterRef("author_id"), role=Role.MEMBER)
        )
    )


def _author_name(comment: Comment) -> str:
    return comment.author_name


def comment_thread(proposal: Proposal, *, viewer, moderator: bool = False) -> list[CommentNode]:
    """The proposal's comments as a tree of `CommentNode`s, oldest first at every level.

    Authors: members link to their directory entry when the viewer may see it; other people are
    guests; the proposal's team is marked. `proposal.team` should be prefetched (the page's
    selector does). Moderators also get each comment's number of open reports."""
    qs = _with_author_facts(proposal.comments.all()).order_by("created_at", "id")
    if moderator:
        qs = qs.annotate(
            open_report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True))
        )
    comments = list(qs)
    if not comments:
        return []
    member_ids = {c.author_id for c in comments if c.author_is_member}
    slugs = dict(
        profiles_visible_to(viewer).filter(user_id__in=member_ids).values_list("user_id", "slug")
    ) if member_ids else {}  # fmt: skip
    reported: set[int] = set()
    if viewer is not None and viewer.is_authenticated:
        reported = set(
            CommentReport.objects.filter(reporter=viewer, comment__proposal=proposal).values_list(
                "comment_id", flat=True
            )
        )
    team_ids = proposal_team_user_ids(proposal)
    nodes: dict[int, CommentNode] = {}
    for comment in comments:
        comment.proposal = proposal  # the page's proposal and round: no query per comment
        nodes[comment.pk] = CommentNode(
            comment=comment,
            author_name=_author_name(comment),
            is_guest=not comment.author_is_member,
            is_team=comment.author_id in team_ids,
            profile_slug=slugs.get(comment.author_id),
            depth=0,
            reported_by_viewer=comment.pk in reported,
            open_reports=getattr(comment, "open_report_count", 0),
        )
    top: list[CommentNode] = []
    for comment in comments:  # oldest first, so a parent is placed before its replies
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        if parent is None:
            top.append(node)
            continue
        if parent.depth < MAX_DEPTH:
            node.depth = parent.depth + 1
            parent.children.append(node)
        else:
            # Deeper than drawn: listed under the last drawn level's reply, saying whom it answers.
            holder = parent
            while holder.depth > MAX_DEPTH - 1:
                holder = nodes[holder.comment.parent_id]
            node.depth = MAX_DEPTH
            node.in_reply_to = parent.author_name
            holder.children.append(node)
    return top


def comment_get_for_viewer(*, user, proposal: Proposal, pk: int) -> Comment:
    """One comment of `proposal` (already checked visible to `user`), with its author, or
    404."""
    comment = (
        _with_author_facts(Comment.objects.filter(proposal=proposal, pk=pk))
        .select_related("parent__author")
        .first()
    )
    if comment is None:
        raise Http404
    comment.proposal = proposal
    return comment


def comment_open_report_by(comment: Comment, user) -> CommentReport | None:
    return CommentReport.objects.filter(comment=comment, reporter=user).first()


def moderation_queue() -> QuerySet[Comment]:
    """Comments with reports nobody has dealt with, the longest waiting first, with their
    proposal, author and open reports (and their reporters)."""
    open_reports = Q(reports__resolved_at__isnull=True)
    return (
        Comment.objects.filter(
            Exists(CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))
        )
        .select_related("author", "proposal", "hidden_by")
        .annotate(
            open_report_count=Count("reports", filter=open_reports),
            first_reported_at=Min("reports__created_at", filter=open_reports),
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(resolved_at__isnull=True).select_related(
                    "reporter"
                ),
                to_attr="open_reports",
            )
        )
        .order_by("first_reported_at", "pk")
    )


def comment_get_for_moderator(pk: int) -> Comment:
    """One comment with its proposal, author and every report (open first), or 404."""
    comment = (
        _with_author_facts(Comment.objects.filter(pk=pk))
        .select_related("proposal__round", "hidden_by")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.select_related("reporter", "resolved_by").order_by(
                    "-resolved_at", "created_at"
                ),
            )
        )
        .first()
    )
    if comment is None:
        raise Http404
    return comment


def comments_reported_count() -> int:
    """Comments with a report nobody has dealt with yet (the moderation queue's length)."""
    return (
        Comment.objects.filter(
            Exists(CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))
        )
        .order_by()
        .count()
    )
