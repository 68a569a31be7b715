"""Applying to join Q with the keyboard alone: check eligibility, sign in, start, fill in (the
live word count and the autosave working), leave, come back to the draft, check the answers
and submit. Axe checks each page type on the way."""

import re
from urllib.parse import urlparse

import pytest

from members.joining.enums import ApplicationStatus
from members.joining.models import Application
from qcommunity.accounts.enums import Role
from qcommunity.outbox.models import OutboxEmail
from tests.browser.conftest import assert_accessible
from tests.browser.test_keyboard_journeys import press_button, tab_to, type_into
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.joining import make_round

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "I brought three teams together to cut waiting times for falls clinics."


def press_link(page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose(page, selector: str, text: str) -> None:
    """Pick an option of a select by typing its first letters, as a keyboard user does."""
    tab_to(page, selector)
    page.keyboard.type(text)


def tick(page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Space")


def test_check_sign_in_start_fill_leave_return_and_submit_by_keyboard(page):
    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    round_ = make_round(admin)
    criteria = list(round_.scheme.criteria.all())
    applicant = UserFactory(full_name="Ada Applicant")

    page.goto("/join/")
    assert page.locator("h1").inner_text() == "Join Q"
    assert_accessible(page)
    choose(page, "#id_region", "Wessex")
    assert page.locator("#id_region").input_value() == "wessex"
    press_button(page, "Check if you can apply")
    assert page.locator("h1").inner_text() == "Can you apply?"
    assert "You can apply to this round." in page.content()
    assert_accessible(page)

    press_link(page, "a:has-text('Sign in to start your application')")
    assert urlparse(page.url).path == "/accounts/login/"
    type_into(page, "#id_login", applicant.email)
    type_into(page, "#id_password", PASSWORD)
    press_button(page, "Sign in")
    assert urlparse(page.url).path == "/join/eligibility/", page.url
    press_button(page, "Start your application")
    application = Application.objects.get(applicant=applicant, round=round_)
    assert urlparse(page.url).path == f"/join/applications/{application.pk}/edit/"
    assert_accessible(page)

    type_into(page, "#id_job_title", "Improvement lead")
    type_into(page, "#id_organisation", "Northshire Health Trust")
    choose(page, "#id_organisation_type", "Acute")
    tick(page, "input[name=role_types][value=manager]")
    assert page.locator("#id_region").input_value() == "wessex"  # from the eligibility check
    for criterion in criteria:
        type_into(page, f"#id_answer_{criterion.pk}", ANSWER)
    # The NHS.UK character count, counting words as the server does.
    count = page.locator(".nhsuk-character-count__status").first
    assert count.inner_text() == "You have 238 words remaining"
    for value in ("directory", "evaluation", "share_learning"):
        tick(page, f"input[name=commitments][value={value}]")
    page.locator("#autosave-status", has_text="Saved at").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('form[hx-post]').classList.contains('htmx-request')"
    )

    # Leave without pressing a button; the autosave kept everything.
    page.goto("/")
    application.refresh_from_db()
    assert application.job_title == "Improvement lead"
    assert len(application.commitments) == 3
    page.goto("/join/applications/")
    assert_accessible(page)
    press_link(page, f"a:has-text('{round_.name}')")
    assert_accessible(page)
    press_link(page, "a:has-text('Carry on with your application')")
    assert page.locator(f"#id_answer_{criteria[2].pk}").input_value() == ANSWER
    assert page.locator("#id_organisation").input_value() == "Northshire Health Trust"

    press_button(page, "Save and continue")
    assert page.locator("h1").inner_text() == "Check your answers before you submit"
    assert_accessible(page)
    press_button(page, "Submit your application")
    assert "Application submitted" in page.locator("h1").inner_text()
    reference = page.locator(".nhsuk-panel strong").inner_text()
    assert re.fullmatch(r"Q-\d{4}-\d{5,}", reference)
    assert_accessible(page)
    application.refresh_from_db()
    assert (application.status, application.reference) == (ApplicationStatus.SUBMITTED, reference)
    assert OutboxEmail.objects.filter(recipient=applicant.email).count() == 1
    assert page.console_errors == [], page.console_errors
