"""The proposals a person supports and their ballots (see `exchange.personal_data`)."""

from django.db.models import Prefetch
from django.utils import timezone

from qcommunity.privacy.registry import PersonalData, register

from ..proposals.personal_data import proposal_url
from ..rounds.page_cache import exchange_changed
from .models import Ballot, BallotChoice, Support

# Support ---------------------------------------------------------------------------------------


def supports_export(user) -> list[dict]:
    supports = (
        Support.objects.filter(user=user)
        .select_related("proposal__round")
        .order_by("created_at", "id")
    )
    return [
        {
            "proposal": s.proposal.title,
            "address": proposal_url(s.proposal.slug),
            "round": s.proposal.round.name,
            "supported_since": s.created_at,
        }
        for s in supports
    ]


def supports_erase(user) -> None:
    Support.objects.filter(user=user).delete()
    exchange_changed()


# Ballots ---------------------------------------------------------------------------------------


def ballots_export(user) -> list[dict]:
    ballots = (
        Ballot.objects.filter(voter=user)
        .select_related("round")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=BallotChoice.objects.select_related("proposal", "theme").order_by(
                    "theme__position", "proposal__title", "id"
                ),
            )
        )
        .order_by("round__year", "id")
    )
    return [
        {
            "round": b.round.name,
            "round_year": b.round.year,
            "cast_at": b.created_at,
            "last_changed_at": b.updated_at,
            "voting_closed": b.round.voting_closed(),
            "choices": [
                {
                    "theme": c.theme.name,
                    "proposal": c.proposal.title,
                    "address": proposal_url(c.proposal.slug),
                }
                for c in b.choices.all()
            ],
        }
        for b in ballots
    ]


def ballots_erase(user) -> None:
    """A ballot in a round whose voting has closed was counted: it stays, the tombstone's. A
    ballot in a round still open for voting is deleted with its choices. The deferred ballot
    triggers (exchange migration 0002) then find no ballot to check, which they allow."""
    still_open = Ballot.objects.filter(voter=user, round__voting_closes_at__gt=timezone.now())
    BallotChoice.objects.filter(ballot__in=still_open).delete()
    still_open.delete()
    exchange_changed()


register(
    PersonalData(
        key="exchange.supports",
        label="Q Exchange proposals you support",
        on_delete="Deleted.",
        export=supports_export,
        erase=supports_erase,
        order=43,
    )
)


register(
    PersonalData(
        key="exchange.ballots",
        label="Your Q Exchange ballots",
        on_delete="A ballot in a round where voting is still open is deleted. A ballot in a "
        'round where voting has closed was counted, so it stays, as "Former member".',
        export=ballots_export,
        erase=ballots_erase,
        order=44,
    )
)
