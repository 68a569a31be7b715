"""Editor pages: compose, reorder without JavaScript, preview, test send, schedule; list query
counts."""

import pytest
from django.urls import reverse

from qcommunity.newsletters.issues.enums import IssueStatus
from qcommunity.newsletters.issues.models import Issue
from qcommunity.outbox.models import OutboxEmail
from tests.factories.newsletters import (
    BlockFactory,
    IssueFactory,
    NewsletterFactory,
    ShowcaseItemFactory,
    editor_user,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(editor_user())
    return client


def test_an_editor_composes_previews_test_sends_approves_and_schedules(editor_client):
    newsletter = NewsletterFactory(name="Q community news")
    response = editor_client.post(
        reverse("newsletters-staff:issue-create"),
        {"newsletter": newsletter.pk, "title": "Spring news", "intro": "Hello {{ first_name }}"},
    )
    issue = Issue.objects.get(title="Spring news")
    assert response.headers["Location"] == reverse(
        "newsletters-staff:issue-detail", args=[issue.pk]
    )

    add = reverse("newsletters-staff:section-add", args=[issue.pk])
    editor_client.post(add, {"heading": "First", "body": "One"})
    editor_client.post(add, {"heading": "Second", "body": "Two"})
    second = issue.sections.get(heading="Second")
    editor_client.post(
        reverse("newsletters-staff:section-move", args=[issue.pk, second.pk]),
        {"direction": "up"},
    )
    assert list(issue.sections.order_by("position").values_list("heading", flat=True)) == [
        "Second",
        "First",
    ]

    preview = editor_client.get(reverse("newsletters-staff:issue-preview", args=[issue.pk]))
    assert preview.status_code == 200
    assert "Hello there" in preview.content.decode()
    frame = editor_client.get(reverse("newsletters-staff:issue-preview-email", args=[issue.pk]))
    assert "script-src" not in frame.headers["Content-Security-Policy"]
    assert "default-src 'none'" in frame.headers["Content-Security-Policy"]
    assert frame.headers["X-Frame-Options"] == "SAMEORIGIN"

    editor_client.post(reverse("newsletters-staff:issue-test-send", args=[issue.pk]))
    assert OutboxEmail.objects.filter(kind="newsletter_test").count() == 1

    editor_client.post(reverse("newsletters-staff:issue-transition", args=[issue.pk, "approve"]))
    response = editor_client.post(
        reverse("newsletters-staff:issue-schedule", args=[issue.pk]),
        {"date-day": "3", "date-month": "6", "date-year": "2099", "time": "9:30am"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED
    # 9:30am in London in June (British Summer Time) is 8:30 UTC.
    assert issue.scheduled_for.isoformat() == "2099-06-03T08:30:00+00:00"
    page = editor_client.get(reverse("newsletters-staff:issue-detail", args=[issue.pk]))
    assert "3 June 2099, 9:30am" in page.content.decode()


def test_scheduling_in_the_past_shows_an_error(editor_client):
    issue = IssueFactory(status=IssueStatus.APPROVED)
    response = editor_client.post(
        reverse("newsletters-staff:issue-schedule", args=[issue.pk]),
        {"date-day": "1", "date-month": "1", "date-year": "2020", "time": "14:00"},
    )
    assert response.status_code == 200
    assert "must be in the future" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.APPROVED


def test_an_unknown_merge_field_is_a_form_error(editor_client):
    issue = IssueFactory()
    response = editor_client.post(
        reverse("newsletters-staff:section-add", args=[issue.pk]),
        {"heading": "Hi", "body": "Dear {{ fist_name }}"},
    )
    assert response.status_code == 200
    assert "is not a merge field we know" in response.content.decode()
    assert not issue.sections.exists()


def test_an_approved_issue_shows_no_editing_controls(editor_client):
    issue = IssueFactory(status=IssueStatus.APPROVED)
    page = editor_client.get(reverse("newsletters-staff:issue-detail", args=[issue.pk]))
    html = page.content.decode()
    assert "Return to draft to make changes" in html
    assert "Add a text section" not in html
    assert "Schedule the issue" in html
    edit = editor_client.get(reverse("newsletters-staff:issue-edit", args=[issue.pk]))
    assert edit.status_code == 404


def test_the_issue_list_filters_by_status(editor_client):
    IssueFactory(title="A draft")
    IssueFactory(title="A sent one", status=IssueStatus.SENT)
    page = editor_client.get(reverse("newsletters-staff:issue-list"), {"status": "sent"})
    html = page.content.decode()
    assert "A sent one" in html
    assert "A draft" not in html


def test_issue_list_queries_do_not_grow(editor_client):
    newsletter = NewsletterFactory()
    IssueFactory(newsletter=newsletter)
    url = reverse("newsletters-staff:issue-list")
    assert_constant_queries(
        lambda: editor_client.get(url),
        lambda n: [IssueFactory(newsletter=NewsletterFactory()) for _ in range(n)],
    )


def test_block_list_queries_do_not_grow(editor_client):
    BlockFactory()
    url = reverse("newsletters-staff:block-list")
    assert_constant_queries(
        lambda: editor_client.get(url), lambda n: [BlockFactory() for _ in range(n)]
    )


def test_showcase_queue_queries_do_not_grow(editor_client):
    ShowcaseItemFactory()
    url = reverse("newsletters-staff:showcase-queue")
    assert_constant_queries(lambda: editor_client.get(url), ShowcaseItemFactory.create_batch)


def test_issue_page_queries_do_not_grow_with_sections(editor_client):
    from qcommunity.newsletters.issues import services as issue_services
    from qcommunity.newsletters.showcase.enums import ShowcaseStatus

    editor = editor_user()
    issue = IssueFactory()
    issue_services.section_add(actor=editor, issue=issue, heading="One", body="1")
    issue_services.section_add_block(actor=editor, issue=issue, block=BlockFactory())
    ShowcaseItemFactory(status=ShowcaseStatus.APPROVED)  # one left to choose from
    url = reverse("newsletters-staff:issue-detail", args=[issue.pk])

    def add(n):
        for i in range(n):
            issue_services.section_add(actor=editor, issue=issue, heading=f"S{i}", body="x")
            issue_services.section_add_block(actor=editor, issue=issue, block=BlockFactory())
            issue_services.section_add_showcase(
                actor=editor,
                issue=issue,
                item=ShowcaseItemFactory(status=ShowcaseStatus.APPROVED),
            )

    assert_constant_queries(lambda: editor_client.get(url), add, many=5)
