"""An administrator, starting at the home page, finds an account by a misspelt surname, gives
"panel member for Wessex" with a reason after confirming their password; the person is told by
email and sees the panel's pages; the administrator takes the seat away and the pages answer
404; the audit log shows both with the reason. axe finds nothing on each staff page."""

import re

import pytest
from playwright.sync_api import expect

from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.models import Panel
from tests.browser.conftest import assert_accessible
from tests.factories.accounts import PASSWORD
from tests.factories.joining import make_round
from tests.factories.panels import staff_user, two_factor_user

pytestmark = pytest.mark.django_db(transaction=True)


def confirm_password(page):
    assert page.url.split("?")[0].endswith("/accounts/reauthenticate/"), page.url
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_staff_give_and_take_away_a_panel_seat(sign_in_browser, browser, live_server):
    admin = staff_user()
    round_ = make_round(admin, name="Regional wave 3", regions=(Region.WESSEX, Region.WALES))
    person = two_factor_user(full_name="Priya Ramaswamy", email="priya@example.org")

    page = sign_in_browser(admin)
    page.goto("/")
    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("link", name="People").click()
    assert page.locator("h1").inner_text() == "People"
    assert_accessible(page)
    page.get_by_label("Name, email or organisation").fill("Ramaswami")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Priya Ramaswamy").click()
    assert page.locator("h1").inner_text() == "Priya Ramaswamy"
    assert_accessible(page)

    page.get_by_role("link", name="Give a role").click()
    confirm_password(page)
    assert page.locator("h1").inner_text() == "Give Priya Ramaswamy a role"
    assert_accessible(page)
    page.get_by_label("Panel member (joining Q)").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Panel").select_option(label="Regional wave 3: Wessex panel (new)")
    page.get_by_label("Why are you giving this role?").fill("Joining the Wessex panel for wave 3")
    assert_accessible(page)
    page.get_by_role("button", name="Give the role").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Priya Ramaswamy now has the role Panel member (joining Q)"
    )
    expect(page.get_by_role("table").first).to_contain_text("Wessex panel")
    assert_accessible(page)

    email = OutboxEmail.objects.get(recipient="priya@example.org", kind="people_role_granted")
    assert "Joining the Wessex panel for wave 3" in email.body_text
    panel = Panel.objects.get(owner_id=round_.pk, region=Region.WESSEX)

    # The person sees the panel's pages, reached from their navigation.
    their_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    theirs = their_context.new_page()
    _sign_in(theirs, person, live_server)
    theirs.goto("/")
    theirs.get_by_role("link", name="Panels", exact=True).click()
    theirs.get_by_role("link", name="Wessex panel").click()
    panel_url = theirs.url
    assert theirs.locator("h1").inner_text().startswith("Wessex panel")

    # The administrator takes the seat away.
    page.get_by_role("link", name="Take away Panel member (joining Q)").click()
    assert_accessible(page)
    page.get_by_label("Why?").fill("Moving to the Wales panel instead")
    page.get_by_role("button", name="Take the role away").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("no longer has the role")

    assert theirs.goto(panel_url).status == 404
    assert theirs.goto(f"/panels/{panel.pk}/").status == 404
    their_context.close()

    # The audit log shows both, with the reasons.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Audit log").click()
    body = page.locator("main").inner_text()
    assert "Joining the Wessex panel for wave 3" in body
    assert "Moving to the Wales panel instead" in body


def _sign_in(page, user, live_server):
    """A real session for `user` in another browser context (both factors passed)."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from tests.conftest import record_second_factor

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if Authenticator.objects.filter(user=user).exists():
        record_second_factor(session, user)
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


def test_invitation_and_account_pages_have_no_axe_violations(sign_in_browser, browser, live_server):
    """Inviting from a pasted list (errors, then the check page), the list of invitations, the
    invited person's page, and suspending an account."""
    admin = staff_user()
    person = two_factor_user(full_name="Sam Pended")
    page = sign_in_browser(admin)
    page.goto("/staff/people/")
    page.get_by_role("link", name="Invitations").click()
    assert_accessible(page)
    page.get_by_role("link", name="Invite people").click()
    confirm_password(page)
    assert_accessible(page)
    page.get_by_label("Or paste the rows").fill("name,email,role\nNo Address,,member\n")
    page.get_by_label("Why are you inviting them?").fill("Founding members")
    page.get_by_role("button", name="Check the list").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Row 2")
    assert_accessible(page)
    page.get_by_label("Or paste the rows").fill(
        "name,email,role\nNew One,new.one@example.org,member\n"
    )
    page.get_by_label("Why are you inviting them?").fill("Founding members")
    page.get_by_role("button", name="Check the list").click()
    assert page.locator("h1").inner_text() == "Check the invitations before sending"
    assert_accessible(page)
    page.get_by_role("button", name="Send 1 invitation").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("1 invitation sent")
    assert_accessible(page)

    email = OutboxEmail.objects.get(kind="people_invitation")
    link = re.search(r"/invitations/[^/\s]+/", email.body_text).group(0)
    visitor = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    visitor.goto(link)
    expect(visitor.locator("h1")).to_contain_text("you are invited")
    assert_accessible(visitor)
    visitor.context.close()

    page.goto(f"/staff/people/{person.pk}/")
    page.get_by_role("link", name="Suspend this account").click()
    assert_accessible(page)
    page.get_by_label("Why?").fill("Reported for spam")
    page.get_by_role("button", name="Suspend the account").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("suspended")
    assert_accessible(page)
