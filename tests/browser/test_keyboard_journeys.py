"""The first journey, done with the keyboard alone: sign up, verify the email address, sign in,
set up two-factor authentication. Axe checks each page on the way."""

import re
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from qcommunity.outbox.models import OutboxEmail
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "keyboard.user@example.org"
PASSWORD = "a-long-and-unusual-passphrase"


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def press_button(page, text: str) -> None:
    tab_to(page, f"button:has-text('{text}')")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def current_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_sign_up_verify_sign_in_and_set_up_two_factor_by_keyboard(page):
    page.goto("/accounts/signup/")
    assert_accessible(page)
    type_into(page, "#id_full_name", "Kim Keyboard")
    type_into(page, "#id_email", EMAIL)
    type_into(page, "#id_password1", PASSWORD)
    type_into(page, "#id_password2", PASSWORD)
    press_button(page, "Create account")
    assert "Check your email" in page.locator("h1").inner_text()
    assert_accessible(page)

    email = OutboxEmail.objects.get(recipient=EMAIL)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", email.body_text)
    assert link, email.body_text
    page.goto(link.group(1))
    assert_accessible(page)
    press_button(page, "Confirm email address")

    page.goto("/accounts/login/")
    type_into(page, "#id_login", EMAIL)
    type_into(page, "#id_password", PASSWORD)
    press_button(page, "Sign in")
    assert urlparse(page.url).path == "/"

    # Security settings ask for the password again before they change.
    page.goto("/accounts/2fa/totp/activate/")
    assert page.locator("h1").inner_text() == "Enter your password"
    assert_accessible(page)
    type_into(page, "#id_password", PASSWORD)
    press_button(page, "Continue")
    assert page.locator("h1").inner_text() == "Set up your authenticator app", page.url
    assert_accessible(page)
    secret = page.locator("#totp-secret").text_content().strip()
    type_into(page, "#id_code", "000000")
    press_button(page, "Turn on two-factor authentication")
    page.locator(".nhsuk-error-summary").wait_for(state="visible")  # fails if it never shows
    assert_accessible(page)
    type_into(page, "#id_code", current_code(secret))
    press_button(page, "Turn on two-factor authentication")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert page.console_errors == []


def test_two_factor_sign_in_step_by_keyboard(page):
    from allauth.mfa.totp.internal.auth import TOTP

    from qcommunity.accounts.enums import Role
    from tests.factories.accounts import PASSWORD as FACTORY_PASSWORD
    from tests.factories.accounts import UserFactory

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    editor = UserFactory(roles=[Role.EDITOR])
    TOTP.activate(editor, secret)
    page.goto("/accounts/login/")
    type_into(page, "#id_login", editor.email)
    type_into(page, "#id_password", FACTORY_PASSWORD)
    press_button(page, "Sign in")
    assert "/accounts/2fa/authenticate/" in page.url
    assert_accessible(page)
    type_into(page, "#id_code", "123456" if current_code(secret) != "123456" else "654321")
    press_button(page, "Continue")
    page.locator(".nhsuk-error-summary").wait_for(state="visible")  # fails if it never shows
    assert_accessible(page)
    type_into(page, "#id_code", current_code(secret))
    press_button(page, "Continue")
    assert urlparse(page.url).path == "/"
    assert page.get_by_text(f"You are signed in as {editor.display_name}").count() >= 1
