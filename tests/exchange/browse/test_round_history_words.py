"""The words follow what happened: a round that never had a vote or a decision does not say
"0 members voted" or "Decisions were announced"; counts meet their nouns in the right number
(0, 1 and 2)."""

import pytest
from django.test import Client
from django.urls import reverse

from exchange.proposals.enums import Stage
from exchange.proposals.models import Proposal
from tests.exchange.comments.helpers import member
from tests.exchange.voting.test_voting_pages import cast_in_the_past
from tests.factories.exchange import announce_decisions, make_exchange_round, make_proposal

pytestmark = pytest.mark.django_db


def html(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def closed_round(*, proposals: int = 3):
    round_ = make_exchange_round(themes=1, choices_per_theme=1)
    lead = member()
    made = [make_proposal(round_, lead=lead) for _ in range(proposals)]
    return round_, made


def pages(round_, proposal):
    year = {"year": round_.year}
    return {
        "round": reverse("exchange:round-detail", kwargs=year),
        "list": reverse("exchange:round-list"),
        "results": reverse("exchange:results", kwargs=year),
        "proposal": reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}),
    }


def test_a_round_without_votes_or_decisions_says_neither_happened():
    round_, (proposal, *_) = closed_round()
    round_ = announce_decisions(round_)
    u = pages(round_, proposal)
    for name in ("round", "list"):
        page = html(u[name])
        assert "This round has closed." in page
        assert "Decisions were announced" not in page
    assert "voted for this proposal" not in html(u["proposal"])
    results = html(u["results"])
    assert "no ballots were cast in this round" in results
    assert "<table" not in results


def test_a_round_with_a_decision_says_decisions_were_announced():
    round_, (proposal, other, _) = closed_round()
    Proposal.objects.filter(pk=other.pk).update(
        stage=Stage.NOT_FUNDED, decided_at=round_.voting_closes_at
    )
    round_ = announce_decisions(round_)
    for name in ("round", "list"):
        page = html(pages(round_, proposal)[name])
        assert "Decisions were announced on" in page
        assert "This round has closed." not in page


@pytest.mark.parametrize(
    ("votes", "words"),
    [
        (0, "No members voted for this proposal."),
        (1, "1 member voted for this proposal."),
        (2, "2 members voted for this proposal."),
    ],
)
def test_a_proposals_votes_meet_their_noun(votes, words):
    round_, (proposal, other, _) = closed_round()
    for n in range(2):
        cast_in_the_past(round_, member(), [proposal if n < votes else other])
    round_ = announce_decisions(round_)
    page = html(pages(round_, proposal)["proposal"])
    assert words in page
    assert "0 members voted" not in page
