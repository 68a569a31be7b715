"""The judged newsletter journey end to end, in a real browser against real services: a visitor
subscribes and confirms through the emailed link; an editor composes, previews, test-sends,
approves and schedules an issue with an approved member showcase item; the issue goes out (the
beat's services called directly); the visitor leaves with the one-click unsubscribe a mail client
sends, and gets nothing from the next issue."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.newsletters.issues import services as issue_services
from qcommunity.newsletters.issues.enums import DeliveryStatus, IssueStatus
from qcommunity.newsletters.issues.models import Delivery, Issue
from qcommunity.newsletters.sending.services import issue_send, issues_start_due
from qcommunity.newsletters.showcase import services as showcase_services
from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from qcommunity.newsletters.subscriptions.enums import SubscriptionStatus
from qcommunity.newsletters.subscriptions.models import Subscription
from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from qcommunity.outbox.services import outbox_send_queued
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import (
    NewsletterFactory,
    SubscriptionFactory,
    editor_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

LONDON = zoneinfo.ZoneInfo("Europe/London")
VISITOR = "visitor.journey@example.org"


def send_due_issue(issue: Issue) -> None:
    """What the beat does once the scheduled time has passed, then the fan-out and the outbox
    sender, all in this process (tasks run eagerly in tests, so these calls may find the work
    done already; each is idempotent)."""
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED
    started = issues_start_due(now=issue.scheduled_for + dt.timedelta(seconds=1))
    assert issue.pk in started
    issue_send(issue_id=issue.pk)
    outbox_send_queued()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


def messages_to(address: str, subject: str | None = None) -> list:
    return [m for m in mail.outbox if address in m.to and (subject is None or m.subject == subject)]


def test_visitor_subscribes_gets_an_issue_and_unsubscribes_with_one_click(
    browser, page, sign_in_browser, live_server, settings
):
    # Links in emails point at the live server, as they point at the site in production.
    settings.SITE_URL = live_server.url
    newsletter = NewsletterFactory(name="Q Insight", slug="q-insight")
    other_reader = SubscriptionFactory(newsletter=newsletter).contact.email

    # 1. A visitor subscribes on the public form (a browser with no session).
    visitor_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    visitor = visitor_context.new_page()
    visitor.set_default_timeout(10_000)
    visitor.goto("/newsletter/")
    visitor.get_by_label("Email address").fill(VISITOR)
    visitor.get_by_label("Your name").fill("Vera Visitor")
    visitor.get_by_label("Organisation").fill("St Elsewhere")
    visitor.get_by_label("Q Insight").check()
    visitor.get_by_role("button", name="Subscribe").click()
    visitor.wait_for_url("**/newsletter/check-your-email/")
    subscription = Subscription.objects.get(contact__email=VISITOR, newsletter=newsletter)
    assert subscription.status == SubscriptionStatus.PENDING

    # 2. ... and confirms through the link in the email we queued for them.
    confirm_row = OutboxEmail.objects.get(kind="newsletter_confirm", recipient=VISITOR)
    [confirm_link] = re.findall(r"https?://\S+/newsletter/confirm/[^/\s]+/", confirm_row.body_text)
    assert confirm_link.startswith(live_server.url)
    visitor.goto(confirm_link)
    assert visitor.locator("h1").inner_text() == "Confirm your subscription"
    visitor.get_by_role("button", name="Confirm subscription").click()
    visitor.get_by_text("We will email you Q Insight.").wait_for()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    visitor_context.close()

    # 3. A member's work, put forward and approved, waits to go into an issue.
    editor = editor_user()
    member = UserFactory(roles=[Role.MEMBER])
    item = showcase_services.showcase_submit(
        actor=member,
        title="Fewer falls on ward 7",
        summary="We tested a morning huddle and falls went down by a third.",
        link="https://example.org/falls",
    )
    item = showcase_services.showcase_approve(actor=editor, item=item)
    assert item.status == ShowcaseStatus.APPROVED

    # 4. The editor composes the issue in the browser.
    page = sign_in_browser(editor)
    page.goto("/staff/newsletters/issues/")
    page.get_by_role("button", name="Start a new issue").click()
    page.get_by_label("Newsletter").select_option(label="Q Insight")
    page.get_by_label("Title").fill("Spring news")
    page.get_by_label("Introduction").fill("Hello {{ first_name }}, welcome to spring.")
    page.get_by_role("button", name="Create the issue").click()
    page.wait_for_url(re.compile(r"/staff/newsletters/issues/\d+/$"))
    issue = Issue.objects.get(newsletter=newsletter, title="Spring news")
    assert issue.status == IssueStatus.DRAFT

    page.get_by_role("button", name="Add a text section").click()
    page.get_by_label("Heading").fill("Labs are open")
    page.get_by_label("Text").fill("Our **labs** are open to every member.")
    page.get_by_role("button", name="Save the section").click()
    page.wait_for_url(re.compile(rf"/staff/newsletters/issues/{issue.pk}/"))
    page.get_by_label("Approved showcase item").select_option(label=item.title)
    page.get_by_role("button", name="Add the showcase item").click()
    page.locator(".q-section-list li").nth(1).wait_for()
    kinds = list(issue.sections.order_by("position").values_list("kind", "showcase_item"))
    assert kinds == [("text", None), ("showcase", item.pk)]

    # Preview: the web version and the plain-text email carry both sections.
    page.get_by_role("link", name="Preview the issue on the web and as the email").click()
    page.wait_for_url(f"**/staff/newsletters/issues/{issue.pk}/preview/")
    preview = page.locator(".q-preview").inner_text()
    assert "Labs are open" in preview
    assert item.title in preview
    plain = page.locator(".q-email-text").inner_text()
    assert "Labs are open" in plain
    assert item.title in plain
    page.get_by_role("link", name="Back to the issue").click()
    page.wait_for_url(f"**/staff/newsletters/issues/{issue.pk}/")

    # A test send goes to the editor only.
    page.get_by_role("button", name=f"Send a test to {editor.email}").click()
    page.get_by_text(f"A test has been sent to {editor.email}").wait_for()
    [test_row] = OutboxEmail.objects.filter(kind="newsletter_test")
    assert test_row.recipient == editor.email
    assert test_row.subject == "Test: Spring news"
    assert not OutboxEmail.objects.filter(kind="newsletter_issue").exists()

    # Approve, then schedule a minute or two ahead, in UK time.
    page.get_by_role("button", name="Approve this issue").click()
    page.get_by_text("The issue is approved. You can now schedule it.").wait_for()
    when = (timezone.now() + dt.timedelta(minutes=2)).astimezone(LONDON)
    page.locator("input[name='date-day']").fill(str(when.day))
    page.locator("input[name='date-month']").fill(str(when.month))
    page.locator("input[name='date-year']").fill(str(when.year))
    page.locator("#schedule-time").fill(when.strftime("%H:%M"))
    page.get_by_role("button", name="Schedule the issue").click()
    page.get_by_text("The issue is scheduled").wait_for()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED
    assert issue.scheduled_for == when.replace(second=0, microsecond=0)
    assert issue.scheduled_for > timezone.now()
    assert page.console_errors == []

    # 5. The issue goes out, as the beat would send it.
    send_due_issue(issue)
    [delivery] = Delivery.objects.filter(issue=issue, email=VISITOR)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.outbox_email.status == EmailStatus.SENT
    [message] = messages_to(VISITOR, "Spring news")
    assert len(messages_to(other_reader, "Spring news")) == 1
    headers = dict(message.extra_headers)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_link = headers["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    assert unsubscribe_link.startswith(f"{live_server.url}/newsletter/unsubscribe/")
    assert "Hello Vera" in message.body
    assert item.title in message.body

    # 6. One-click unsubscribe exactly as a mail client sends it: a bare POST, no cookies and
    # no CSRF token.
    mail_client = browser.new_context()
    response = mail_client.request.post(
        unsubscribe_link,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert response.status == 200
    assert "You have unsubscribed" in response.text()
    mail_client.close()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED

    # 7. The next issue reaches the other reader but not the visitor.
    before = len(messages_to(VISITOR))
    second = Issue.objects.create(newsletter=newsletter, title="Summer news", slug="summer-news")
    issue_services.section_add(actor=editor, issue=second, heading="Summer", body="Sun and labs.")
    issue_services.issue_transition(actor=editor, issue=second, action="approve")
    issue_services.issue_schedule(
        actor=editor, issue=second, scheduled_for=timezone.now() + dt.timedelta(minutes=1)
    )
    send_due_issue(second)
    assert len(messages_to(other_reader, "Summer news")) == 1
    assert messages_to(VISITOR, "Summer news") == []
    assert len(messages_to(VISITOR)) == before
    assert not Delivery.objects.filter(issue=second, email__iexact=VISITOR).exists()
    to_visitor = OutboxEmail.objects.filter(kind="newsletter_issue", recipient__iexact=VISITOR)
    assert list(to_visitor.values_list("pk", flat=True)) == [delivery.outbox_email_id]
