"""Two reviewers score one application in a real browser (the second cannot see the first's
scores before submitting, and can after); then the chair records the decision. axe finds
nothing on each page on the way."""

import re

import pytest

from members.joining.enums import ApplicationStatus
from members.joining.models import Application
from qcommunity.scoring.enums import AssignmentStatus
from tests.browser.conftest import assert_accessible
from tests.factories.panels import panel_in_review, staff_user

pytestmark = pytest.mark.django_db(transaction=True)

CRITERIA = (
    "Commitment to collaborative improvement",
    "Experience of improvement across boundaries",
    "Understanding of how to improve",
)


def open_review(page, reference: str) -> None:
    """From the panel list to the conflict question, answered "no"."""
    page.goto("/panels/")
    page.get_by_role("link", name="Wessex panel").click()
    page.get_by_role("link", name=f"Review {reference}").click()
    assert page.locator("h1").inner_text() == "Before you read it: any conflict of interest?"
    page.get_by_role("group", name="Do you have a conflict of interest").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == f"Review application {reference}"


def score_and_submit(page, reference: str, score: str, words: str) -> None:
    """On the scoring page: score each criterion with a comment, check and submit."""
    for number, title in enumerate(CRITERIA, start=1):
        page.get_by_role("group", name=f"{number}. {title}").get_by_label(score).check()
        page.get_by_label(f"Comment on \u201c{title}\u201d").fill(f"{words} on {title}")
    page.get_by_role("group", name="Your recommendation").get_by_label(
        "Recommend", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == f"Check your review of {reference}"
    page.get_by_role("button", name="Submit your review").click()
    banner = page.locator(".nhsuk-notification-banner").inner_text()
    assert "Your review has been submitted" in banner


def test_two_reviewers_score_and_the_chair_decides(sign_in_browser):
    staff = staff_user()
    setup = panel_in_review(staff)
    application = setup.applications[0]
    first, second = setup.reviewers

    page = sign_in_browser(first)
    open_review(page, application.reference)
    score_and_submit(page, application.reference, "3: Strong", "Convincing")
    table = page.locator("table", has=page.locator("caption", has_text="Scores for application"))
    assert table.locator("thead th").all_inner_texts() == ["Criterion", "Your score", "Range"]
    assert_accessible(page)

    page = sign_in_browser(second)
    open_review(page, application.reference)
    # Before submitting: the answers, but nothing of the first reviewer's.
    body = page.locator("main").inner_text()
    assert "I have led work across three teams." in body
    assert "Convincing" not in body
    assert first.get_full_name() not in body
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()  # nothing chosen yet
    page.locator(".nhsuk-error-summary").wait_for(state="visible")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    score_and_submit(page, application.reference, "1: Limited", "Thin")
    # After submitting: both reviews side by side, with the disagreement flagged.
    table = page.locator("table", has=page.locator("caption", has_text="Scores for application"))
    assert table.locator("thead th").all_inner_texts() == [
        "Criterion",
        first.get_full_name(),
        "Your score",
        "Range",
    ]
    assert table.locator("tbody tr").first.inner_text().split("\t")[:3] == [
        CRITERIA[0],
        "3",
        "1",
    ]
    assert "Convincing on" in page.locator("main").inner_text()
    assert set(setup.panel.assignments.values_list("status", flat=True)) == {
        AssignmentStatus.SUBMITTED
    }

    page = sign_in_browser(setup.chair)
    page.goto("/panels/")
    page.get_by_role("link", name="Wessex panel").click()
    page.get_by_role("button", name="Open the chair's workspace").click()
    assert page.locator("h1").inner_text() == "Chair's workspace: Wessex panel"
    assert "3 to discuss" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=application.reference).click()
    assert_accessible(page)
    page.get_by_role("group", name="Decision").get_by_label("Not yet").check()
    page.get_by_label("Reason for the decision").fill("Reviewers split; evidence thin")
    page.get_by_role("button", name="Record the decision").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")
    assert "Write feedback for the applicant" in page.locator(".nhsuk-error-summary").inner_text()
    assert page.get_by_label("Reason for the decision").input_value() == (
        "Reviewers split; evidence thin"
    )
    assert_accessible(page)
    page.get_by_label("Feedback for the applicant").fill("Tell us more about your impact.")
    page.get_by_role("button", name="Record the decision").click()
    banner = page.locator(".nhsuk-notification-banner").inner_text()
    assert re.search(rf"Your decision on {application.reference} has been recorded", banner)
    application = Application.objects.get(pk=application.pk)
    assert (application.status, application.feedback, application.released_at) == (
        ApplicationStatus.NOT_YET,
        "Tell us more about your impact.",
        None,
    )
    assert page.console_errors == []
