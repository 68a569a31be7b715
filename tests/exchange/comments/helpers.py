"""Builders shared by the comment tests: people around a proposal and a thread of any size."""

import datetime as dt
import itertools

from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from exchange.comments.models import Comment, CommentReport
from exchange.proposals.enums import TeamRole
from exchange.proposals.models import Proposal, TeamMember
from members.directory.enums import Visibility
from qcommunity.accounts.enums import Role
from qcommunity.core.markdown import render_markdown
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.factories.members import ProfileFactory

_slugs = itertools.count(1)


def member(name: str = "", public: bool = True):
    user = UserFactory(roles=[Role.MEMBER], **({"full_name": name} if name else {}))
    if public:
        ProfileFactory(
            user=user, visibility=Visibility.PUBLIC, slug=f"comment-member-{next(_slugs)}"
        )
    return user


def guest(name: str = ""):
    return UserFactory(**({"full_name": name} if name else {}))


def moderator():
    user = UserFactory(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR], full_name="Mo Derator")
    TOTP.activate(user, TOTP_SECRET)
    return user


def open_proposal(*, voting_open: bool = False, **kwargs) -> Proposal:
    """A proposal whose round takes comments now (unless `voting_open`: then they have
    closed), led by a member with a public directory entry."""
    round_ = make_exchange_round(voting_open=voting_open)
    return make_proposal(round_, lead=member("Lena Lead"), **kwargs)


def add_co_author(proposal: Proposal, *, accepted: bool = True):
    user = member("Cora Author")
    TeamMember.objects.create(
        proposal=proposal,
        user=user,
        role=TeamRole.CO_AUTHOR,
        position=2,
        invited_at=timezone.now(),
        accepted_at=timezone.now() if accepted else None,
    )
    return user


def make_thread(proposal: Proposal, size: int, *, authors, reporter=None) -> list[Comment]:
    """`size` comments in the shapes a real thread has: top-level comments with replies nested
    up to five deep, every fifth one edited, every seventh one hidden, and every third one
    reported by `reporter`. Written in bulk (the services are tested on their own)."""
    start = timezone.now() - dt.timedelta(days=3)
    comments: list[Comment] = []
    for n in range(size):
        author = authors[n % len(authors)]
        parent = None
        if n % 6 and comments:
            parent = comments[-1] if n % 6 < 5 else comments[max(0, len(comments) - 3)]
        hidden = n % 7 == 6
        text = f"Comment **{n}** on the plan"
        comment = Comment(
            proposal=proposal,
            parent=parent,
            author=author,
            body=text,
            body_html=render_markdown(text),
            created_at=start + dt.timedelta(minutes=n),
            edited_at=start + dt.timedelta(minutes=n, seconds=30) if n % 5 == 4 else None,
            hidden_at=start + dt.timedelta(hours=1) if hidden else None,
            hidden_reason="It was abusive" if hidden else "",
        )
        comment.save()
        comments.append(comment)
    if reporter is not None:
        CommentReport.objects.bulk_create(
            CommentReport(comment=c, reporter=reporter, reason="Rude")
            for c in comments[::3]
            if c.author_id != reporter.pk
        )
    return comments
