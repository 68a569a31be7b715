"""The Q Exchange rows of the benchmark database, on a small scale: a published round with its
proposals in several stages, one proposal with a threaded discussion, search columns filled,
ids that continue, pages that answer, and reuse when the numbers are the same."""

import pytest
from django.urls import reverse

from bench.seed import seed_users
from bench.seed_exchange import (
    BENCH_YEAR,
    DISCUSSED_SLUG,
    ensure_exchange_seeded,
    seed_exchange_round,
)
from exchange.browse.selectors import proposal_search
from exchange.comments.models import Comment
from exchange.proposals.enums import TeamRole
from exchange.proposals.models import Proposal, TeamMember
from exchange.rounds.models import Round
from exchange.voting.models import Support
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    seed_users(60)


def test_seeds_a_published_round_with_proposals_and_one_much_discussed_proposal(members):
    summary = seed_exchange_round(proposals=80, comments=30)
    round_ = Round.objects.get(year=BENCH_YEAR)
    assert summary["year"] == BENCH_YEAR
    assert summary["slug"] == DISCUSSED_SLUG
    assert round_.is_published()
    assert round_.accepts_ideas()
    proposals = Proposal.objects.filter(round=round_)
    assert proposals.count() == 80
    assert {"proposal", "idea"} <= set(proposals.values_list("stage", flat=True))
    assert not proposals.filter(search_vector__isnull=True).exists()
    assert proposals.filter(regions=[]).count() == 0
    # Every proposal has its lead in the team, once.
    leads = TeamMember.objects.filter(proposal__in=proposals, role=TeamRole.LEAD)
    assert leads.count() == 80
    assert all(t.user_id == t.proposal.lead_id for t in leads.select_related("proposal"))

    discussed = Proposal.objects.get(slug=DISCUSSED_SLUG)
    thread = Comment.objects.filter(proposal=discussed)
    assert thread.count() == 30
    assert thread.filter(parent__isnull=True).count() == 10
    assert not thread.filter(parent__isnull=False).exclude(parent__proposal=discussed).exists()
    assert all(c.body_html for c in thread)
    # Other cards have comment and supporter counts to show.
    assert Comment.objects.filter(proposal__round=round_).exclude(proposal=discussed).exists()
    assert Support.objects.filter(proposal__round=round_).count() == summary["supports"] > 0

    found = proposal_search(proposals, discussed.title.split(" in ")[0])
    assert discussed in found
    # The id sequences were moved past the copied rows, so ordinary inserts still work.
    make_proposal(round_, lead=UserFactory())
    Comment.objects.create(proposal=discussed, author=discussed.lead, body="x", body_html="x")


def test_the_benchmarked_pages_answer(members, client):
    seed_exchange_round(proposals=40, comments=12)
    assert client.get(reverse("exchange:round-detail", args=[BENCH_YEAR])).status_code == 200
    page = client.get(reverse("exchange:proposal-detail", args=[DISCUSSED_SLUG]))
    assert page.status_code == 200
    assert page.content.decode().count('id="comment-') == 12


def test_ensure_reuses_the_same_numbers_and_replaces_other_ones(members):
    first = ensure_exchange_seeded(30, 9)
    assert first["reused"] is False
    again = ensure_exchange_seeded(30, 9)
    assert again["reused"] is True
    assert again["slug"] == DISCUSSED_SLUG
    assert Proposal.objects.filter(round__year=BENCH_YEAR).count() == 30
    other = ensure_exchange_seeded(20, 6)
    assert other["reused"] is False
    assert Round.objects.filter(year=BENCH_YEAR).count() == 1
    assert Proposal.objects.filter(round__year=BENCH_YEAR).count() == 20
    assert Comment.objects.filter(proposal__slug=DISCUSSED_SLUG).count() == 6


def test_needs_members():
    with pytest.raises(RuntimeError, match="members"):
        seed_exchange_round(proposals=5, comments=2)
