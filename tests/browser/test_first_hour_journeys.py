"""A new user's first hour, in a real browser (issue 13 point 2): every goal is reached from `/`
only by clicking visible links and buttons. The one `page.goto` of each journey is the first
`/`; signing in is done by clicking "Sign in" and filling the form (with a code from the
authenticator for people who need two-factor). The data each journey needs (rounds with their
dates, memberships, panels) is made through the factories and services before the browser
starts, as staff would have set it up."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from playwright.sync_api import expect

from exchange.enums import Stage
from exchange.models import Comment, Proposal, SectionAnswer
from qcommunity.accounts.enums import Role
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal

pytestmark = pytest.mark.django_db(transaction=True)


def start(page):
    """The one address typed in each journey."""
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Q Community")


def sign_in(page, user, *, two_factor: bool = False):
    """From any page: "Sign in" in the header, the form, and the authenticator's code."""
    page.get_by_role("banner").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if two_factor:
        expect(page.locator("h1")).to_have_text("Enter your security code")
        code = format_hotp_value(hotp_value(TOTP_SECRET, next(counters())))
        page.locator("input[name=code]").fill(code)
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()


def sign_out(page):
    page.get_by_role("banner").get_by_role("link", name="Sign out").click()
    page.locator("main").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def main(page):
    return page.locator("main")


def member(**kwargs):
    return UserFactory(roles=[Role.MEMBER], **kwargs)


def answer_every_section(proposal):
    for section in proposal.round.sections.all():
        SectionAnswer.objects.create(
            proposal=proposal, section=section, text="We will test it on three wards.", words=7
        )


# Q Exchange ------------------------------------------------------------------------------------


def test_a_member_posts_an_idea(page):
    round_ = make_exchange_round(voting_open=False)
    lead = member(full_name="Ida Idea")
    start(page)
    sign_in(page, lead)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Q Exchange").click()
    page.get_by_role("link", name=round_.name).click()
    page.get_by_role("button", name="Post an idea").click()
    page.get_by_label("Title").fill("Huddles that stop falls")
    page.get_by_label("One-line summary").fill("A five-minute morning huddle on every ward.")
    page.get_by_role("group", name="Which theme question does it answer?").locator(
        "input[type=radio]"
    ).first.check()
    page.get_by_role("button", name="Post your idea").click()
    expect(page.get_by_text("Your idea has been posted")).to_be_visible()
    proposal = Proposal.objects.get(title="Huddles that stop falls")
    assert (proposal.lead, proposal.stage, proposal.round) == (lead, Stage.IDEA, round_)


def test_the_lead_develops_an_idea_into_a_full_proposal(page):
    round_ = make_exchange_round(voting_open=False)
    lead = member(full_name="Dev Lead")
    idea = make_proposal(round_, lead=lead, stage=Stage.IDEA)
    answer_every_section(idea)
    start(page)
    sign_in(page, lead)
    # The home page says the idea still waits; its own page offers the same step.
    expect(main(page).get_by_role("link", name="Turn it into a full proposal")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Q Exchange").click()
    page.get_by_role("link", name=round_.name).click()
    page.get_by_role("link", name=idea.title).click()
    page.get_by_role("link", name="Turn your idea into a full proposal").click()
    page.get_by_role("button", name="Turn it into a full proposal").click()
    expect(page.get_by_text("Your idea is now a full proposal")).to_be_visible()
    idea.refresh_from_db()
    assert idea.stage == Stage.PROPOSAL


def test_the_lead_adds_a_team_member_and_a_plan_step(page):
    round_ = make_exchange_round(voting_open=False)
    lead = member(full_name="Tess Team")
    proposal = make_proposal(round_, lead=lead)
    start(page)
    sign_in(page, lead)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Q Exchange").click()
    page.get_by_role("link", name=round_.name).click()
    page.get_by_role("link", name=proposal.title).click()
    page.get_by_role("link", name="Change the team").click()
    named = page.locator("form", has=page.get_by_label("Their name"))
    named.get_by_label("Their name").fill("Mary Short")
    named.get_by_label("Their role in the project").fill("Community mental health nurse")
    named.get_by_role("button").click()
    expect(page.get_by_text("Mary Short has been added to the team")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Back to")).first.click()
    page.get_by_role("link", name="Change the plan").click()
    step = page.locator("form", has=page.get_by_label("What happens"))
    step.get_by_label("Day").fill("4")
    step.get_by_label("Month").fill("11")
    step.get_by_label("Year").fill("2027")
    step.get_by_label("What happens").fill("Learning session 1")
    step.get_by_role("button", name="Add the step").click()
    expect(page.get_by_text("The step has been added to the plan")).to_be_visible()
    assert list(proposal.team.values_list("name", flat=True)) == ["", "Mary Short"]
    assert proposal.timeline.get().title == "Learning session 1"


def test_a_member_comments_and_the_lead_replies(page):
    round_ = make_exchange_round(voting_open=False)
    lead = member(full_name="Rachel Lead")
    neighbour = member(full_name="Sam Member")
    proposal = make_proposal(round_, lead=lead)
    start(page)
    sign_in(page, neighbour)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Q Exchange").click()
    page.get_by_role("link", name=round_.name).click()
    page.get_by_role("link", name=proposal.title).click()
    page.get_by_label("Your comment").fill("Could carers join the teams too?")
    page.get_by_role("button", name="Post comment").click()
    expect(main(page).get_by_text("Could carers join the teams too?")).to_be_visible()
    sign_out(page)
    # The lead hears of it on their home page and answers.
    sign_in(page, lead)
    expect(main(page).get_by_text(f"1 new comment on “{proposal.title}”")).to_be_visible()
    main(page).get_by_role("link", name="Read and reply").click()
    page.get_by_role("link", name="Reply to Sam Member").click()
    page.get_by_label("Your reply").fill("Yes: every team includes someone with lived experience.")
    page.get_by_role("button", name="Post reply").click()
    expect(main(page).get_by_text("every team includes someone with lived")).to_be_visible()
    question = Comment.objects.get(author=neighbour)
    assert Comment.objects.filter(parent=question, author=lead).exists()
