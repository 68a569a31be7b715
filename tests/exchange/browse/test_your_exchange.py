"""The Exchange home lists a member's own ideas and proposals and the ones they support, and a
round's page links its results once voting has closed: pages a person reaches by clicking."""

import datetime as dt

import pytest
from django.utils import timezone

from exchange.proposals.models import TeamMember
from exchange.rounds.models import Round
from qcommunity.accounts.enums import Role
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_exchange_home_links_the_members_own_proposals_and_supported_list(client):
    round_ = make_exchange_round()
    lead = UserFactory(roles=[Role.MEMBER])
    co_author = UserFactory(roles=[Role.MEMBER])
    led = make_proposal(round_, lead=lead)
    joined = make_proposal(round_, lead=UserFactory(roles=[Role.MEMBER]))
    TeamMember.objects.create(proposal=joined, user=co_author, accepted_at=timezone.now())
    invited = make_proposal(round_, lead=UserFactory(roles=[Role.MEMBER]))
    TeamMember.objects.create(proposal=invited, user=lead, invited_at=timezone.now())

    client.force_login(lead)
    body = client.get("/exchange/").content.decode()
    assert f'href="/exchange/proposals/{led.slug}/"' in body
    assert f'href="/exchange/proposals/{joined.slug}/"' not in body
    assert f'href="/exchange/proposals/{invited.slug}/"' not in body  # not accepted yet
    assert 'href="/exchange/supported/"' in body

    client.force_login(co_author)
    body = client.get("/exchange/").content.decode()
    assert f'href="/exchange/proposals/{joined.slug}/"' in body
    assert f'href="/exchange/proposals/{led.slug}/"' not in body


def test_exchange_home_shows_visitors_and_non_members_no_personal_section(client):
    make_proposal(make_exchange_round(), lead=UserFactory(roles=[Role.MEMBER]))
    assert "Your Q Exchange" not in client.get("/exchange/").content.decode()
    client.force_login(UserFactory())
    assert "Your Q Exchange" not in client.get("/exchange/").content.decode()


def test_exchange_home_queries_do_not_grow_with_the_members_proposals(client):
    round_ = make_exchange_round()
    lead = UserFactory(roles=[Role.MEMBER])
    make_proposal(round_, lead=lead)
    client.force_login(lead)

    def add(n):
        for _ in range(n):
            make_proposal(round_, lead=lead)

    assert_constant_queries(lambda: client.get("/exchange/"), add, many=5)


def test_round_page_links_the_results_only_once_voting_has_closed(client):
    round_ = make_exchange_round(voting_open=True)
    results = f'href="/exchange/{round_.year}/results/"'
    assert results not in client.get(f"/exchange/{round_.year}/").content.decode()
    Round.objects.filter(pk=round_.pk).update(
        voting_closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert results in client.get(f"/exchange/{round_.year}/").content.decode()
