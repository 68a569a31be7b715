"""Funding outcomes (funded, not funded) are recorded when the moderators decide and told to the
team at once, but shown to everyone else only from the round's announcement date, together.
Before it, a visitor or a member sees a decided proposal as it stood before (shortlisted, or a
proposal) on every page: the proposal's own page, the round's cards, its stage filter and
counts, the results, the Atom feed, and the pages cached for visitors; the team, moderators and
staff see the outcome. Shortlisting is not held back (it is the stage on the way, on the
ballot)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange.decisions.services import progress_update_post, proposal_decide
from exchange.proposals.enums import Stage
from exchange.rounds.models import Round
from tests.exchange.comments.helpers import member, moderator
from tests.exchange.voting.test_voting_pages import cast_in_the_past
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.factories.panels import staff_user

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
FUNDED_TAG = 'nhsuk-tag--green">Funded<'
NOT_FUNDED_TAG = 'nhsuk-tag--grey">Not funded<'
SHORTLISTED_TAG = 'nhsuk-tag--purple">Shortlisted<'
PROPOSAL_TAG = 'nhsuk-tag--blue">Proposal<'


@pytest.fixture
def decided():
    """Voting closed yesterday, decisions announced in ten days; one shortlisted proposal
    funded, one proposal not funded, both decided already."""
    round_ = make_exchange_round(themes=1)
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(
        voting_opens_at=now - 3 * DAY, voting_closes_at=now - DAY, decisions_at=now + 10 * DAY
    )
    round_.refresh_from_db()
    lead = member("Fay Lead")
    funded = make_proposal(round_, lead=lead, stage=Stage.SHORTLISTED)
    declined = make_proposal(round_, lead=member("Dee Other"), stage=Stage.PROPOSAL)
    cast_in_the_past(round_, member(), [funded, declined])  # so the results have a table
    mod = moderator()
    funded = proposal_decide(actor=mod, proposal=funded, action="fund", reason="Clear plan")
    declined = proposal_decide(actor=mod, proposal=declined, action="not_fund", reason="Vague")
    progress_update_post(
        actor=lead, proposal=funded, title="Our first month", body="We met the wards."
    )
    return round_, funded, declined, lead


def client_as(kind: str, lead) -> Client:
    client = Client()
    people = {"member": member, "staff": staff_user, "moderator": moderator}
    if kind == "team":
        client.force_login(lead)
    elif kind != "visitor":
        client.force_login(people[kind]())
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def urls(round_, proposal):
    year = {"year": round_.year}
    return {
        "round": reverse("exchange:round-detail", kwargs=year),
        "funded_filter": reverse("exchange:round-detail", kwargs=year) + "?stage=funded",
        "not_funded_filter": reverse("exchange:round-detail", kwargs=year) + "?stage=not_funded",
        "shortlisted_filter": reverse("exchange:round-detail", kwargs=year) + "?stage=shortlisted",
        "list": reverse("exchange:round-list"),
        "feed": reverse("exchange:round-feed", kwargs=year),
        "results": reverse("exchange:results", kwargs=year),
        "proposal": reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}),
        "print": reverse("exchange:proposal-print", kwargs={"slug": proposal.slug}),
    }


def move_clock(monkeypatch, to):
    monkeypatch.setattr(timezone, "now", lambda: to)


@pytest.mark.parametrize("kind", ["visitor", "member"])
def test_before_the_announcement_others_see_the_stage_before_the_decision(decided, kind):
    round_, funded, declined, lead = decided
    client = client_as(kind, lead)
    u = urls(round_, funded)
    for _ in range(2):  # the second time from the visitors' cache
        body = page(client, u["proposal"])
        assert SHORTLISTED_TAG in body
        assert FUNDED_TAG not in body
        assert "Our first month" not in body
        assert "Clear plan" not in body
        declined_page = page(client, urls(round_, declined)["proposal"])
        assert PROPOSAL_TAG in declined_page
        assert NOT_FUNDED_TAG not in declined_page

        cards = page(client, u["round"])
        assert "Decisions will be announced on" in cards
        assert FUNDED_TAG not in cards
        assert NOT_FUNDED_TAG not in cards
        assert SHORTLISTED_TAG in cards
        for name in ("funded_filter", "not_funded_filter"):
            filtered = page(client, u[name])
            assert funded.title not in filtered
            assert declined.title not in filtered
            assert "0 ideas and proposals found" in filtered
        assert funded.title in page(client, u["shortlisted_filter"])
        assert "funded" not in page(client, u["list"]).split("Decisions:")[1].split("</li>")[1]

        feed = page(client, u["feed"])
        assert 'term="Funded"' not in feed
        assert 'term="Not funded"' not in feed
        assert 'term="Shortlisted"' in feed

        results = page(client, u["results"])
        assert FUNDED_TAG not in results
        assert NOT_FUNDED_TAG not in results
        printed = page(client, u["print"])
        assert "Shortlisted ·" in printed
        assert "Funded" not in printed


@pytest.mark.parametrize("kind", ["team", "moderator", "staff"])
def test_the_team_moderators_and_staff_see_the_outcome_at_once(decided, kind):
    round_, funded, declined, lead = decided
    client = client_as(kind, lead)
    u = urls(round_, funded)
    body = page(client, u["proposal"])
    assert FUNDED_TAG in body
    assert "Only the team, moderators and staff can see this decision until" in body
    assert "Our first month" in body
    filtered = page(client, u["funded_filter"])
    assert funded.title in filtered
    assert "1 idea or proposal found" in filtered
    if kind != "team":  # the team sees its own outcome, not the others'
        assert declined.title in page(client, u["not_funded_filter"])
        assert ", 1 funded" in page(client, u["list"])
        assert 'term="Funded"' in page(client, u["feed"])
    else:
        assert declined.title not in page(client, u["not_funded_filter"])


@pytest.mark.parametrize("kind", ["visitor", "member", "team", "staff"])
def test_from_the_announcement_everyone_sees_the_outcomes_together(decided, kind, monkeypatch):
    round_, funded, declined, lead = decided
    client = client_as(kind, lead)
    u = urls(round_, funded)
    page(client, u["proposal"])  # a visitor's copy cached before the date
    page(client, u["round"])
    move_clock(monkeypatch, round_.decisions_at + dt.timedelta(minutes=1))
    body = page(client, u["proposal"])
    assert FUNDED_TAG in body
    assert "Our first month" in body
    assert "Only the team, moderators and staff" not in body
    assert NOT_FUNDED_TAG in page(client, urls(round_, declined)["proposal"])
    cards = page(client, u["round"])
    assert "Decisions were announced on" in cards
    assert FUNDED_TAG in cards
    assert funded.title in page(client, u["funded_filter"])
    assert declined.title in page(client, u["not_funded_filter"])
    assert ", 1 funded" in page(client, u["list"])
    assert 'term="Funded"' in page(client, u["feed"])
    assert FUNDED_TAG in page(client, u["results"])


def test_a_visitors_page_cached_after_the_date_is_not_served_before_it(decided, monkeypatch):
    """The other way round: with the clock set back (a server behind, a test), the phase in the
    key keeps the copy rendered after the announcement from being served before it."""
    round_, funded, _, _ = decided
    client = Client()
    u = urls(round_, funded)
    real_now = timezone.now()
    move_clock(monkeypatch, round_.decisions_at + dt.timedelta(minutes=1))
    assert FUNDED_TAG in page(client, u["proposal"])
    assert FUNDED_TAG in page(client, u["round"])
    move_clock(monkeypatch, real_now)
    assert FUNDED_TAG not in page(client, u["proposal"])
    assert FUNDED_TAG not in page(client, u["round"])
