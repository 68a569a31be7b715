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

from exchange.comments.models import Comment
from exchange.proposals.enums import Stage
from exchange.proposals.models import Proposal, SectionAnswer
from exchange.rounds.models import Round as ExchangeRound
from exchange.voting.models import Ballot
from members.joining.enums import ApplicationStatus
from members.joining.models import Application
from qcommunity.accounts.enums import Role
from qcommunity.newsletters.subscriptions.enums import SubscriptionStatus
from qcommunity.newsletters.subscriptions.models import Subscription
from qcommunity.scoring.models import Review
from tests.browser.conftest import assert_accessible
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.factories.joining import make_round
from tests.factories.newsletters import NewsletterFactory
from tests.factories.panels import panel_in_review, staff_user, submit_review, two_factor_user

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
    assert_accessible(page)
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


def test_a_member_votes(page):
    round_ = make_exchange_round(voting_open=True, themes=1, choices_per_theme=1)
    favourite = make_proposal(round_, lead=member())
    make_proposal(round_, lead=member())
    voter = member(full_name="Val Voter")
    start(page)
    sign_in(page, voter)
    expect(main(page).get_by_text("You have not voted yet")).to_be_visible()
    assert_accessible(page)
    main(page).get_by_role("link", name="Vote", exact=True).click()
    page.get_by_label(favourite.title).check()
    page.get_by_role("button", name="Save your ballot").click()
    ballot = Ballot.objects.get(round=round_, voter=voter)
    assert list(ballot.choices.values_list("proposal_id", flat=True)) == [favourite.pk]
    # Home now says the ballot is cast, and can still be changed.
    page.get_by_role("banner").get_by_role("link", name="Q Community").first.click()
    expect(main(page).get_by_text(f"You have voted in {round_.name}")).to_be_visible()


def test_a_shortlisting_panel_member_reviews_a_proposal(page):
    """Q Exchange's volunteer panel: the reviewer finds their work on the home page."""
    from exchange.shortlist.services import (
        proposal_assignments_distribute,
        round_criteria_set,
        shortlist_panel_create,
        shortlist_panel_member_invite,
    )
    from tests.factories.joining import CRITERIA, SCALE

    staff = staff_user()
    round_ = make_exchange_round(voting_open=True)
    proposal = make_proposal(round_, lead=member())
    round_criteria_set(actor=staff, round_=round_, criteria=CRITERIA, scale=SCALE)
    round_.refresh_from_db()
    panel = shortlist_panel_create(actor=staff, round_=round_, name="Shortlisting panel",
                                   reviews_needed=1)  # fmt: skip
    reviewer = two_factor_user(roles=[Role.MEMBER], full_name="Vic Reviewer")
    shortlist_panel_member_invite(actor=staff, panel=panel, email=reviewer.email)
    proposal_assignments_distribute(actor=staff, panel=panel)
    start(page)
    sign_in(page, reviewer, two_factor=True)
    expect(main(page).get_by_text("1 proposal waits for your review")).to_be_visible()
    main(page).get_by_role("link", name="Review it").click()
    page.get_by_role("link", name=proposal.title).click()
    page.get_by_role("group", name="Do you have a conflict of interest").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    for criterion in round_.scheme.criteria.order_by("position"):
        page.get_by_role("group", name=criterion.title).locator("input[type=radio]").last.check()
    page.get_by_role("group", name="Your recommendation").locator("input[type=radio]").first.check()
    page.get_by_role("button", name="Submit your review").click()
    expect(page.locator(".nhsuk-notification-banner")).to_be_visible()
    assert Review.objects.filter(assignment__panel=panel, assignment__reviewer=reviewer).exists()


def test_a_regional_panel_member_reviews_an_application(page):
    staff = staff_user()
    setup = panel_in_review(staff, applications=1, reviewers=2)
    reviewer = setup.reviewers[0]
    reference = setup.applications[0].reference
    start(page)
    sign_in(page, reviewer, two_factor=True)
    expect(main(page).get_by_text("1 application waits for your review")).to_be_visible()
    main(page).get_by_role("link", name="Review it").click()
    page.get_by_role("link", name=f"Review {reference}").click()
    page.get_by_role("group", name="Do you have a conflict of interest").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    for group in page.get_by_role("group").filter(has=page.locator("input[type=radio]")).all():
        group.locator("input[type=radio]").last.check()
    for comment in page.locator("textarea").all():
        comment.fill("Specific and convincing.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Submit your review").click()
    expect(page.get_by_text("Your review has been submitted")).to_be_visible()
    assert Review.objects.filter(
        assignment__panel=setup.panel, assignment__reviewer=reviewer
    ).exists()


def test_the_chair_records_a_decision(page):
    staff = staff_user()
    setup = panel_in_review(staff, applications=1, reviewers=2)
    for assignment in setup.panel.assignments.all():
        submit_review(assignment, [3, 3, 2])
    application = setup.applications[0]
    start(page)
    sign_in(page, setup.chair, two_factor=True)
    expect(main(page).get_by_text("1 application waits for your decision")).to_be_visible()
    assert_accessible(page)  # the home page with what waits
    main(page).get_by_role("link", name="Open the chair's workspace").click()
    page.get_by_role("link", name=application.reference).click()
    page.get_by_role("group", name="Decision").get_by_label("Accept").check()
    page.get_by_label("Reason for the decision").fill("Both reviewers found strong evidence")
    page.get_by_role("button", name="Record the decision").click()
    expect(
        page.get_by_text(f"Your decision on {application.reference} has been recorded")
    ).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


# Joining and the newsletter --------------------------------------------------------------------


def test_someone_with_an_account_applies_to_join(page):
    staff = staff_user()
    round_ = make_round(staff, name="Regional wave 4")
    applicant = UserFactory(full_name="Robin Applicant")
    start(page)
    sign_in(page, applicant)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Join Q").click()
    page.get_by_label("Where do you work or live?").select_option("wessex")
    page.get_by_role("button", name="Check if you can apply").click()
    page.get_by_role("button", name=re.compile("^Start your application")).click()
    page.locator("#id_job_title").fill("Falls prevention lead")
    page.locator("#id_organisation").fill("Wessex Community Health")
    page.locator("#id_organisation_type").select_option("community")
    page.locator("input[name=role_types][value=manager]").check()
    for criterion in round_.scheme.criteria.order_by("position"):
        page.locator(f"#id_answer_{criterion.pk}").fill(
            "I led a falls programme with three trusts."
        )
    for value in ("directory", "evaluation", "share_learning"):
        page.locator(f"input[name=commitments][value={value}]").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Submit your application").click()
    expect(page.locator("h1")).to_contain_text("Application submitted")
    application = Application.objects.get(applicant=applicant, round=round_)
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_visitor_subscribes_to_the_newsletter(page):
    NewsletterFactory(name="Q Insight", slug="q-insight")
    start(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Newsletter", exact=True).click()
    page.get_by_label("Email address").fill("vera@example.org")
    page.get_by_label("Your name").fill("Vera Visitor")
    page.get_by_label("Q Insight").check()
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/newsletter/check-your-email/")
    subscription = Subscription.objects.get(contact__email="vera@example.org")
    assert subscription.status == SubscriptionStatus.PENDING


# Staff -----------------------------------------------------------------------------------------


def test_staff_set_up_and_publish_a_q_exchange_round(page):
    staff = staff_user()
    start(page)
    sign_in(page, staff, two_factor=True)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Q Exchange rounds").click()
    page.get_by_role("button", name="Set up a new round").click()
    page.locator("[name=year]").fill("2041")
    page.locator("[name=name]").fill("Q Exchange 2041")
    page.locator("[name=funding_cap]").fill("30000")
    page.locator("[name=choices_per_theme]").fill("2")
    fields = ("opens_at", "proposals_close_at", "comments_close_at", "voting_opens_at",
              "voting_closes_at", "decisions_at")  # fmt: skip
    for day, name in enumerate(fields, start=1):
        page.locator(f"[name={name}_date-day]").fill(str(day))
        page.locator(f"[name={name}_date-month]").fill("3")
        page.locator(f"[name={name}_date-year]").fill("2041")
        page.locator(f"[name={name}_time]").fill("9:00")
    page.locator("[name=theme_1_name]").fill("Boundaries")
    page.locator("[name=theme_1_question]").fill("How can we improve across system boundaries?")
    page.locator("[name=section_1_question]").fill("What is the challenge?")
    page.locator("[name=section_1_word_limit]").fill("250")
    page.get_by_role("button", name="Set up the round").click()
    expect(page.get_by_text("Q Exchange 2041 has been set up")).to_be_visible()
    page.get_by_role("link", name="Publish Q Exchange 2041").click()
    page.get_by_role("button", name="Publish the round").click()
    round_ = ExchangeRound.objects.get(year=2041)
    assert round_.is_published()
    assert list(round_.themes.values_list("name", flat=True)) == ["Boundaries"]
