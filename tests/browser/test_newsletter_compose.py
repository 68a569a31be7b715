"""axe-core finds nothing on the compose, preview, showcase, editor queue and archive pages."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qcommunity.newsletters.issues import services as issue_services
from qcommunity.newsletters.issues.enums import IssueStatus
from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from tests.browser.conftest import assert_accessible
from tests.factories.newsletters import (
    BlockFactory,
    IssueFactory,
    ShowcaseItemFactory,
    editor_user,
)

pytestmark = pytest.mark.django_db(transaction=True)


def composed_issue(editor):
    issue = IssueFactory(title="Spring news", intro="Hello {{ first_name }}, welcome.")
    issue_services.section_add(
        actor=editor,
        issue=issue,
        heading="Labs",
        body="Our **labs** are [open](https://q.example/).",
    )
    issue_services.section_add_block(actor=editor, issue=issue, block=BlockFactory())
    item = ShowcaseItemFactory(status=ShowcaseStatus.APPROVED)
    issue_services.section_add_showcase(actor=editor, issue=issue, item=item)
    ShowcaseItemFactory(status=ShowcaseStatus.APPROVED, title="Waiting to be used")
    return issue


def test_editor_pages_have_no_axe_violations(sign_in_browser):
    editor = editor_user()
    issue = composed_issue(editor)
    ShowcaseItemFactory(title="Waiting for review")
    page = sign_in_browser(editor)
    paths = [
        "/staff/newsletters/issues/",
        "/staff/newsletters/issues/new/",
        f"/staff/newsletters/issues/{issue.pk}/",
        f"/staff/newsletters/issues/{issue.pk}/edit/",
        f"/staff/newsletters/issues/{issue.pk}/sections/add/",
        f"/staff/newsletters/issues/{issue.pk}/preview/",
        f"/staff/newsletters/issues/{issue.pk}/preview/email/",
        "/staff/newsletters/issues/blocks/",
        "/staff/newsletters/issues/blocks/new/",
        "/staff/newsletters/issues/showcase/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1"), path).to_have_count(1)
        assert_accessible(page)
    item = ShowcaseItemFactory()
    page.goto(f"/staff/newsletters/issues/showcase/{item.pk}/")
    assert_accessible(page)
    # An approved issue shows the schedule form; errors are shown accessibly too.
    issue_services.issue_transition(actor=editor, issue=issue, action="approve")
    page.goto(f"/staff/newsletters/issues/{issue.pk}/")
    page.locator("#schedule-time").fill("25:99")
    page.get_by_role("button", name="Schedule the issue").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")  # fails if it never shows
    assert_accessible(page)


def test_reordering_works_without_javascript(browser, live_server, settings):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    editor = editor_user()
    issue = IssueFactory()
    issue_services.section_add(actor=editor, issue=issue, heading="First", body="1")
    issue_services.section_add(actor=editor, issue=issue, heading="Second", body="2")
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from tests.conftest import record_second_factor

    session = SessionStore()
    session[SESSION_KEY] = str(editor.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = editor.get_session_auth_hash()
    session.save()
    record_second_factor(session, editor)  # editors sign in with two factors
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"/staff/newsletters/issues/{issue.pk}/")
    page.get_by_role("button", name="Move up section 2").click()
    headings = list(issue.sections.order_by("position").values_list("heading", flat=True))
    assert headings == ["Second", "First"]
    context.close()


def test_member_showcase_pages_have_no_axe_violations(sign_in_browser, member):
    mine = ShowcaseItemFactory(submitted_by=member, status=ShowcaseStatus.RETURNED)
    mine.return_reason = "Please add what changed."
    mine.save()
    page = sign_in_browser(member)
    for path in ("/me/showcase/", "/me/showcase/new/", f"/me/showcase/{mine.pk}/",
                 f"/me/showcase/{mine.pk}/edit/"):  # fmt: skip
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)
    page.goto("/me/showcase/new/")
    page.get_by_role("button", name="Send for review").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")  # fails if it never shows
    assert_accessible(page)


def test_archive_pages_have_no_axe_violations(page):
    editor = editor_user()
    issue = composed_issue(editor)
    type(issue).objects.filter(pk=issue.pk).update(status=IssueStatus.SENT, sent_at=timezone.now())
    for path in (
        "/newsletter/archive/",
        f"/newsletter/archive/{issue.newsletter.slug}/",
        f"/newsletter/archive/{issue.newsletter.slug}/{issue.slug}/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
