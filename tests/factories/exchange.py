"""Builders for Q Exchange rows. Until the Exchange services exist these write rows directly,
in the shapes the services will keep (stage times set with the stage)."""

import datetime as dt
import itertools

from django.db.models import F
from django.utils import timezone

from exchange.proposals.enums import Stage, TeamRole
from exchange.proposals.models import Proposal, TeamMember
from exchange.rounds.models import Round, Section, Theme

_numbers = itertools.count(1)


def make_exchange_round(
    *,
    year: int | None = None,
    themes: int = 2,
    sections: int = 3,
    choices_per_theme: int = 2,
    voting_open: bool = True,
) -> Round:
    """A published round. With `voting_open`, voting is open now (comments and proposals have
    closed); otherwise ideas are open now and voting is in the future."""
    now = timezone.now()
    day = dt.timedelta(days=1)
    if voting_open:
        opens_at, proposals_close_at = now - 60 * day, now - 10 * day
        comments_close_at, voting_opens_at = now - 5 * day, now - 2 * day
    else:
        opens_at, proposals_close_at = now - 5 * day, now + 30 * day
        comments_close_at, voting_opens_at = now + 40 * day, now + 45 * day
    round_ = Round.objects.create(
        year=year or 2100 + next(_numbers),
        name=f"Q Exchange test round {next(_numbers)}",
        opens_at=opens_at,
        proposals_close_at=proposals_close_at,
        comments_close_at=comments_close_at,
        voting_opens_at=voting_opens_at,
        voting_closes_at=voting_opens_at + 14 * day,
        decisions_at=voting_opens_at + 30 * day,
        funding_cap=30000,
        choices_per_theme=choices_per_theme,
        published_at=opens_at,
    )
    for position in range(1, themes + 1):
        Theme.objects.create(
            round=round_,
            position=position,
            name=f"Theme {position}",
            question=f"How can we improve with theme {position}?",
        )
    for position in range(1, sections + 1):
        Section.objects.create(
            round=round_, position=position, question=f"Question {position}?", word_limit=300
        )
    return round_


def make_proposal(round_: Round, *, lead, theme: Theme | None = None, stage=Stage.PROPOSAL):
    number = next(_numbers)
    now = timezone.now()
    proposal = Proposal.objects.create(
        round=round_,
        theme=theme or round_.themes.first(),
        slug=f"test-proposal-{number}",
        title=f"Test proposal {number}",
        summary="A one-line summary of what the project will do.",
        stage=stage,
        lead=lead,
        developed_at=now if stage != Stage.IDEA else None,
        decided_at=now if stage in (Stage.SHORTLISTED, Stage.FUNDED, Stage.NOT_FUNDED) else None,
        shortlisted_at=now if stage in (Stage.SHORTLISTED, Stage.FUNDED) else None,
        withdrawn_at=now if stage == Stage.WITHDRAWN else None,
    )
    TeamMember.objects.create(proposal=proposal, user=lead, role=TeamRole.LEAD)
    return proposal


ROUND_DATES = (
    "opens_at",
    "proposals_close_at",
    "comments_close_at",
    "voting_opens_at",
    "voting_closes_at",
    "decisions_at",
)


def announce_decisions(round_: Round) -> Round:
    """Move the round's whole timeline back, in order, so that its decisions were announced an
    hour ago (funding outcomes are public from then)."""
    round_.refresh_from_db()
    shift = timezone.now() - dt.timedelta(hours=1) - round_.decisions_at
    Round.objects.filter(pk=round_.pk).update(**{name: F(name) + shift for name in ROUND_DATES})
    round_.refresh_from_db()
    return round_
