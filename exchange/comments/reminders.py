"""Comments closing: 3 days before comments close, the team of a proposal with unanswered
comments is reminded. It is about work the member leads, not a general prompt, so no choice
turns it off."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from qcommunity.reminders.registry import Due, register

from ..proposals.enums import UNDECIDED_STAGES, TeamRole
from ..proposals.models import Proposal, TeamMember
from .models import Comment

COMMENTS_CLOSING_LEAD = dt.timedelta(days=3)


def _by_the_team(author_field: str) -> Q:
    """The comment's author (`author_field`) is on its proposal's team: the lead, a member named
    in the team, or a co-author who accepted the invitation."""
    on_team = TeamMember.objects.filter(
        proposal_id=OuterRef("proposal_id"), user_id=OuterRef(author_field)
    ).exclude(role=TeamRole.CO_AUTHOR, accepted_at__isnull=True)
    return Q(**{author_field: F("proposal__lead_id")}) | Q(Exists(on_team))


def unanswered_comments() -> QuerySet[Comment]:
    """Top-level comments, still shown, by someone outside the team, with no reply from the
    team."""
    team_reply = Comment.objects.filter(parent_id=OuterRef("pk")).filter(_by_the_team("author_id"))
    return (
        Comment.objects.filter(
            proposal_id=OuterRef("pk"),
            parent__isnull=True,
            hidden_at__isnull=True,
            removed_at__isnull=True,
        )
        .exclude(_by_the_team("author_id"))
        .exclude(Exists(team_reply))
    )


@register(
    key="exchange.comments_closing",
    description="Comments closing in 3 days on a proposal with unanswered comments",
    template="reminder_exchange_comments_closing",
    lead=COMMENTS_CLOSING_LEAD,
    grace=dt.timedelta(0),
)
def comments_closing_unanswered(*, since: dt.datetime, until: dt.datetime):
    """Three days before the round's comments close, the team of each proposal still taking
    part (lead and accepted co-authors: the people who can answer for it) hears that comments
    on it are unanswered. Due on the closing time, so each person gets it once per proposal;
    nothing is sent after comments have closed. Two queries."""
    editors = TeamMember.objects.filter(
        Q(role=TeamRole.LEAD) | Q(role=TeamRole.CO_AUTHOR, accepted_at__isnull=False)
    ).select_related("user")
    proposals = (
        Proposal.objects.filter(
            round__published_at__isnull=False,
            round__comments_close_at__gte=since,
            round__comments_close_at__lte=until,
            stage__in=UNDECIDED_STAGES,
        )
        .filter(Exists(unanswered_comments()))
        .select_related("round", "lead")
        .prefetch_related(Prefetch("team", queryset=editors, to_attr="editors"))
        .order_by("round__comments_close_at", "id")
    )
    for proposal in proposals:
        url = settings.SITE_URL + reverse(
            "exchange:proposal-detail", kwargs={"slug": proposal.slug}
        )
        # An imported proposal may have no lead with an account here.
        recipients = {proposal.lead_id: proposal.lead} if proposal.lead_id else {}
        for member in proposal.editors:
            recipients.setdefault(member.user_id, member.user)
        for recipient in recipients.values():
            yield Due(
                obj=proposal,
                recipient=recipient,
                due_date=proposal.round.comments_close_at,
                context={
                    "proposal_title": proposal.title,
                    "closes_at": proposal.round.comments_close_at,
                    "proposal_url": f"{url}#comments",
                },
            )
