"""Voting closing: 2 days before voting closes in a round, each member who has not voted is
reminded, once per round, unless they turned "Reminders to vote" off at /me/notifications/ (the
notification kind EXCHANGE_VOTING_REMINDER). Choosing the daily summary for it still sends it in
its own email, as the kind's description tells them: it is about a closing date, and the morning
summary could arrive too late to act on. Voting stops it."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse

from qcommunity.notifications.selectors import notification_wanted
from qcommunity.reminders.registry import Due, register

from ..rounds.models import Round
from .models import Ballot
from .notifications import EXCHANGE_VOTING_REMINDER
from .selectors import eligible_voters

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
