"""The signed-in home page says what waits for this person (issue 13 point 2), from every app's
own providers (`qcommunity.core.home`): each kind of item for the person it is for, never for
anyone else; an empty state; counts in the right number; the same queries however many items."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.comments.services import comment_post, comment_report
from exchange.proposals.enums import Stage, TeamRole
from exchange.proposals.models import TeamMember
from exchange.rounds.models import Round as ExchangeRound
from exchange.shortlist.services import proposal_assignments_distribute
from exchange.voting.services import ballot_cast
from qcommunity.accounts.enums import Role
from qcommunity.core.formatting import uk_datetime
from qcommunity.core.home import HomeItem, HomeProvider, home_for, register, unregister
from qcommunity.core.taxonomy import Region
from tests.exchange.comments.helpers import add_co_author, moderator
from tests.exchange.shortlist.helpers import comment, shortlisting
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.factories.joining import complete_draft, make_round
from tests.factories.panels import panel_in_review, staff_user
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def member(**kwargs):
    return UserFactory(roles=[Role.MEMBER], **kwargs)


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def waiting(client, user) -> str:
    """The "Waiting for you" section of the home page, as HTML."""
    html = home(client, user)
    start = html.index('id="waiting-heading"')
    return html[start : html.index("</section>", start)]


# The page around the items ---------------------------------------------------------------------


def test_visitors_see_no_waiting_list_and_the_footer_links_to_the_newsletter(client):
    html = client.get("/").content.decode()
    assert "Waiting for you" not in html
    assert f'href="{reverse("newsletters:subscribe")}"' in html
    assert f'href="{reverse("newsletters:issue-list")}"' in html


def test_nothing_waiting_says_so(client):
    assert "Nothing is waiting for you right now" in waiting(client, UserFactory())


def test_providers_registered_by_an_app_show_as_a_sentence_and_a_link(client):
    register(HomeProvider(
        key="test-provider",
        items=lambda user, now: [HomeItem("Something waits.", "/somewhere/", "Go there", "Tests")],
    ))  # fmt: skip
    try:
        section = waiting(client, UserFactory())
    finally:
        unregister("test-provider")
    assert "Something waits." in section
    assert '<a href="/somewhere/">Go there</a>' in section
    assert "Nothing is waiting" not in section


# Q Exchange ------------------------------------------------------------------------------------


def test_a_member_is_offered_to_post_an_idea_while_a_round_takes_ideas(client):
    round_ = make_exchange_round(voting_open=False)
    new = reverse("exchange:idea-new", kwargs={"year": round_.year})
    section = waiting(client, member())
    until = uk_datetime(round_.proposals_close_at)
    assert f"{round_.name} is taking ideas until {until}" in section
    assert f'href="{new}"' in section
    # Someone who is not a member is given the round's next date, not the button.
    other = waiting(client, UserFactory())
    assert new not in other
    assert f"Full proposals for {round_.name} are due by" in other


def test_a_ballot_open_says_whether_this_member_has_voted(client):
    round_ = make_exchange_round(voting_open=True, themes=1, choices_per_theme=1)
    proposal = make_proposal(round_, lead=member())
    voter, other = member(), member()
    ballot = reverse("exchange:ballot", kwargs={"year": round_.year})
    section = waiting(client, voter)
    assert "You have not voted yet" in section
    assert f'<a href="{ballot}">Vote</a>' in section
    ballot_cast(actor=voter, round_=round_, proposal_ids=[proposal.pk])
    section = waiting(client, voter)
    assert f"You have voted in {round_.name}" in section
    assert "Change your ballot" in section
    # Another member's ballot is theirs.
    assert "You have not voted yet" in waiting(client, other)


def test_the_rounds_next_date_after_voting(client):
    round_ = make_exchange_round(voting_open=True)
    now = timezone.now()
    ExchangeRound.objects.filter(pk=round_.pk).update(voting_closes_at=now - dt.timedelta(hours=1))
    section = waiting(client, member())
    assert f"Decisions in {round_.name} will be announced on" in section
    assert "You have not voted" not in section


def test_an_idea_is_offered_to_its_team_to_develop_and_to_nobody_else(client):
    round_ = make_exchange_round(voting_open=False)
    lead = member()
    idea = make_proposal(round_, lead=lead, stage=Stage.IDEA)
    develop = reverse("exchange:proposal-develop", kwargs={"slug": idea.slug})
    assert f'href="{develop}"' in waiting(client, lead)
    assert develop not in waiting(client, member())


def test_new_comments_on_my_proposal_are_counted_until_i_reply(client):
    round_ = make_exchange_round(voting_open=False)
    lead = member()
    proposal = make_proposal(round_, lead=lead)
    co_author = add_co_author(proposal)
    others = [member(), member()]
    comment(proposal, others[0])
    assert "1 new comment on “" in waiting(client, lead)
    comment(proposal, others[1])
    comment(proposal, others[1], hidden=True)  # hidden comments are not news
    section = waiting(client, lead)
    assert f"2 new comments on “{proposal.title}”" in section
    detail = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
    assert f"{detail}#comments" in section
    assert "2 new comments" in waiting(client, co_author)
    # Not shown to people outside the team.
    assert "new comment" not in waiting(client, others[0])
    # The lead replies: what came before is answered.
    comment(proposal, lead, at=timezone.now() + dt.timedelta(seconds=5))
    assert "new comment" not in waiting(client, lead)


def test_an_invitation_to_co_author_waits_for_its_answer(client):
    proposal = make_proposal(make_exchange_round(voting_open=False), lead=member())
    invited = add_co_author(proposal, accepted=False)
    accept = reverse("exchange:team-accept", kwargs={"slug": proposal.slug})
    assert f'href="{accept}"' in waiting(client, invited)
    assert accept not in waiting(client, member())


def test_shortlisting_reviews_due_show_to_the_reviewer_only(client):
    setup = shortlisting(proposals=2, reviewers=2, reviews_needed=2)
    proposal_assignments_distribute(actor=setup.staff, panel=setup.panel)
    reviewer = setup.reviewers[0]
    section = waiting(client, reviewer)
    assert "2 proposals wait for your review on Panel A" in section
    assert reverse("exchange:shortlist-panel", kwargs={"pk": setup.panel.pk}) in section
    other = shortlisting(proposals=1, reviewers=1, reviews_needed=1)
    assert "wait for your review" not in waiting(client, other.reviewers[0])


def test_moderators_see_reported_comments_waiting_and_members_do_not(client):
    round_ = make_exchange_round(voting_open=False)
    proposal = make_proposal(round_, lead=member())
    reported = comment_post(actor=member(), proposal=proposal, body="Rude words")
    comment_report(actor=member(), comment=reported, reason="Rude")
    mod = moderator()
    section = waiting(client, mod)
    assert "1 reported comment in Q Exchange waits for moderation" in section
    assert reverse("exchange:moderation-queue") in section
    assert "reported comment" not in waiting(client, member())


# Joining Q -------------------------------------------------------------------------------------


def test_a_draft_application_shows_with_its_rounds_closing_date(client):
    staff = staff_user()
    round_ = make_round(staff)
    applicant = UserFactory()
    draft = complete_draft(applicant, round_)
    section = waiting(client, applicant)
    assert f"draft application to join Q in {round_.name}" in section
    assert uk_datetime(round_.closes_at) in section
    assert reverse("members:application-edit", kwargs={"pk": draft.pk}) in section
    assert "draft application" not in waiting(client, UserFactory())


def test_panel_reviews_due_show_to_that_panels_reviewers_only(client):
    staff = staff_user()
    wessex = panel_in_review(staff, applications=2, reviewers=2, name="Wave W")
    eastern = panel_in_review(
        staff, applications=1, reviewers=2, regions=(Region.EASTERN,), region=Region.EASTERN,
        name="Wave E",
    )  # fmt: skip
    section = waiting(client, wessex.reviewers[0])
    assert "2 applications wait for your review on" in section
    assert uk_datetime(wessex.round.review_deadline) in section
    assert reverse("members:panel-detail", kwargs={"pk": wessex.panel.pk}) in section
    assert reverse("members:panel-detail", kwargs={"pk": eastern.panel.pk}) not in section
    assert "1 application waits for your review on" in waiting(client, eastern.reviewers[0])


def test_the_chair_sees_the_applications_waiting_for_a_decision(client):
    staff = staff_user()
    setup = panel_in_review(staff, applications=2, reviewers=2)
    other = panel_in_review(
        staff, applications=1, regions=(Region.EASTERN,), region=Region.EASTERN, name="Other"
    )
    section = waiting(client, setup.chair)
    assert "2 applications wait for your decision" in section
    assert reverse("members:chair", kwargs={"pk": setup.panel.pk}) in section
    assert reverse("members:chair", kwargs={"pk": other.panel.pk}) not in section
    assert "wait for your decision" not in waiting(client, setup.reviewers[0])


# Newsletters ----------------------------------------------------------------------------------


def test_editors_see_showcase_items_waiting_and_members_do_not(client):
    from qcommunity.newsletters.showcase import services as showcase_services
    from tests.factories.newsletters import editor_user

    author = member()
    for n in range(2):
        showcase_services.showcase_submit(
            actor=author, title=f"Fewer falls {n}", summary="Falls went down by a third.",
            link="https://example.org/falls",
        )  # fmt: skip
    section = waiting(client, editor_user())
    assert "2 showcase items from members wait for your review" in section
    assert reverse("newsletters-staff:showcase-queue") in section
    assert "showcase item" not in waiting(client, author)


# Cost ------------------------------------------------------------------------------------------


def test_the_home_page_costs_the_same_queries_however_many_items(client):
    round_ = make_exchange_round(voting_open=False)
    lead = member()
    client.force_login(lead)
    commenter = member()

    def add_rows(n):
        for _ in range(n):
            proposal = make_proposal(round_, lead=lead, stage=Stage.IDEA)
            comment(proposal, commenter)
            TeamMember.objects.create(
                proposal=make_proposal(round_, lead=commenter), user=lead,
                role=TeamRole.CO_AUTHOR, position=2, invited_at=timezone.now(),
            )  # fmt: skip

    def get_home():
        assert client.get("/").status_code == 200

    make_proposal(round_, lead=lead, stage=Stage.IDEA)
    assert_constant_queries(get_home, add_rows, many=5)
    # Per idea: "turn it into a proposal" and "new comment"; and each invitation.
    assert home_for(lead).item_count >= 1 + 3 * 5
