"""Deleting an account in a real browser, by keyboard: the errors, then the goodbye page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_deleting_an_account_by_keyboard_has_no_axe_violations(sign_in_browser):
    from django.contrib.auth import get_user_model

    user = UserFactory()
    page = sign_in_browser(user)
    page.goto("/me/delete/")
    page.get_by_role("button", name="Delete your account").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter your password")
    assert_accessible(page)
    page.get_by_label("Your password").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")  # the password's "Show" button
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    understood = page.get_by_label("I understand that deleting my account cannot be undone")
    expect(understood).to_be_checked()
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Your account has been deleted")
    assert_accessible(page)
    assert page.console_errors == []
    assert get_user_model().objects.get(pk=user.pk).deleted_at is not None


def test_undoing_an_email_change_pages_have_no_axe_violations(page):
    from allauth.account.models import EmailAddress

    from qcommunity.accounts.email_change import email_change_undo_token

    user = UserFactory(email="now@example.net")
    EmailAddress.objects.filter(user=user).update(email="now@example.net")
    token = email_change_undo_token(user=user, from_email="before@example.org", to_email=user.email)
    page.goto(f"/accounts/email/undo/{token}/")
    expect(page.locator("h1")).to_have_text("Undo the change of email address")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Undo the change and sign out everywhere").click()
    expect(page.locator("h1")).to_have_text("Your email address has been put back")
    assert_accessible(page)
    assert page.console_errors == []
    page.goto(f"/accounts/email/undo/{token}x/")  # answered 400, with a page
    expect(page.locator("h1")).to_have_text("This link is not valid")
    assert_accessible(page)
