"""Writes for comments on proposals: posting, replying, editing, reporting and moderating.

Comments are open while the round takes them (`Round.comments_open`), on proposals that are not
withdrawn. The markdown is rendered and sanitised once, when written, into `body_html`. Hidden
comments keep their place in the thread (with the moderator's reason) so replies still make
sense. Reports, hiding, unhiding and dismissing reports are audited."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qcommunity.audit.services import audit_record
from qcommunity.core.attention import attention_changed
from qcommunity.core.markdown import render_markdown
from qcommunity.notifications.services import notify

from ..proposals.enums import Stage, TeamRole
from ..proposals.models import Proposal
from ..rounds.services import ExchangeError, require_exchange_perm
from . import rules  # noqa: F401 (registers the permissions the services check)
from .models import Comment, CommentReport
from .notifications import COMMENT_REPLY, PROPOSAL_COMMENT

# The staff home's line of reported comments (`attention.py`).
REPORTED_COMMENTS = "exchange.reported_comments"

COMMENT_MAX_CHARS = 5000
REPORT_MAX_CHARS = 1000
HIDE_REASON_MAX_CHARS = 500


def comment_edit_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.EXCHANGE_COMMENT_EDIT_MINUTES)


def comment_editable_until(comment: Comment) -> dt.datetime:
    return comment.created_at + comment_edit_window()


def comment_can_edit(comment: Comment, user, now=None) -> bool:
    """Whether `user` may still change `comment`: their own, not hidden, within the window, and
    while comments are open. Reads nothing beyond the comment and its proposal's round."""
    now = now or timezone.now()
    return bool(
        user
        and user.is_authenticated
        and comment.author_id == user.pk
        and comment.hidden_at is None
        and now < comment_editable_until(comment)
        and comment.proposal.round.comments_open(now)
    )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ExchangeError("Enter your comment.", {"body": "Enter your comment"})
    if len(body) > COMMENT_MAX_CHARS:
        raise ExchangeError(
            f"Your comment must be {COMMENT_MAX_CHARS:,} characters or fewer.",
            {"body": f"Comment must be {COMMENT_MAX_CHARS:,} characters or fewer"},
        )
    return body


def _require_comments_open(proposal: Proposal, now: dt.datetime) -> None:
    if proposal.stage == Stage.WITHDRAWN:
        raise ExchangeError("This proposal has been withdrawn, so it no longer takes comments.")
    if not proposal.round.comments_open(now):
        raise ExchangeError("Comments on this round's proposals are closed.")


def _comment_url(comment: Comment) -> str:
    page = reverse("exchange:proposal-detail", kwargs={"slug": comment.proposal.slug})
    return f"{page}#comment-{comment.pk}"


def _notify_people(comment: Comment, actor) -> None:
    """The parent's author hears of a reply; the team hears of every comment. One message per
    person (a reply to a team member's comment is a reply), never to the comment's author."""
    proposal = comment.proposal
    author_name = actor.get_full_name()
    context = {"comment": comment, "proposal": proposal, "author_name": author_name}
    url = _comment_url(comment)
    told = {actor.pk}
    parent = comment.parent
    if (
        parent is not None
        and parent.author_id is not None  # an imported guest has no account to tell
        and parent.author_id not in told
        and parent.hidden_at is None
    ):
        told.add(parent.author_id)
        notify(
            user=parent.author,
            kind=COMMENT_REPLY,
            subject=f"{author_name} replied to your comment on \u201c{proposal.title}\u201d",
            template="exchange/comments/notifications/comment_reply.txt",
            context=context,
            related=comment,
            url=url,
        )
    team = proposal.team.select_related("user").filter(user__isnull=False)
    for member in team:
        if member.role == TeamRole.CO_AUTHOR and member.accepted_at is None:
            continue
        if member.user_id in told:
            continue
        told.add(member.user_id)
        notify(
            user=member.user,
            kind=PROPOSAL_COMMENT,
            subject=f"New comment on \u201c{proposal.title}\u201d",
            template="exchange/comments/notifications/proposal_comment.txt",
            context=context,
            related=comment,
            url=url,
        )


@transaction.atomic
def comment_post(
    *, actor, proposal: Proposal, body: str, parent: Comment | None = None, now=None
) -> Comment:
    """A new comment on `proposal`, or a reply to `parent`. Rules:
    - anyone signed in (members, and other people as guests);
    - only while the round takes comments, and not on withdrawn proposals;
    - a reply answers a visible comment of the same proposal;
    - 1 to COMMENT_MAX_CHARS characters; markdown rendered and sanitised once, here.
    Side effects: the team is notified of the comment and the parent's author of the reply,
    each as they chose in their notification preferences; never the author themselves."""
    require_exchange_perm(actor, "exchange.comment")
    now = now or timezone.now()
    _require_comments_open(proposal, now)
    if parent is not None:
        # Read afresh: a moderator may have hidden it since the replier loaded the page.
        parent = Comment.objects.select_related("author").get(pk=parent.pk)
        if parent.proposal_id != proposal.pk:
            raise ExchangeError("You can only reply to comments on the same proposal.")
        if parent.hidden_at is not None:
            raise ExchangeError("A moderator hid that comment, so you cannot reply to it.")
        if parent.removed_at is not None:
            raise ExchangeError("That comment was removed, so you cannot reply to it.")
    text = _clean_body(body)
    comment = Comment.objects.create(
        proposal=proposal,
        parent=parent,
        author=actor,
        body=text,
        body_html=render_markdown(text),
        created_at=now,
    )
    _notify_people(comment, actor)
    return comment


@transaction.atomic
def comment_edit(*, actor, comment: Comment, body: str, now=None) -> Comment:
    """The author changes their comment within `EXCHANGE_COMMENT_EDIT_MINUTES` of posting it,
    while comments are open and the comment is not hidden. Marks it edited (`edited_at`)."""
    now = now or timezone.now()
    comment = (
        Comment.objects.select_for_update().select_related("proposal__round").get(pk=comment.pk)
    )
    if actor is None or comment.author_id != actor.pk:
        raise ExchangeError("You can only change your own comments.")
    if comment.hidden_at is not None:
        raise ExchangeError("A moderator hid this comment, so it cannot be changed.")
    if now >= comment_editable_until(comment):
        minutes = settings.EXCHANGE_COMMENT_EDIT_MINUTES
        raise ExchangeError(
            f"You can only change a comment in the {minutes} minutes after you post it."
        )
    _require_comments_open(comment.proposal, now)
    text = _clean_body(body)
    if text != comment.body:
        comment.body = text
        comment.body_html = render_markdown(text)
        comment.edited_at = now
        comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def comment_report(*, actor, comment: Comment, reason: str, now=None) -> CommentReport:
    """`actor` asks the moderators to look at `comment`. Once per person and comment; not one's
    own comment, nor one already hidden; a reason is required. Audited."""
    require_exchange_perm(actor, "exchange.comment")
    reason = (reason or "").strip()
    if comment.author_id == actor.pk:
        raise ExchangeError("You cannot report your own comment.")
    if comment.hidden_at is not None:
        raise ExchangeError("A moderator has already hidden this comment.")
    if comment.removed_at is not None:
        raise ExchangeError("This comment was removed when its author deleted their account.")
    if not reason:
        raise ExchangeError(
            "Tell us what is wrong with the comment.", {"reason": "Enter what is wrong"}
        )
    if len(reason) > REPORT_MAX_CHARS:
        raise ExchangeError(
            f"The reason must be {REPORT_MAX_CHARS:,} characters or fewer.",
            {"reason": f"Reason must be {REPORT_MAX_CHARS:,} characters or fewer"},
        )
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, reporter=actor, reason=reason, created_at=now or timezone.now()
            )
            audit_record(
                actor=actor,
                action="exchange_comment.report",
                target=comment,
                data={"report": report.pk},
            )
    except IntegrityError:
        raise ExchangeError("You have already reported this comment.") from None
    return report


def _lock_comment(comment: Comment) -> Comment:
    return Comment.objects.select_for_update().get(pk=comment.pk)


def _resolve_reports(comment: Comment, actor, now: dt.datetime) -> int:
    resolved = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )
    attention_changed(REPORTED_COMMENTS)  # an UPDATE sends no signal
    return resolved


@transaction.atomic
def comment_hide(*, actor, comment: Comment, reason: str, now=None) -> Comment:
    """A moderator hides `comment` with a reason shown in its place; its replies stay. Open
    reports on it are resolved. Audited."""
    require_exchange_perm(actor, "exchange.moderate_comments")
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError(
            "Give the reason for hiding the comment: it is shown in its place.",
            {"reason": "Enter a reason"},
        )
    if len(reason) > HIDE_REASON_MAX_CHARS:
        raise ExchangeError(
            f"The reason must be {HIDE_REASON_MAX_CHARS} characters or fewer.",
            {"reason": f"Reason must be {HIDE_REASON_MAX_CHARS} characters or fewer"},
        )
    comment = _lock_comment(comment)
    if comment.hidden_at is not None:
        raise ExchangeError("This comment is already hidden.")
    now = now or timezone.now()
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = now, actor, reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    resolved = _resolve_reports(comment, actor, now)
    audit_record(
        actor=actor,
        action="exchange_comment.hide",
        target=comment,
        data={"reason": reason, "reports_resolved": resolved},
    )
    return comment


@transaction.atomic
def comment_unhide(*, actor, comment: Comment) -> Comment:
    """A moderator shows a hidden comment again (a mistake undone). Audited with the old
    reason."""
    require_exchange_perm(actor, "exchange.moderate_comments")
    comment = _lock_comment(comment)
    if comment.hidden_at is None:
        raise ExchangeError("This comment is not hidden.")
    reason = comment.hidden_reason
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_record(
        actor=actor, action="exchange_comment.unhide", target=comment, data={"reason": reason}
    )
    return comment


@transaction.atomic
def comment_reports_dismiss(*, actor, comment: Comment, now=None) -> int:
    """A moderator decides the comment may stay: its open reports are resolved. Returns how many.
    Audited."""
    require_exchange_perm(actor, "exchange.moderate_comments")
    comment = _lock_comment(comment)
    resolved = _resolve_reports(comment, actor, now or timezone.now())
    if not resolved:
        raise ExchangeError("This comment has no open reports.")
    audit_record(
        actor=actor,
        action="exchange_comment.dismiss_reports",
        target=comment,
        data={"reports_resolved": resolved},
    )
    return resolved
