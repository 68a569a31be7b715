"""A provider's first steps, from the Quality Mark's landing page: someone registers their
organisation, adds a programme and invites a colleague; a coordinator finds it waiting on their
home page and verifies it after a confirmation; the admin sees it verified."""

import pytest
from playwright.sync_api import expect

from accreditation.providers.models import Organisation
from qcommunity.accounts.enums import Role
from qcommunity.outbox.models import OutboxEmail
from qcommunity.people.models import Invitation
from tests.factories.panels import two_factor_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_provider_registers_adds_a_programme_invites_and_is_verified(sign_in_browser):
    admin = two_factor_user(full_name="Imogen Hartley")
    page = sign_in_browser(admin)
    page.goto("/accreditation/")
    page.get_by_role("button", name="Register your organisation").click()
    page.get_by_label("Organisation name").fill("Breathe Easy Wessex")
    page.get_by_label("Charity").check()
    page.get_by_label("Wessex").check()
    page.get_by_role("button", name="Register the organisation").click()
    expect(page.locator("h1")).to_have_text("Breathe Easy Wessex")
    expect(page.get_by_text("Waiting for verification").first).to_be_visible()

    page.get_by_role("button", name="Add a programme").click()
    page.get_by_label("Programme name").fill("Breathe Easy Steps")
    page.get_by_label("Which conditions is it for?").fill("COPD")
    page.get_by_label("Group").check()
    page.get_by_label("Our own design").check()
    page.get_by_label("How many people deliver it?").fill("12")
    page.get_by_label("How many people train those who deliver it?").fill("2")
    page.get_by_role("button", name="Add the programme").click()
    expect(page.get_by_role("cell", name="Own design")).to_be_visible()

    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_label("Their name").fill("Colin Colleague")
    page.get_by_label("Their email address").fill("colin@example.org")
    page.get_by_label("Contributor: works on the programmes").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("We have emailed an invitation to colin@example.org")).to_be_visible()
    assert Invitation.objects.get().email == "colin@example.org"

    page.context.clear_cookies()
    page = sign_in_browser(two_factor_user(roles=[Role.ACCREDITATION_COORDINATOR]))
    page.goto("/")
    page.get_by_role("link", name="Verify organisations").click()
    page.get_by_role("link", name="Verify Breathe Easy Wessex").click()
    expect(page.locator("h1")).to_have_text("Verify Breathe Easy Wessex?")
    page.get_by_role("button", name="Verify the organisation").click()
    expect(
        page.get_by_text("Breathe Easy Wessex is verified. We have emailed its admins.")
    ).to_be_visible()
    assert Organisation.objects.get().verified_at is not None
    assert OutboxEmail.objects.filter(
        kind="accreditation_provider_verified", recipient=admin.email
    ).exists()

    page.context.clear_cookies()
    page = sign_in_browser(admin)
    page.goto("/")
    page.get_by_role("link", name="Go to Breathe Easy Wessex").click()
    expect(page.get_by_text("Verified on")).to_be_visible()
