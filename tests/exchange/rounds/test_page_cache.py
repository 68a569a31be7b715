"""Visitors share cached renderings of the round and proposal pages (exchange.rounds.page_cache).
These tests prove the cache never shows anything stale: every change to Exchange, a name or a role,
and every date passing, is seen on the next request; signed-in people are never served from it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.comments.services import comment_hide, comment_post
from exchange.proposals.models import Proposal
from exchange.proposals.services import proposal_update
from exchange.rounds.models import Round
from exchange.rounds.services import round_update_dates
from qcommunity.accounts.enums import Role
from qcommunity.accounts.services import role_grant
from tests.exchange.comments.helpers import guest, member, moderator, open_proposal
from tests.factories.panels import staff_user
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def detail(proposal) -> str:
    return reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})


def text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitors_second_request_is_served_from_the_cache_in_few_queries(client):
    proposal = open_proposal()
    for n in range(30):
        comment_post(actor=member(), proposal=proposal, body=f"Comment {n}")
    client.get(detail(proposal))
    cached, _ = count_queries(lambda: client.get(detail(proposal)))
    assert cached <= 2  # the proposal's heading and round (visibility), nothing else
    round_url = reverse("exchange:round-detail", kwargs={"year": proposal.round.year})
    client.get(round_url)
    assert count_queries(lambda: client.get(round_url))[0] <= 3


def test_a_new_comment_a_hidden_one_and_an_edit_show_at_once(client):
    proposal = open_proposal()
    assert "First thoughts" not in text(client, detail(proposal))
    first = comment_post(actor=member(), proposal=proposal, body="First thoughts")
    assert "First thoughts" in text(client, detail(proposal))
    comment_hide(actor=moderator(), comment=first, reason="Off topic")
    page = text(client, detail(proposal))
    assert "First thoughts" not in page
    assert "Off topic" in page
    proposal_update(actor=proposal.lead, proposal=Proposal.objects.get(pk=proposal.pk),
                    title="A better title", summary=proposal.summary, theme=proposal.theme,
                    answers={})  # fmt: skip
    assert "A better title" in text(client, detail(proposal))
    round_url = reverse("exchange:round-detail", kwargs={"year": proposal.round.year})
    assert "A better title" in text(client, round_url)


def test_a_name_or_a_role_changing_shows_at_once(client):
    proposal = open_proposal()
    visitor_of_site = guest("Gina Guest")
    comment_post(actor=visitor_of_site, proposal=proposal, body="Hello")
    assert "Guest" in text(client, detail(proposal))
    role_grant(user=visitor_of_site, role=Role.MEMBER, actor=staff_user())
    visitor_of_site.full_name = "Gina Member"
    visitor_of_site.save(update_fields=["full_name"])
    page = text(client, detail(proposal))
    assert "Gina Member" in page


def test_dates_passing_change_the_page_without_any_write(client):
    proposal = open_proposal()
    assert "Sign in to comment" in text(client, detail(proposal))
    now = timezone.now()
    # Written straight to the table: no signal, no version change; only time moved on.
    Round.objects.filter(pk=proposal.round_id).update(
        proposals_close_at=now - dt.timedelta(hours=2),
        comments_close_at=now - dt.timedelta(hours=1),
        voting_opens_at=now - dt.timedelta(hours=1),
    )
    page = text(client, detail(proposal))
    assert "Comments closed on" in page
    assert "Sign in to comment" not in page


def test_signed_in_people_never_get_the_visitors_copy(client):
    proposal = open_proposal()
    assert "Sign in to comment" in text(client, detail(proposal))
    client.force_login(member())
    page = text(client, detail(proposal))
    assert "Sign in to comment" not in page
    assert "Your comment" in page


def test_unpublished_rounds_stay_hidden_from_visitors_even_after_a_cached_visit(client):
    proposal = open_proposal()
    text(client, detail(proposal))
    round_update_dates(actor=staff_user(), round_=proposal.round, dates={})
    Round.objects.filter(pk=proposal.round_id).update(published_at=None)
    assert client.get(detail(proposal)).status_code == 404
    round_url = reverse("exchange:round-detail", kwargs={"year": proposal.round.year})
    assert client.get(round_url).status_code == 404
