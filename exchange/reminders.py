"""Reminders Q Exchange registers with the reminders engine (qcommunity.reminders).

Voting closing: 2 days before voting closes in a round, each member who has not voted is
reminded, once per round, unless they turned "Reminders to vote" off at /me/notifications/ (the
notification kind EXCHANGE_VOTING_REMINDER). Choosing the daily summary for it still sends it in
its own email, as the kind's description tells them: it is about a closing date, and the morning
summary could arrive too late to act on. Voting stops it.

Comments closing and the proposal deadline go to the team of the proposal concerned: they are
about work the member leads, not a general prompt, so no choice turns them off.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from qcommunity.notifications.selectors import notification_wanted
from qcommunity.reminders.registry import Due, register

from .enums import UNDECIDED_STAGES, Stage, TeamRole
from .models import Ballot, Comment, Proposal, Round, TeamMember
from .notifications import EXCHANGE_VOTING_REMINDER
from .selectors_voting import eligible_voters

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
        recipients = {proposal.lead_id: proposal.lead}
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


VOTING_REMINDER_BEFORE_CLOSING = dt.timedelta(days=2)


@register(
    key="exchange.voting_closing",
    description="Q Exchange voting closes in 2 days and the member has not voted",
    template="reminder_exchange_voting_closing",
    lead=dt.timedelta(0),
    grace=dt.timedelta(hours=12),
    notification_kind=EXCHANGE_VOTING_REMINDER,
)
def members_not_voted_before_closing(*, since: dt.datetime, until: dt.datetime):
    """Members (active, with the member role) with no ballot in a published round whose voting
    closes 2 days after a time in [since, until], if voting was open by then, and who have not
    turned reminders to vote off (in the same query, so those members are never loaded). One
    query for the rounds, then one for the members of each round."""
    before = VOTING_REMINDER_BEFORE_CLOSING
    rounds = Round.objects.filter(
        published_at__isnull=False,
        voting_closes_at__gte=since + before,
        voting_closes_at__lte=until + before,
    ).order_by("voting_closes_at", "id")
    for round_ in rounds:
        due_date = round_.voting_closes_at - before
        if due_date < round_.voting_opens_at:
            continue  # a window shorter than 2 days: there is nothing to remind of yet
        voted = Ballot.objects.filter(round=round_, voter=OuterRef("pk"))
        members = (
            eligible_voters()
            .filter(~Exists(voted))
            .filter(notification_wanted(EXCHANGE_VOTING_REMINDER))
            .only("id", "email", "is_active", "full_name", "preferred_name")
            .order_by("id")
        )
        ballot_url = settings.SITE_URL + reverse("exchange:ballot", kwargs={"year": round_.year})
        for member in members:
            yield Due(
                obj=round_,
                recipient=member,
                due_date=due_date,
                context={
                    "round_name": round_.name,
                    "closes_at": round_.voting_closes_at,
                    "choices_per_theme": round_.choices_per_theme,
                    "ballot_url": ballot_url,
                },
            )


PROPOSAL_DEADLINE_LEAD = dt.timedelta(days=7)


@register(
    key="exchange.proposal_deadline",
    description="Proposals close in 7 days and the idea has not become a full proposal",
    template="reminder_exchange_proposal_deadline",
    lead=PROPOSAL_DEADLINE_LEAD,
    grace=dt.timedelta(0),
)
def ideas_not_developed_before_deadline(*, since: dt.datetime, until: dt.datetime):
    """Seven days before a published round's proposals close, the lead of each idea still not
    developed into a full proposal is reminded, once per idea. Due on the closing time, so
    nothing is sent once proposals have closed, and developing (or withdrawing) the idea first
    stops it. One query."""
    ideas = (
        Proposal.objects.filter(
            round__published_at__isnull=False,
            round__proposals_close_at__gte=since,
            round__proposals_close_at__lte=until,
            stage=Stage.IDEA,
        )
        .select_related("round", "lead")
        .order_by("round__proposals_close_at", "id")
    )
    for idea in ideas:
        yield Due(
            obj=idea,
            recipient=idea.lead,
            due_date=idea.round.proposals_close_at,
            context={
                "proposal_title": idea.title,
                "round_name": idea.round.name,
                "closes_at": idea.round.proposals_close_at,
                "develop_url": settings.SITE_URL
                + reverse("exchange:proposal-develop", kwargs={"slug": idea.slug}),
            },
        )
