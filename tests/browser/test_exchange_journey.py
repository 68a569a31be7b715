"""The judged Q Exchange journey end to end, in a real browser against real services: a member
posts an idea, adds a team member and a timeline, turns it into a proposal; another member and a
guest comment and the author replies; a moderator hides an abusive comment; comments close and
the form disappears; a member casts, changes and then sees their ballot; after voting closes the
results show; a volunteer panel scores it; a moderator shortlists and funds the proposal; the
team posts an update.

Time passes between the steps the way it does in a real round: staff move the round's dates
through the audited service, as they would extend or close a deadline."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exchange.comments.models import Comment
from exchange.proposals.enums import Stage
from exchange.proposals.models import Proposal
from exchange.rounds.services import round_update_dates
from exchange.shortlist.services import (
    proposal_assignments_distribute,
    round_criteria_set,
    shortlist_panel_create,
    shortlist_panel_member_invite,
)
from qcommunity.accounts.enums import Role
from qcommunity.scoring.models import Review
from tests.browser.conftest import assert_accessible
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.factories.joining import CRITERIA, SCALE
from tests.factories.panels import staff_user, two_factor_user

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "Teams from the voluntary sector and the NHS learn improvement together."


def as_user(page, sign_in_browser, user):
    page.context.clear_cookies()
    return sign_in_browser(user)


def test_an_idea_becomes_a_funded_project_with_the_community_on_the_way(page, sign_in_browser):
    staff = staff_user()
    round_ = make_exchange_round(voting_open=False, themes=1, choices_per_theme=1)
    sections = list(round_.sections.all())
    lead = UserFactory(roles=[Role.MEMBER], full_name="Rachel Lead")
    neighbour = UserFactory(roles=[Role.MEMBER], full_name="Sam Member")
    guest = UserFactory(full_name="Gail Guest")
    rival = make_proposal(round_, lead=UserFactory(roles=[Role.MEMBER]))
    moderator = two_factor_user(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR])

    # The lead posts an idea.
    page = as_user(page, sign_in_browser, lead)
    page.goto(f"/exchange/{round_.year}/new/")
    page.get_by_label("Title").fill("QI for all in Sheffield")
    page.get_by_label("One-line summary").fill("An improvement academy open to every team.")
    page.get_by_role("group", name="Which theme question does it answer?").locator(
        "input[type=radio]"
    ).first.check()
    page.get_by_role("button", name="Post your idea").click()
    proposal = Proposal.objects.get(title="QI for all in Sheffield")
    assert proposal.stage == Stage.IDEA
    assert_accessible(page)

    # Answers to every section of the round.
    page.goto(f"/exchange/proposals/{proposal.slug}/edit/")
    for section in sections:
        page.get_by_label(section.question).fill(ANSWER)
    page.get_by_role("button", name="Save changes").click()
    assert proposal.answers.count() == len(sections)

    # A team member without an account, and a dated step of the plan.
    page.goto(f"/exchange/proposals/{proposal.slug}/team/")
    named = page.locator("form", has=page.get_by_label("Their name"))
    named.get_by_label("Their name").fill("Mary Short")
    named.get_by_label("Their role in the project").fill("Community mental health nurse")
    named.get_by_role("button", name="Add this person by name").click()
    page.goto(f"/exchange/proposals/{proposal.slug}/plan/")
    step = page.locator("form", has=page.get_by_label("What happens"))
    step.get_by_label("Day").fill("4")
    step.get_by_label("Month").fill("11")
    step.get_by_label("Year").fill("2027")
    step.get_by_label("What happens").fill("Learning session 1")
    step.get_by_role("button", name="Add the step").click()

    # The idea becomes a full proposal.
    page.goto(f"/exchange/proposals/{proposal.slug}/develop/")
    page.get_by_role("button", name="Turn it into a full proposal").click()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.PROPOSAL
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    body = page.locator("main").inner_text()
    for text in ("Mary Short", "Community mental health nurse", "Learning session 1", ANSWER):
        assert text in body, text

    # Another member and a guest comment; the lead replies to the member.
    page = as_user(page, sign_in_browser, neighbour)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    page.get_by_label("Your comment").fill("Could carers join the teams too?")
    page.get_by_role("button", name="Post comment").click()
    page = as_user(page, sign_in_browser, guest)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    page.get_by_label("Your comment").fill("This is rubbish and so are you.")
    page.get_by_role("button", name="Post comment").click()
    question = Comment.objects.get(author=neighbour)
    abusive = Comment.objects.get(author=guest)
    page = as_user(page, sign_in_browser, lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    page.get_by_role("link", name="Reply to Sam Member").click()
    page.get_by_label("Your reply").fill("Yes: every team includes someone with lived experience.")
    page.get_by_role("button", name="Post reply").click()
    assert Comment.objects.filter(parent=question, author=lead).exists()
    thread = page.locator("main").inner_text()
    assert "Guest" in thread
    assert "every team includes someone with lived experience" in thread

    # A moderator hides the abusive comment; a placeholder keeps its place.
    page = as_user(page, sign_in_browser, moderator)
    page.goto(f"/exchange/moderation/comments/{abusive.pk}/")
    page.get_by_label("Reason for hiding it").fill("Abusive: breaks the community guidelines")
    page.get_by_role("button", name="Hide the comment").click()
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    thread = page.locator("main").inner_text()
    assert "so are you" not in thread
    assert "Abusive: breaks the community guidelines" in thread

    # Proposals and comments close and voting opens: the comment form is gone.
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    round_update_dates(
        actor=staff,
        round_=round_,
        dates={
            "proposals_close_at": now - 2 * hour,
            "comments_close_at": now - hour,
            "voting_opens_at": now - hour,
            "voting_closes_at": now + 7 * 24 * hour,
        },
    )
    page = as_user(page, sign_in_browser, neighbour)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert "Comments closed on" in page.locator("main").inner_text()
    expect(page.get_by_label("Your comment")).to_have_count(0)

    # A member votes for another proposal, changes their ballot, then sees it.
    page.goto(f"/exchange/{round_.year}/vote/")
    page.get_by_label(rival.title).check()
    page.get_by_role("button", name="Save your ballot").click()
    page.goto(f"/exchange/{round_.year}/vote/")
    page.get_by_label(rival.title).uncheck()
    page.get_by_label(proposal.title).check()
    page.get_by_role("button", name="Change your ballot").click()
    page.goto(f"/exchange/{round_.year}/vote/your-ballot/")
    ballot = page.locator("main").inner_text()
    assert proposal.title in ballot
    assert rival.title not in ballot
    assert_accessible(page)

    # Before voting closes nobody sees the results; after, they show.
    page.goto(f"/exchange/{round_.year}/results/")
    assert "The results will be shown here when voting closes" in page.locator("main").inner_text()
    round_update_dates(
        actor=staff,
        round_=round_,
        dates={"voting_closes_at": timezone.now() - dt.timedelta(minutes=1)},
    )
    page.goto(f"/exchange/{round_.year}/results/")
    results = page.locator("main").inner_text()
    assert proposal.title in results
    assert_accessible(page)

    # A volunteer panel scores the proposals against the round's criteria.
    round_criteria_set(actor=staff, round_=round_, criteria=CRITERIA, scale=SCALE)
    round_.refresh_from_db()
    panel = shortlist_panel_create(actor=staff, round_=round_, name="Shortlisting panel",
                                   reviews_needed=1)  # fmt: skip
    reviewer = two_factor_user(roles=[Role.MEMBER], full_name="Vic Reviewer")
    shortlist_panel_member_invite(actor=staff, panel=panel, email=reviewer.email)
    proposal_assignments_distribute(actor=staff, panel=panel)
    page = as_user(page, sign_in_browser, reviewer)
    page.goto("/exchange/panels/")
    page.get_by_role("link", name="Shortlisting panel").click()
    page.get_by_role("link", name=proposal.title).click()
    page.get_by_role("group", name="Do you have a conflict of interest").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    for criterion in round_.scheme.criteria.order_by("position"):
        page.get_by_role("group", name=criterion.title).get_by_label("3: Strong").check()
    page.get_by_role("group", name="Your recommendation").get_by_label(
        "Shortlist", exact=True
    ).check()
    page.get_by_role("button", name="Submit your review").click()
    assert Review.objects.filter(assignment__panel=panel).count() == 1
    assert_accessible(page)

    # A moderator shortlists and then funds the proposal; the team is told.
    page = as_user(page, sign_in_browser, moderator)
    page.goto(f"/exchange/panels/{panel.pk}/overview/")
    overview = page.locator("main").inner_text()
    assert proposal.title in overview
    for decision in ("Shortlist", "Fund"):
        page.goto(f"/exchange/proposals/{proposal.slug}/decide/")
        page.get_by_label(decision, exact=True).check()
        page.get_by_label("Reason for the decision").fill(f"{decision}: strong support")
        page.get_by_role("button", name="Record the decision").click()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.FUNDED

    # The team posts its first progress update on the project's page.
    page = as_user(page, sign_in_browser, lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    page.get_by_role("link", name="Post a progress update").click()
    page.get_by_label("Title").fill("Five teams chosen")
    page.get_by_label("Update").fill("We chose **five teams** from 14 applications.")
    page.get_by_role("button", name="Post the update").click()
    updates = page.locator("#updates ~ article").first.inner_text()
    assert "Five teams chosen" in updates
    assert "Funded" in page.locator("main").inner_text()
    assert_accessible(page)
    assert page.console_errors == [], page.console_errors
