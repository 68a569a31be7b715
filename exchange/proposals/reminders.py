"""The proposal deadline: the team of an idea not yet developed into a full proposal is reminded
before the round's proposal deadline. It is about work the member leads, so no choice turns it
off."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from qcommunity.reminders.registry import Due, register

from .enums import Stage
from .models import Proposal

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
            lead__isnull=False,  # an imported idea may have no lead with an account here
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
