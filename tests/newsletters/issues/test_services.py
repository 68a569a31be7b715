import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qcommunity.audit.models import AuditEntry
from qcommunity.newsletters.issues import services as issue_services
from qcommunity.newsletters.issues.enums import (
    ISSUE_BUTTON_ACTIONS,
    ISSUE_TRANSITIONS,
    IssueStatus,
    SectionKind,
)
from qcommunity.newsletters.issues.services import ComposeError
from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import (
    BlockFactory,
    IssueFactory,
    NewsletterFactory,
    ShowcaseItemFactory,
    editor_user,
)

pytestmark = pytest.mark.django_db


def actions(issue_pk):
    return list(
        AuditEntry.objects.filter(target_id=str(issue_pk), action__startswith="newsletter_issue.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_issue_create_makes_a_draft_with_a_slug_and_an_audit_row():
    editor = editor_user()
    newsletter = NewsletterFactory()
    issue = issue_services.issue_create(
        actor=editor, newsletter=newsletter, title="Spring 2027 news"
    )
    second = issue_services.issue_create(
        actor=editor, newsletter=newsletter, title="Spring 2027 news"
    )
    assert issue.status == IssueStatus.DRAFT
    assert (issue.slug, second.slug) == ("spring-2027-news", "spring-2027-news-2")
    assert issue.created_by == editor
    assert actions(issue.pk) == ["newsletter_issue.create"]


def test_issue_create_refuses_people_who_are_not_editors(member):
    with pytest.raises(ComposeError):
        issue_services.issue_create(actor=member, newsletter=NewsletterFactory(), title="Hello")


def test_issue_create_refuses_an_unknown_merge_field():
    with pytest.raises(ValidationError) as error:
        issue_services.issue_create(
            actor=editor_user(),
            newsletter=NewsletterFactory(),
            title="Hi",
            intro="Dear {{ frist_name }},",
        )
    assert error.value.message_dict["intro"] == [
        "{{ frist_name }} is not a merge field we know. "
        "You can use {{ first_name }}, {{ newsletter_name }}."
    ]


def test_sections_are_added_in_order_moved_and_removed_without_gaps():
    editor = editor_user()
    issue = IssueFactory()
    first = issue_services.section_add(actor=editor, issue=issue, heading="One", body="1")
    second = issue_services.section_add(actor=editor, issue=issue, heading="Two", body="2")
    block = issue_services.section_add_block(actor=editor, issue=issue, block=BlockFactory())
    assert [s.position for s in (first, second, block)] == [1, 2, 3]

    issue_services.section_move(actor=editor, section=block, direction="up")
    order = list(issue.sections.order_by("position").values_list("heading", "kind"))
    assert order == [("One", "text"), ("", "block"), ("Two", "text")]

    issue_services.section_move(actor=editor, section=first, direction="up")  # already at the top
    assert issue.sections.get(pk=first.pk).position == 1

    issue_services.section_remove(actor=editor, section=first)
    positions = list(issue.sections.order_by("position").values_list("position", "kind"))
    assert positions == [(1, "block"), (2, "text")]


def test_sections_cannot_change_once_the_issue_is_approved():
    editor = editor_user()
    issue = IssueFactory()
    section = issue_services.section_add(actor=editor, issue=issue, heading="One", body="1")
    issue_services.issue_transition(actor=editor, issue=issue, action="approve")
    with pytest.raises(ComposeError, match="Only draft issues can be changed"):
        issue_services.section_update(actor=editor, section=section, heading="New", body="x")
    with pytest.raises(ComposeError):
        issue_services.section_add(actor=editor, issue=issue, heading="Two", body="2")


def test_only_approved_showcase_items_go_into_an_issue_and_only_once():
    editor = editor_user()
    issue = IssueFactory()
    waiting = ShowcaseItemFactory()
    with pytest.raises(ComposeError, match="Only approved"):
        issue_services.section_add_showcase(actor=editor, issue=issue, item=waiting)
    approved = ShowcaseItemFactory(status=ShowcaseStatus.APPROVED)
    section = issue_services.section_add_showcase(actor=editor, issue=issue, item=approved)
    assert section.kind == SectionKind.SHOWCASE
    with pytest.raises(ComposeError, match="already in this issue"):
        issue_services.section_add_showcase(actor=editor, issue=issue, item=approved)


def test_approve_then_schedule_then_unschedule():
    editor = editor_user()
    issue = IssueFactory()
    issue_services.issue_transition(actor=editor, issue=issue, action="approve")
    when = timezone.now() + dt.timedelta(days=2)
    issue = issue_services.issue_schedule(actor=editor, issue=issue, scheduled_for=when)
    assert (issue.status, issue.scheduled_for) == (IssueStatus.SCHEDULED, when)
    issue = issue_services.issue_transition(actor=editor, issue=issue, action="unschedule")
    assert (issue.status, issue.scheduled_for) == (IssueStatus.APPROVED, None)
    assert actions(issue.pk) == [
        "newsletter_issue.approve",
        "newsletter_issue.schedule",
        "newsletter_issue.unschedule",
    ]
    entry = AuditEntry.objects.get(target_id=str(issue.pk), action="newsletter_issue.schedule")
    assert entry.data == {"from": "approved", "to": "scheduled", "scheduled_for": when.isoformat()}


def test_a_draft_cannot_be_scheduled():
    issue = IssueFactory()
    with pytest.raises(ComposeError, match="draft"):
        issue_services.issue_schedule(
            actor=editor_user(), issue=issue, scheduled_for=timezone.now() + dt.timedelta(days=1)
        )


def test_scheduling_needs_a_time_in_the_future():
    editor = editor_user()
    issue = issue_services.issue_transition(actor=editor, issue=IssueFactory(), action="approve")
    with pytest.raises(ComposeError, match="in the future"):
        issue_services.issue_schedule(
            actor=editor, issue=issue, scheduled_for=timezone.now() - dt.timedelta(minutes=1)
        )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.APPROVED


def test_approving_twice_does_nothing_the_second_time():
    editor = editor_user()
    issue = IssueFactory()
    issue_services.issue_transition(actor=editor, issue=issue, action="approve")
    with pytest.raises(ComposeError, match="approved"):
        issue_services.issue_transition(actor=editor, issue=issue, action="approve")
    assert actions(issue.pk) == ["newsletter_issue.approve"]


def test_an_empty_issue_cannot_be_approved():
    issue = IssueFactory(intro="")
    with pytest.raises(ComposeError, match="Add an introduction"):
        issue_services.issue_transition(actor=editor_user(), issue=issue, action="approve")


def test_an_unknown_merge_field_in_a_block_stops_approval():
    editor = editor_user()
    issue = IssueFactory()
    block = BlockFactory(body="Thanks {{ surname }}")
    issue_services.section_add_block(actor=editor, issue=issue, block=block)
    with pytest.raises(ComposeError, match=r"\{\{ surname \}\} is not a merge field"):
        issue_services.issue_transition(actor=editor, issue=issue, action="approve")


def test_a_showcase_item_no_longer_approved_stops_approval():
    editor = editor_user()
    issue = IssueFactory()
    item = ShowcaseItemFactory(status=ShowcaseStatus.APPROVED)
    issue_services.section_add_showcase(actor=editor, issue=issue, item=item)
    type(item).objects.filter(pk=item.pk).update(status=ShowcaseStatus.RETURNED)
    with pytest.raises(ComposeError, match="no longer approved"):
        issue_services.issue_transition(actor=editor, issue=issue, action="approve")


def test_start_sending_copies_blocks_so_later_edits_do_not_change_the_issue():
    editor = editor_user()
    issue = IssueFactory()
    block = BlockFactory(heading="Get involved", body="Old words")
    section = issue_services.section_add_block(actor=editor, issue=issue, block=block)
    issue_services.issue_transition(actor=editor, issue=issue, action="approve")
    issue_services.issue_start_sending(issue=issue)
    issue_services.block_update(
        actor=editor, block=block, name=block.name, heading="New", body="New"
    )
    section.refresh_from_db()
    assert (section.heading, section.body) == ("Get involved", "Old words")
    issue = issue_services.issue_mark_sent(issue=issue)
    assert issue.status == IssueStatus.SENT
    assert issue.sent_at is not None


def test_the_system_moves_are_not_editor_buttons():
    assert ISSUE_TRANSITIONS["start_sending"].system
    assert not ISSUE_TRANSITIONS["approve"].system
    editor = editor_user()

    def buttons(status):
        issue = IssueFactory(status=status)
        return [
            t.action for t in issue_services.ISSUES.actions_for(issue, editor, ISSUE_BUTTON_ACTIONS)
        ]

    assert buttons(IssueStatus.DRAFT) == ["approve", "cancel"]
    assert buttons(IssueStatus.SCHEDULED) == ["unschedule", "return_to_draft", "cancel"]
    assert buttons(IssueStatus.SENT) == []
    assert (
        issue_services.ISSUES.actions_for(IssueFactory(), UserFactory(), ISSUE_BUTTON_ACTIONS) == []
    )


def test_cancel_clears_the_schedule_and_restore_makes_a_draft():
    editor = editor_user()
    issue = issue_services.issue_transition(actor=editor, issue=IssueFactory(), action="approve")
    issue = issue_services.issue_schedule(
        actor=editor, issue=issue, scheduled_for=timezone.now() + dt.timedelta(hours=3)
    )
    issue = issue_services.issue_transition(actor=editor, issue=issue, action="cancel")
    assert (issue.status, issue.scheduled_for) == (IssueStatus.CANCELLED, None)
    assert (
        issue_services.issue_transition(actor=editor, issue=issue, action="restore").status
        == IssueStatus.DRAFT
    )


def test_test_send_queues_one_email_to_the_editor():
    editor = editor_user()
    issue = IssueFactory(title="Winter news")
    issue_services.section_add(actor=editor, issue=issue, heading="Labs", body="**Bold** news")
    row = issue_services.issue_test_send(actor=editor, issue=issue)
    assert (row.recipient, row.kind, row.subject) == (
        editor.email,
        "newsletter_test",
        "Test: Winter news",
    )
    assert "<strong>Bold</strong>" in row.body_html
    assert "This is a test." in row.body_text
    assert actions(issue.pk)[-1] == "newsletter_issue.test_send"


def test_test_sends_are_limited_per_hour():
    editor = editor_user()
    issue = IssueFactory()
    for _ in range(issue_services.TEST_SENDS_PER_HOUR):
        issue_services.issue_test_send(actor=editor, issue=issue)
    with pytest.raises(ComposeError, match="up to 10 tests an hour"):
        issue_services.issue_test_send(actor=editor, issue=issue)
    assert OutboxEmail.objects.filter(kind="newsletter_test").count() == 10


def test_block_create_and_update_are_audited():
    editor = editor_user()
    block = issue_services.block_create(
        actor=editor, name="Footer", heading="", body="Thanks for reading"
    )
    issue_services.block_update(
        actor=editor, block=block, name="Footer", heading="", body="Thank you"
    )
    block.refresh_from_db()
    assert block.body == "Thank you"
    assert list(
        AuditEntry.objects.filter(target_id=str(block.pk), action__startswith="newsletter_block.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["newsletter_block.create", "newsletter_block.update"]


def test_a_scheduled_issue_returned_to_draft_keeps_its_time_until_approved_again():
    editor = editor_user()
    issue = issue_services.issue_transition(actor=editor, issue=IssueFactory(), action="approve")
    when = timezone.now() + dt.timedelta(days=2)
    issue_services.issue_schedule(actor=editor, issue=issue, scheduled_for=when)
    issue = issue_services.issue_transition(actor=editor, issue=issue, action="return_to_draft")
    assert (issue.status, issue.scheduled_for) == (IssueStatus.DRAFT, when)
    issue = issue_services.issue_transition(actor=editor, issue=issue, action="approve")
    assert (issue.status, issue.scheduled_for) == (IssueStatus.SCHEDULED, when)


def test_approving_a_draft_whose_planned_time_has_passed_only_approves_it():
    editor = editor_user()
    issue = issue_services.issue_transition(actor=editor, issue=IssueFactory(), action="approve")
    issue_services.issue_schedule(
        actor=editor, issue=issue, scheduled_for=timezone.now() + dt.timedelta(days=2)
    )
    issue = issue_services.issue_transition(actor=editor, issue=issue, action="return_to_draft")
    type(issue).objects.filter(pk=issue.pk).update(
        scheduled_for=timezone.now() - dt.timedelta(hours=1)
    )
    issue.refresh_from_db()
    issue = issue_services.issue_transition(actor=editor, issue=issue, action="approve")
    assert (issue.status, issue.scheduled_for) == (IssueStatus.APPROVED, None)
