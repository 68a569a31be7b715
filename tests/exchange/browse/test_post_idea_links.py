"""Posting an idea and turning it into a proposal are reached by links, shown only while the
round allows them and only to those who may do them (issue 13 point 2). The round page is cached
for visitors (exchange.rounds.page_cache): a visitor's rendering never holds the members'
button, and a member never gets the visitors' rendering."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.proposals.enums import Stage
from exchange.proposals.services import team_member_add
from exchange.rounds.models import Round
from qcommunity.accounts.enums import Role
from tests.exchange.proposals.helpers import idea, member
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round
from tests.factories.panels import two_factor_user

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def round_url(round_) -> str:
    return reverse("exchange:round-detail", kwargs={"year": round_.year})


def new_url(round_) -> str:
    return reverse("exchange:idea-new", kwargs={"year": round_.year})


EXCHANGE_HOME = reverse("exchange:round-list")


@pytest.mark.parametrize("where", ["home", "round"])
def test_a_member_sees_post_an_idea_while_the_round_takes_ideas(client, where):
    round_ = make_exchange_round(voting_open=False)
    client.force_login(member())
    html = page(client, EXCHANGE_HOME if where == "home" else round_url(round_))
    assert f'href="{new_url(round_)}"' in html
    assert "Post an idea" in html
    assert "Sign in to post an idea" not in html


@pytest.mark.parametrize("where", ["home", "round"])
def test_nobody_sees_post_an_idea_once_the_round_stops_taking_ideas(client, where):
    round_ = make_exchange_round(voting_open=True)
    for viewer in (member(), None):
        client.logout()
        if viewer:
            client.force_login(viewer)
        html = page(client, EXCHANGE_HOME if where == "home" else round_url(round_))
        assert new_url(round_) not in html
        assert "Post an idea" not in html
        assert "Sign in to post an idea" not in html


def test_a_round_not_yet_open_offers_no_idea_button(client):
    round_ = make_exchange_round(voting_open=False)
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(opens_at=now + dt.timedelta(days=1))
    client.force_login(member())
    assert new_url(round_) not in page(client, round_url(round_))


@pytest.mark.parametrize("where", ["home", "round"])
def test_a_signed_in_non_member_is_told_how_to_join_not_offered_the_button(client, where):
    round_ = make_exchange_round(voting_open=False)
    client.force_login(UserFactory())
    html = page(client, EXCHANGE_HOME if where == "home" else round_url(round_))
    assert new_url(round_) not in html
    assert "Only Q members can post ideas" in html
    assert reverse("members:join") in html


def test_the_visitors_cached_round_page_and_the_members_page_never_mix(client):
    round_ = make_exchange_round(voting_open=False)
    # A visitor's rendering is cached first; a member then gets their own page.
    visitor_html = page(client, round_url(round_))
    assert "Sign in to post an idea" in visitor_html
    assert new_url(round_) not in visitor_html
    client.force_login(member())
    member_html = page(client, round_url(round_))
    assert new_url(round_) in member_html
    assert "Sign in to post an idea" not in member_html
    # ... and the member's page never reaches the cache visitors read.
    client.logout()
    again = page(client, round_url(round_))
    assert new_url(round_) not in again
    assert "Sign in to post an idea" in again


def test_the_visitors_cached_page_follows_the_round_closing_to_ideas(client):
    round_ = make_exchange_round(voting_open=False)
    assert "Sign in to post an idea" in page(client, round_url(round_))
    now = timezone.now()
    # Straight to the table: no signal; only the round's phase moved on.
    Round.objects.filter(pk=round_.pk).update(
        proposals_close_at=now - dt.timedelta(hours=1), opens_at=now - dt.timedelta(days=9)
    )
    assert "Sign in to post an idea" not in page(client, round_url(round_))


# Turning an idea into a full proposal ----------------------------------------------------------

DEVELOP = "Turn your idea into a full proposal"


def detail_url(proposal) -> str:
    return reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})


def test_the_team_sees_the_develop_link_while_the_round_takes_proposals(client):
    proposal = idea()
    co_author = member()
    team_member_add(actor=proposal.lead, proposal=proposal, user=co_author, co_author=True)
    client.force_login(proposal.lead)
    assert DEVELOP in page(client, detail_url(proposal))


def test_others_never_see_the_develop_link(client):
    proposal = idea()
    for viewer in (member(), UserFactory(), two_factor_user(roles=[Role.EXCHANGE_MODERATOR])):
        client.force_login(viewer)
        assert DEVELOP not in page(client, detail_url(proposal))
    client.logout()
    assert DEVELOP not in page(client, detail_url(proposal))


def test_the_develop_link_goes_once_the_proposal_deadline_passes(client):
    proposal = idea()
    now = timezone.now()
    Round.objects.filter(pk=proposal.round_id).update(
        opens_at=now - dt.timedelta(days=9), proposals_close_at=now - dt.timedelta(minutes=1)
    )
    client.force_login(proposal.lead)
    assert DEVELOP not in page(client, detail_url(proposal))


def test_a_full_proposal_has_no_develop_link(client):
    proposal = idea(stage=Stage.PROPOSAL)
    client.force_login(proposal.lead)
    assert DEVELOP not in page(client, detail_url(proposal))
