"""Directory entry, contact, edit and preview pages in a real browser: axe finds nothing, and a
member goes from someone's entry to sending them a message with the keyboard alone."""

import io
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from members.directory.enums import Visibility
from members.directory.models import Approach, ContactMessage, Offer, Topic
from members.directory.photos import photo_prepare
from members.directory.services import profile_set_photo
from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import Region, RoleType
from qcommunity.outbox.models import OutboxEmail
from tests.browser.conftest import assert_accessible
from tests.browser.test_keyboard_journeys import press_button, tab_to, type_into
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def term(model, name):
    # Transactional tests empty the tables between tests, seeded terms included.
    return model.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-")}
    )[0]


def full_profile(**extra):
    profile = ProfileFactory(
        user__full_name="Priya Patel",
        pronouns="she/her",
        job_title="Quality improvement lead",
        organisation="Northshire Community Trust",
        region=Region.WALES,
        role_types=[RoleType.FRONTLINE, RoleType.RESEARCHER],
        topics=[term(Topic, "Sepsis"), term(Topic, "Mental health")],
        approaches=[term(Approach, "Lean")],
        offers=[term(Offer, "Mentoring")],
        working_on="Reducing **falls** on wards.\n\n- one\n- two\n\n<script>alert(1)</script>",
        links=[{"label": "My blog", "url": "https://blog.example.org/"}],
        **extra,
    )
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (0, 94, 184)).save(buffer, format="JPEG")
    photo = photo_prepare(SimpleUploadedFile("p.jpg", buffer.getvalue()))
    profile_set_photo(profile=profile, photo=photo, actor=profile.user)
    profile.refresh_from_db()
    return profile


def test_profile_page_has_no_axe_violations_for_visitors_and_members(page, sign_in_browser):
    profile = full_profile(visibility=Visibility.PUBLIC)
    response = page.goto(f"/directory/{profile.slug}/")
    assert response.status == 200
    assert page.locator("img[alt='Priya Patel']").evaluate("img => img.naturalWidth") > 0
    assert_accessible(page)
    sign_in_browser(UserFactory(roles=[Role.MEMBER]))
    page.goto(f"/directory/{profile.slug}/")
    expect(page.get_by_text("Contact this member")).to_have_count(1)
    assert_accessible(page)
    assert page.console_errors == []


def test_owner_view_edit_page_and_previews_have_no_axe_violations(page, sign_in_browser):
    profile = full_profile(visibility=Visibility.MEMBERS)
    sign_in_browser(profile.user)
    page.goto(f"/directory/{profile.slug}/")
    assert "This is your directory entry" in page.content()
    assert_accessible(page)
    page.goto("/me/profile/")
    assert page.locator("h1").inner_text() == "Your directory entry"
    assert_accessible(page)
    for audience in ("member", "visitor"):
        page.goto(f"/me/profile/preview/?as={audience}")
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
    assert "cannot see your entry" in page.content()
    assert page.console_errors == []


def test_edit_page_error_states_have_no_axe_violations(page, sign_in_browser):
    profile = full_profile(visibility=Visibility.HIDDEN)
    sign_in_browser(profile.user)
    page.goto("/me/profile/")
    page.fill("#id_link_1_url", "javascript:alert(1)")
    with page.expect_navigation():
        page.get_by_role("button", name="Save your entry").click()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1)
    assert_accessible(page)
    page.set_input_files("#id_photo", {"name": "x.jpg", "mimeType": "image/jpeg", "buffer": b"no"})
    with page.expect_navigation():
        page.get_by_role("button", name="Upload photo").click()
    assert "JPG, PNG or WebP" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)


def test_contact_page_and_its_error_state_have_no_axe_violations(page, sign_in_browser):
    profile = full_profile(visibility=Visibility.MEMBERS)
    sign_in_browser(UserFactory(roles=[Role.MEMBER]))
    page.goto(f"/directory/{profile.slug}/contact/")
    assert page.locator("h1").inner_text() == "Contact Priya Patel"
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send message").click()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1)
    assert_accessible(page)
    assert page.console_errors == []


def test_member_searches_the_directory_and_contacts_someone_by_keyboard(page, sign_in_browser):
    profile = full_profile(visibility=Visibility.MEMBERS)
    ProfileFactory(user__full_name="Ravi Shah", visibility=Visibility.PUBLIC)
    sender = UserFactory(roles=[Role.MEMBER], full_name="Kim Keyboard")
    sign_in_browser(sender)
    page.goto("/directory/")
    type_into(page, "#directory-q", "Priya Patle")
    page.keyboard.press("Enter")
    page.locator("#directory-count", has_text="1 member found").wait_for()
    tab_to(page, f"#directory-results a[href='/directory/{profile.slug}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("Priya Patel")
    tab_to(page, f"a[href='/directory/{profile.slug}/contact/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path == f"/directory/{profile.slug}/contact/"
    type_into(page, "#id_subject", "Falls project")
    type_into(page, "#id_body", "Could we talk about your falls work?")
    tab_to(page, "#id_allow_reply")
    page.keyboard.press("Space")
    press_button(page, "Send message")
    assert page.locator("h1").inner_text() == "Your message has been sent"
    assert_accessible(page)
    message = ContactMessage.objects.get()
    assert (message.sender, message.recipient, message.allow_reply) == (sender, profile, True)
    email = OutboxEmail.objects.get(kind="member_contact")
    assert email.reply_to == sender.email
    assert sender.email not in email.body_text
