"""The supporting and voting pages: the support button (with and without htmx), the proposals a
member supports, the ballot (before, during and after the window; errors that keep the
choices; changing it), the member's own ballot, the results (hidden from everyone, staff
included, until voting closes) and turnout; with the same queries for few and many proposals."""

import datetime as dt
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange.proposals.enums import Stage
from exchange.proposals.models import Proposal
from exchange.rounds.models import Round
from exchange.rounds.services import ExchangeError
from exchange.voting.models import Ballot, BallotChoice, Support
from exchange.voting.services import ballot_cast, support_add
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from tests.exchange.voting.test_voting_services import ids, move_window, standing_round
from tests.factories.accounts import UserFactory
from tests.factories.exchange import announce_decisions, make_proposal
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def member():
    return UserFactory(roles=[Role.MEMBER])


def staff(*roles):
    """Staff with two-factor authentication set up (the site asks staff roles for it)."""
    user = UserFactory(roles=list(roles) or [Role.STAFF_ADMIN], is_staff=True)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


def text(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def ballot_url(round_):
    return reverse("exchange:ballot", kwargs={"year": round_.year})


def your_ballot_url(round_):
    return reverse("exchange:your-ballot", kwargs={"year": round_.year})


def results_url(round_):
    return reverse("exchange:results", kwargs={"year": round_.year})


def proposal_url(proposal):
    return reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})


def two_each(themes, proposals) -> set[int]:
    return ids(proposals[themes[0].pk][:2] + proposals[themes[1].pk][:2])


def form_data(themes, chosen_by_theme):
    return {f"theme_{t.pk}": [str(p.pk) for p in chosen_by_theme[t.pk]] for t in themes}


@pytest.fixture
def setup():
    return standing_round()


# Supporting -------------------------------------------------------------------------------------


def test_a_member_supports_a_proposal_and_stops_without_javascript(client_for, setup):
    _, themes, proposals, _, _ = setup
    proposal = proposals[themes[0].pk][0]
    client = client_for(member())
    page = client.get(proposal_url(proposal)).content.decode()
    assert "No one supports this proposal yet." in page
    assert "Support this proposal" in page

    response = client.post(reverse("exchange:support", kwargs={"slug": proposal.slug}))
    assert response.status_code == 302
    assert response["Location"] == proposal_url(proposal) + "#support"
    page = client.get(proposal_url(proposal)).content.decode()
    assert "1 member supports this." in page
    assert "Stop supporting" in page
    assert f"You support {proposal.title}" in page

    client.post(reverse("exchange:support", kwargs={"slug": proposal.slug}), {"action": "stop"})
    assert not Support.objects.exists()


def test_supporting_with_htmx_answers_with_the_support_box(client_for, setup):
    _, themes, proposals, _, _ = setup
    proposal = proposals[themes[0].pk][0]
    support_add(actor=member(), proposal=proposal)
    response = client_for(member()).post(
        reverse("exchange:support", kwargs={"slug": proposal.slug}), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="support"')
    assert "2 members support this." in html
    assert "You support this proposal." in html


def test_visitors_see_the_count_but_no_button(client_for, setup):
    _, themes, proposals, _, _ = setup
    proposal = proposals[themes[0].pk][0]
    support_add(actor=member(), proposal=proposal)
    for viewer in (Client(), client_for(UserFactory())):
        html = viewer.get(proposal_url(proposal)).content.decode()
        assert "1 member supports this." in html
        assert "Support this proposal" not in html


def test_people_who_are_not_members_cannot_support(client_for, setup):
    _, themes, proposals, _, _ = setup
    url = reverse("exchange:support", kwargs={"slug": proposals[themes[0].pk][0].slug})
    assert Client().post(url).status_code == 302
    assert client_for(UserFactory()).post(url).status_code == 404
    assert client_for(member()).post(url.replace("test-proposal", "no-such")).status_code == 404
    assert not Support.objects.exists()


def test_the_supported_list_shows_the_members_proposals_in_constant_queries(client_for, setup):
    round_, themes, proposals, _, _ = setup
    supporter = member()
    support_add(actor=supporter, proposal=proposals[themes[0].pk][0])
    support_add(actor=member(), proposal=proposals[themes[0].pk][0])
    support_add(actor=member(), proposal=proposals[themes[1].pk][0])
    client = client_for(supporter)
    html = client.get(reverse("exchange:supported")).content.decode()
    assert proposals[themes[0].pk][0].title in html
    assert "2 supporters" in html
    assert proposals[themes[1].pk][0].title not in html

    def add(n):
        for _ in range(n):
            support_add(actor=supporter, proposal=make_proposal(round_, lead=supporter))

    assert_constant_queries(lambda: client.get(reverse("exchange:supported")), add, many=25)


def test_the_supported_list_has_an_empty_state(client_for):
    html = client_for(member()).get(reverse("exchange:supported")).content.decode()
    assert "You do not support any proposals yet." in html


# The ballot -------------------------------------------------------------------------------------


def test_the_ballot_lists_the_standing_proposals_of_each_theme(client_for, setup):
    round_, themes, proposals, idea, withdrawn = setup
    html = client_for(member()).get(ballot_url(round_)).content.decode()
    assert "Vote for the proposals you want funded" in html
    for theme in themes:
        assert f'name="theme_{theme.pk}"' in html
        for proposal in proposals[theme.pk]:
            assert proposal.title in html
            assert f'href="{proposal_url(proposal)}"' in html
    assert idea.title not in html
    assert withdrawn.title not in html
    assert html.count('type="checkbox"') == 6


def test_saving_a_ballot_then_seeing_and_changing_it(client_for, setup):
    round_, themes, proposals, _, _ = setup
    voter = member()
    client = client_for(voter)
    first = {themes[0].pk: proposals[themes[0].pk][:2], themes[1].pk: proposals[themes[1].pk][:2]}

    response = client.post(ballot_url(round_), form_data(themes, first), follow=True)

    assert response.redirect_chain == [(your_ballot_url(round_), 302)]
    html = response.content.decode()
    assert "Your ballot has been saved" in html
    for p in first[themes[0].pk] + first[themes[1].pk]:
        assert p.title in html
    assert f'href="{ballot_url(round_)}#theme_{themes[0].pk}"' in html

    form = client.get(ballot_url(round_)).content.decode()
    assert "You have already voted" in form
    assert f'value="{first[themes[0].pk][0].pk}" checked' in form
    second = {**first, themes[1].pk: proposals[themes[1].pk][1:]}
    client.post(ballot_url(round_), form_data(themes, second))
    ballot = Ballot.objects.get(voter=voter)
    assert set(ballot.choices.values_list("proposal_id", flat=True)) == ids(
        second[themes[0].pk] + second[themes[1].pk]
    )


def test_a_wrong_ballot_shows_errors_per_theme_and_keeps_the_choices(client_for, setup):
    round_, themes, proposals, _, _ = setup
    kept = proposals[themes[0].pk][2]
    chosen = {themes[0].pk: [kept], themes[1].pk: proposals[themes[1].pk]}

    response = client_for(member()).post(ballot_url(round_), form_data(themes, chosen))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "Your ballot was not saved" in html
    assert "Choose 2 proposals in Theme 1: you chose 1" in html
    assert "Choose no more than 2 proposals in Theme 2: you chose 3" in html
    assert f'href="#theme_{themes[0].pk}"' in html
    assert f'value="{kept.pk}" checked' in html
    assert html.count(" checked") == 4
    assert not Ballot.objects.exists()


def test_a_tampered_choice_is_refused_in_words(client_for, setup):
    round_, themes, proposals, idea, _ = setup
    chosen = {
        themes[0].pk: [proposals[themes[0].pk][0], idea],
        themes[1].pk: proposals[themes[1].pk][:2],
    }
    response = client_for(member()).post(ballot_url(round_), form_data(themes, chosen))
    html = response.content.decode()
    assert "no longer standing in this round" in html
    assert not Ballot.objects.exists()


def test_before_voting_opens_the_page_says_when(client_for, setup):
    round_, themes, proposals, _, _ = setup
    move_window(round_, when="before")
    client = client_for(member())
    html = client.get(ballot_url(round_)).content.decode()
    assert "Voting has not opened yet" in html
    assert 'type="checkbox"' not in html
    chosen = {t.pk: proposals[t.pk][:2] for t in themes}
    response = client.post(ballot_url(round_), form_data(themes, chosen), follow=True)
    assert "Voting is not open, so your ballot was not saved." in response.content.decode()
    assert not Ballot.objects.exists()


def cast_in_the_past(round_, voter, chosen) -> Ballot:
    """A ballot cast while voting was open, written directly (the window has passed now)."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL exchange.ballot_outside_window = 'on'")
        ballot = Ballot.objects.create(round=round_, voter=voter)
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, proposal=p, theme_id=p.theme_id) for p in chosen
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return ballot


def test_after_voting_closes_the_ballot_is_read_only_with_the_results(client_for, setup):
    round_, themes, proposals, _, _ = setup
    voter = member()
    chosen = proposals[themes[0].pk][:2] + proposals[themes[1].pk][:2]
    move_window(round_, when="after")
    cast_in_the_past(round_, voter, chosen)
    client = client_for(voter)

    html = client.get(ballot_url(round_)).content.decode()
    assert "Voting has closed" in html
    assert 'type="checkbox"' not in html
    assert "<form" not in html.split("<main", 1)[1]
    for p in chosen:
        assert p.title in html
    assert f'href="{results_url(round_)}"' in html
    mine = client.get(your_ballot_url(round_)).content.decode()
    assert "can no longer be changed" in mine
    assert ">Change<" not in mine
    response = client.post(ballot_url(round_), {}, follow=True)
    assert "Voting is not open" in response.content.decode()
    assert set(Ballot.objects.get().choices.values_list("proposal_id", flat=True)) == ids(chosen)


def test_your_ballot_before_voting(client_for, setup):
    round_, *_ = setup
    html = client_for(member()).get(your_ballot_url(round_)).content.decode()
    assert "You have not voted in" in html
    assert "Vote now" in html


def test_people_who_are_not_members_cannot_reach_the_ballot(client_for, setup):
    round_, themes, proposals, _, _ = setup
    data = form_data(themes, {t.pk: proposals[t.pk][:2] for t in themes})
    assert Client().post(ballot_url(round_), data).status_code == 302
    for outsider in (UserFactory(), staff(), staff(Role.EXCHANGE_MODERATOR)):
        c = client_for(outsider)
        for response in (
            c.get(ballot_url(round_)),
            c.post(ballot_url(round_), data),
            c.get(your_ballot_url(round_)),
        ):
            assert response.status_code == 403
            html = text(response.content.decode())
            assert "Only members of Q can vote" in html
            assert 'href="/join/"' in html
            assert "Save your ballot" not in html
    assert not Ballot.objects.exists()
    no_such_year = reverse("exchange:ballot", kwargs={"year": 1999})
    assert client_for(member()).get(no_such_year).status_code == 404


def test_a_superuser_staff_admin_who_is_not_a_member_cannot_vote(client_for, setup):
    """Django gives a superuser every permission; voting asks for the member role itself."""
    round_, themes, proposals, _, _ = setup
    admin = UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True, is_superuser=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    data = form_data(themes, {t.pk: proposals[t.pk][:2] for t in themes})
    c = client_for(admin)
    response = c.post(ballot_url(round_), data)
    assert response.status_code == 403
    assert "Only members of Q can vote" in response.content.decode()
    assert not Ballot.objects.exists()
    assert not BallotChoice.objects.exists()


def test_a_superuser_staff_admin_who_is_not_a_member_cannot_support(client_for, setup):
    """Supporting asks for the member role itself too, so "N members support this" stays true:
    the page offers no button, a POST is refused, the list of supported proposals is not theirs
    and the service refuses."""
    _, themes, proposals, _, _ = setup
    proposal = proposals[themes[0].pk][0]
    admin = UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True, is_superuser=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    c = client_for(admin)
    assert "Support this" not in c.get(proposal_url(proposal)).content.decode()
    response = c.post(reverse("exchange:support", kwargs={"slug": proposal.slug}))
    assert response.status_code == 404
    assert c.get(reverse("exchange:supported")).status_code == 404
    with pytest.raises(ExchangeError, match="Only members of Q can support proposals"):
        support_add(actor=admin, proposal=proposal)
    assert not Support.objects.exists()


def test_an_unpublished_round_has_no_ballot(client_for, setup):
    round_, *_ = setup
    Round.objects.filter(pk=round_.pk).update(published_at=None)
    assert client_for(member()).get(ballot_url(round_)).status_code == 404
    assert client_for(UserFactory()).get(ballot_url(round_)).status_code == 404


def round_url(round_):
    return reverse("exchange:round-detail", kwargs={"year": round_.year})


def test_the_round_page_links_to_the_ballot_while_voting_is_open(client, client_for, setup):
    round_, *_ = setup
    vote_link = f'href="{ballot_url(round_)}"'
    for _ in range(2):  # the second time from the visitors' cache
        visitor = text(client.get(round_url(round_)).content.decode())
        assert "Sign in to vote</a> if you are a member of Q" in visitor
        assert f"?next={ballot_url(round_)}" in visitor
    members_page = client_for(member()).get(round_url(round_)).content.decode()
    assert vote_link in members_page
    assert ">Vote<" in text(members_page).replace(" ", "")
    outsider = text(client_for(UserFactory()).get(round_url(round_)).content.decode())
    assert "Only members of Q can vote." in outsider
    assert vote_link not in outsider
    for when in ("before", "after"):
        move_window(round_, when=when)
        html = client_for(member()).get(round_url(round_)).content.decode()
        assert vote_link not in html
        assert "Sign in to vote" not in text(Client().get(round_url(round_)).content.decode())


def test_the_ballot_pages_cost_the_same_queries_for_one_and_many_proposals(client_for):
    """One proposal in each theme (chosen on the ballot), then 20 more."""
    round_, themes, proposals, _, _ = standing_round(per_theme=1)
    voter = member()
    every = ids(p for ps in proposals.values() for p in ps)
    ballot_cast(actor=voter, round_=round_, proposal_ids=every)
    client = client_for(voter)

    def add(n):
        for i in range(n):
            make_proposal(round_, lead=voter, theme=themes[i % 2])

    assert_constant_queries(lambda: client.get(ballot_url(round_)), add, many=20)
    assert_constant_queries(lambda: client.get(your_ballot_url(round_)), add, many=5)


# Results ------------------------------------------------------------------------------------


def test_results_are_hidden_from_everyone_until_voting_closes(client_for, setup):
    round_, themes, proposals, _, _ = setup
    favourite = proposals[themes[0].pk][0]
    ballot_cast(actor=member(), round_=round_, proposal_ids=two_each(themes, proposals))
    for viewer in (
        Client(),
        client_for(member()),
        client_for(staff(Role.STAFF_ADMIN, Role.EXCHANGE_MODERATOR)),
    ):
        results = viewer.get(results_url(round_)).content.decode()
        assert "The results will be shown here when voting closes" in results
        assert favourite.title not in results
        page = viewer.get(proposal_url(favourite)).content.decode()
        assert "voted for this proposal" not in page
        assert 'id="votes"' not in page


def test_after_voting_closes_the_results_show_votes_per_theme_most_first(client, setup):
    round_, themes, proposals, idea, withdrawn = setup
    first, second, third = proposals[themes[0].pk]
    a, b, c = proposals[themes[1].pk]
    move_window(round_, when="after")
    cast_in_the_past(round_, member(), [second, third, a, b])
    cast_in_the_past(round_, member(), [second, first, a, c])
    cast_in_the_past(round_, member(), [second, first, a, b])
    Proposal.objects.filter(pk=third.pk).update(stage=Stage.NOT_FUNDED, decided_at=timezone.now())
    announce_decisions(round_)

    html = client.get(results_url(round_)).content.decode()

    theme_one = html.split(f"<h2>{themes[0].name}</h2>")[1].split("<h2>")[0]
    places = [theme_one.index(p.title) for p in (second, first, third)]
    assert places == sorted(places)
    counts = re.findall(r"nhsuk-table__cell--numeric[^>]*> (\d+) </td>", text(theme_one))
    assert counts == ["3", "2", "1"]
    assert "Not funded" in theme_one
    assert idea.title not in html
    assert withdrawn.title not in html
    theme_two = html.split(f"<h2>{themes[1].name}</h2>")[1]
    assert theme_two.index(a.title) < theme_two.index(b.title) < theme_two.index(c.title)
    page = client.get(proposal_url(second)).content.decode()
    assert "3 members voted for this proposal." in page
    assert "1 member voted for this proposal." in client.get(proposal_url(third)).content.decode()


def test_the_results_page_costs_the_same_queries_for_one_and_many_proposals(client):
    round_, themes, proposals, _, _ = standing_round(per_theme=1)
    move_window(round_, when="after")
    lead = member()
    cast_in_the_past(round_, lead, [p for ps in proposals.values() for p in ps])

    def add(n):
        for i in range(n):
            make_proposal(round_, lead=lead, theme=themes[i % 2])

    assert_constant_queries(lambda: client.get(results_url(round_)), add, many=20)


# Turnout -------------------------------------------------------------------------------------


def test_moderators_see_turnout_and_members_get_404(client_for, setup):
    round_, themes, proposals, _, _ = setup
    for _ in range(2):
        ballot_cast(actor=member(), round_=round_, proposal_ids=two_each(themes, proposals))
    url = reverse("exchange:turnout", kwargs={"year": round_.year})
    client = client_for(staff(Role.EXCHANGE_MODERATOR))
    assert f'href="{url}"' in client.get(results_url(round_)).content.decode()
    html = client.get(url).content.decode()
    eligible = User.objects.filter(roles__role=Role.MEMBER, is_active=True).count()
    assert "Ballots cast" in html
    assert f"{100 * 2 / eligible:.1f}%" in html
    assert timezone.localdate().strftime("%-d %B %Y") in html
    assert proposals[themes[0].pk][0].title not in html
    assert client_for(member()).get(url).status_code == 404
