"""The judged joining journey end to end, in a real browser against real services: a visitor
checks they can apply, creates an account, drafts, leaves, comes back to the draft and submits;
two panel members score it (the second sees nothing of the first's review until submitting her
own); the chair accepts; nothing reaches the applicant before the release date, and on it she is
emailed and signs in as a member whose directory entry is ready and hidden. Axe checks each page
type on the way."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.db.models import F
from django.utils import timezone

from members.directory.enums import Visibility
from members.directory.models import Profile
from members.joining.enums import ApplicationStatus, RoundStatus
from members.joining.models import Application, ApplicationAnswer, Round
from members.joining.services import ROUND_DATE_FIELDS, round_close, round_transition
from members.joining.tasks import joining_release_due
from members.panels.services import round_panel_create, round_panel_member_add, round_start_review
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.enums import PanelRole
from tests.browser.conftest import assert_accessible
from tests.browser.test_panel_review import open_review, score_and_submit
from tests.factories.accounts import PASSWORD  # the test users' password, not a secret
from tests.factories.joining import make_round
from tests.factories.panels import staff_user, two_factor_user

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "robin.applicant@example.org"

ANSWER = "I brought three teams together to cut waiting times for falls clinics in Wessex."


def emails_to(address: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(recipient=address).order_by("id"))


def link_in(email: OutboxEmail, path_pattern: str) -> str:
    found = re.search(rf"https?://[^/\s]+({path_pattern})", email.body_text)
    assert found, email.body_text
    return found.group(1)


def test_a_visitor_applies_is_reviewed_blind_accepted_and_becomes_a_member(
    page, sign_in_browser, live_server, settings
):
    settings.SITE_URL = live_server.url
    staff = staff_user()
    round_ = make_round(staff, regions=[Region.WESSEX], name="Regional wave 4")
    criteria = list(round_.scheme.criteria.order_by("position"))

    # A visitor finds the way in and checks they can apply.
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Join Q").click()
    assert page.locator("h1").inner_text() == "Join Q"
    page.get_by_label("Where do you work or live?").select_option("wessex")
    page.get_by_role("button", name="Check if you can apply").click()
    assert "You can apply to this round." in page.locator("main").inner_text()
    eligibility_url = page.url

    # They create an account and confirm their address through the emailed link.
    page.locator("main").get_by_role("link", name="Create an account").click()
    assert urlparse(page.url).path == "/accounts/signup/"
    page.get_by_label("Full name").fill("Robin Applicant")
    page.get_by_label("Email address").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert "Check your email" in page.locator("h1").inner_text()
    page.goto(link_in(emails_to(EMAIL)[0], r"/accounts/confirm-email/[^\s]+"))
    page.get_by_role("button", name="Confirm email address").click()

    # Confirming asks them to sign in, which takes them back to the eligibility result.
    assert urlparse(page.url).path == "/accounts/login/", page.url
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url == eligibility_url, page.url
    page.get_by_role("button", name="Start your application").click()
    applicant = User.objects.get(email=EMAIL)
    application = Application.objects.get(applicant=applicant, round=round_)

    # A first sitting: some facts and one answer; the autosave keeps them.
    page.locator("#id_job_title").fill("Falls prevention lead")
    page.locator("#id_organisation").fill("Wessex Community Health")
    page.locator("#id_organisation_type").select_option("community")
    page.locator("input[name=role_types][value=manager]").check()
    page.locator(f"#id_answer_{criteria[0].pk}").fill(ANSWER)
    page.keyboard.press("Tab")  # leaving the answer saves the draft (htmx, on change)
    page.locator("#autosave-status", has_text="Saved at").wait_for()
    for _ in range(50):
        if ApplicationAnswer.objects.filter(application=application, text=ANSWER).exists():
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the draft was not saved")
    page.goto("/")

    # Later: back to the draft from "Your applications", finish and submit.
    page.goto("/join/applications/")
    page.get_by_role("link", name=round_.name).click()
    page.get_by_role("button", name="Carry on with your application").click()
    assert page.locator(f"#id_answer_{criteria[0].pk}").input_value() == ANSWER
    assert page.locator("#id_organisation").input_value() == "Wessex Community Health"
    for criterion in criteria[1:]:
        page.locator(f"#id_answer_{criterion.pk}").fill(ANSWER)
    for value in ("directory", "evaluation", "share_learning"):
        page.locator(f"input[name=commitments][value={value}]").check()
    page.get_by_role("button", name="Save and continue").click()
    assert page.locator("h1").inner_text() == "Check your answers before you submit"
    page.get_by_role("button", name="Submit your application").click()
    assert "Application submitted" in page.locator("h1").inner_text()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    # Staff close the round and send it to the Wessex panel: two reviewers and a chair.
    round_ = round_close(actor=staff, round_=round_)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    first = two_factor_user(full_name="Priya Reviewer")
    second = two_factor_user(full_name="Sam Reviewer")
    chair = two_factor_user(full_name="Chris Chair")
    for reviewer in (first, second):
        round_panel_member_add(actor=staff, panel=panel, user=reviewer, organisation="Elsewhere")
    round_panel_member_add(actor=staff, panel=panel, user=chair, role=PanelRole.CHAIR)
    round_start_review(actor=staff, round_=round_)
    application.refresh_from_db()
    reference = application.reference

    page.context.clear_cookies()
    page = sign_in_browser(first)
    open_review(page, reference)
    score_and_submit(page, reference, "3: Strong", "Specific and convincing")

    page.context.clear_cookies()
    page = sign_in_browser(second)
    open_review(page, reference)
    body = page.locator("main").inner_text()
    assert ANSWER in body
    assert "Specific and convincing" not in body
    assert "Priya Reviewer" not in body
    score_and_submit(page, reference, "2: Meets", "Clear evidence")
    assert "Specific and convincing on" in page.locator("main").inner_text()

    # The chair accepts; the applicant sees nothing of it yet.
    page.context.clear_cookies()
    page = sign_in_browser(chair)
    page.goto("/panels/")
    page.get_by_role("link", name="Wessex panel").click()
    page.get_by_role("button", name="Open the chair's workspace").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("group", name="Decision").get_by_label("Accept").check()
    page.get_by_label("Reason for the decision").fill("Both reviewers found strong evidence")
    page.get_by_role("button", name="Record the decision").click()
    assert (
        f"Your decision on {reference} has been recorded"
        in page.locator(".nhsuk-notification-banner").inner_text()
    )
    round_transition(actor=staff, round_=round_, action="mark_decided")

    emails_before = len(emails_to(EMAIL))
    page.context.clear_cookies()
    page = sign_in_browser(applicant)
    page.goto(f"/join/applications/{application.pk}/")
    detail = page.locator("main").inner_text()
    assert "Accepted" not in detail
    assert "Both reviewers" not in detail
    assert "Priya Reviewer" not in detail

    # Time passes: the round's dates move back so that its release date was a minute ago.
    round_.refresh_from_db()
    shift = round_.decisions_release_at - (timezone.now() - dt.timedelta(minutes=1))
    Round.objects.filter(pk=round_.pk).update(
        **{name: F(name) - shift for name in ROUND_DATE_FIELDS}
    )
    round_.refresh_from_db()
    release_at = round_.decisions_release_at
    # Run as of the day before the release date, the scheduled task releases nothing...
    joining_release_due(now=(release_at - dt.timedelta(days=1)).isoformat())
    application.refresh_from_db()
    assert application.released_at is None
    assert len(emails_to(EMAIL)) == emails_before
    # ...and on the date it releases every decision of the round and emails the applicant.
    joining_release_due()
    application.refresh_from_db()
    round_.refresh_from_db()
    assert (application.status, round_.status) == (
        ApplicationStatus.ACCEPTED,
        RoundStatus.RELEASED,
    )
    assert application.released_at >= release_at
    welcome = emails_to(EMAIL)[-1]
    assert len(emails_to(EMAIL)) == emails_before + 1
    assert "welcome" in welcome.subject.lower()
    for hidden in ("Priya Reviewer", "Sam Reviewer", "Specific and convincing", "3: Strong"):
        assert hidden not in welcome.body_text

    # She signs in as a member: her entry is filled in from the application and hidden.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert urlparse(page.url).path == "/"
    applicant.refresh_from_db()
    assert applicant.has_role(Role.MEMBER)
    nav = page.get_by_role("navigation", name="Menu")
    assert nav.get_by_role("link", name="Join Q").count() == 0
    assert "Publish your directory entry" in page.locator("main").inner_text()
    assert_accessible(page)
    profile = Profile.objects.get(user=applicant)
    assert (profile.visibility, profile.organisation, profile.job_title) == (
        Visibility.HIDDEN,
        "Wessex Community Health",
        "Falls prevention lead",
    )
    page.goto(f"/join/applications/{application.pk}/")
    assert "accepted" in page.locator("main").inner_text().lower()
    assert_accessible(page)
    page.goto("/me/profile/")
    assert page.locator("#id_organisation").input_value() == "Wessex Community Health"
    assert_accessible(page)
    assert page.console_errors == [], page.console_errors
