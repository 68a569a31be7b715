import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from members.directory.services import profile_confirm_up_to_date
from qcommunity.accounts.enums import Role
from qcommunity.newsletters.issues.enums import IssueStatus
from qcommunity.notifications.services import notification_preferences_set
from qcommunity.outbox.models import OutboxEmail
from qcommunity.reminders import registry, tasks
from qcommunity.reminders.models import SentReminder
from qcommunity.reminders.registry import Due, ReminderKind
from qcommunity.reminders.selectors import reminders_upcoming
from qcommunity.reminders.services import reminder_kind_send_due, reminders_send_due
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory
from tests.reminders.helpers import NOW, YEAR, editors, issue_scheduled, profile_confirmed

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def test_directory_entry_confirmed_a_year_ago_gets_one_reminder_end_to_end():
    profile = profile_confirmed(YEAR + HOUR)

    sent = reminders_send_due(now=NOW)

    assert sent == 1
    email = OutboxEmail.objects.get()
    assert email.recipient == profile.user.email
    assert email.kind == "reminder_directory_confirm"
    assert email.subject == "Is your Q directory entry still up to date?"
    assert "http://127.0.0.1:8000/me/profile/" in email.body_text
    assert f"up to date on {(NOW - YEAR - HOUR).day} November 2025" in email.body_text
    assert 'href="http://127.0.0.1:8000/me/profile/"' in email.body_html
    assert email.related_id == str(profile.pk)
    row = SentReminder.objects.get()
    assert (row.kind, row.object_id, row.recipient, row.due_date, row.outbox_email) == (
        "members.directory_confirm",
        str(profile.pk),
        profile.user,
        profile.confirmed_at + YEAR,
        email,
    )


def test_running_twice_sends_each_reminder_once():
    profile_confirmed(YEAR + HOUR)
    profile_confirmed(YEAR + 2 * DAY)

    first = reminders_send_due(now=NOW)
    second = reminders_send_due(now=NOW + dt.timedelta(minutes=15))

    assert (first, second) == (2, 0)
    assert OutboxEmail.objects.count() == 2
    assert SentReminder.objects.count() == 2


def test_entries_not_due_yet_get_nothing():
    profile_confirmed(YEAR - HOUR)
    ProfileFactory(confirmed_at=None)

    assert reminders_send_due(now=NOW) == 0
    assert OutboxEmail.objects.count() == 0


def test_a_missed_run_catches_up_within_the_grace_period():
    # The beat was down for ten days: the reminder due then still goes.
    profile = profile_confirmed(YEAR + 10 * DAY)

    assert reminders_send_due(now=NOW) == 1
    assert SentReminder.objects.get().due_date == profile.confirmed_at + YEAR


def test_reminders_older_than_the_grace_period_are_not_sent():
    profile_confirmed(YEAR + 31 * DAY)

    assert reminders_send_due(now=NOW) == 0
    assert OutboxEmail.objects.count() == 0
    assert SentReminder.objects.count() == 0


def test_only_active_members_are_reminded():
    closed = profile_confirmed(YEAR + HOUR)
    closed.user.is_active = False
    closed.user.save(update_fields=["is_active"])
    former = profile_confirmed(YEAR + HOUR, user=UserFactory())

    assert reminders_send_due(now=NOW) == 0
    assert former.user.role_names == frozenset()


def test_confirming_again_moves_the_next_reminder_on_a_year(user):
    profile = profile_confirmed(YEAR + HOUR)
    reminders_send_due(now=NOW)
    profile_confirm_up_to_date(profile=profile, actor=profile.user)
    profile.refresh_from_db()

    assert reminders_send_due(now=NOW + DAY) == 0
    assert reminders_send_due(now=profile.confirmed_at + YEAR + HOUR) == 1
    assert sorted(SentReminder.objects.values_list("due_date", flat=True)) == [
        NOW - HOUR,
        profile.confirmed_at + YEAR,
    ]


def test_draft_issue_scheduled_within_24_hours_reminds_every_editor_end_to_end():
    first, second = editors(2)
    UserFactory(roles=[Role.MEMBER])
    issue = issue_scheduled(20 * HOUR, title="Winter & spring issue")

    assert reminders_send_due(now=NOW) == 2

    emails = {email.recipient: email for email in OutboxEmail.objects.all()}
    assert sorted(emails) == sorted([first.email, second.email])
    email = emails[first.email]
    assert email.kind == "reminder_newsletter_issue_approve"
    assert email.subject == (
        "Not approved yet: Winter & spring issue is due to go out tomorrow at 5am"
    )
    assert 'The Q community newsletter issue "Winter & spring issue"' in email.body_text
    assert "Winter &amp; spring issue" in email.body_html
    assert set(SentReminder.objects.values_list("object_id", flat=True)) == {str(issue.pk)}
    assert reminders_send_due(now=NOW + HOUR) == 0


def test_issue_reminder_waits_until_24_hours_before():
    editors(1)
    issue_scheduled(25 * HOUR)

    assert reminders_send_due(now=NOW) == 0
    assert reminders_send_due(now=NOW + 2 * HOUR) == 1


def test_approved_issues_and_issues_without_a_date_get_no_reminder():
    editors(1)
    issue_scheduled(20 * HOUR, status=IssueStatus.APPROVED)
    undated = issue_scheduled(20 * HOUR)
    undated.scheduled_for = None
    undated.save(update_fields=["scheduled_for"])

    assert reminders_send_due(now=NOW) == 0


def test_issue_reminder_catches_up_until_its_date_but_not_after_the_grace():
    editors(1)
    issue_scheduled(2 * HOUR, title="Missed by the beat")
    issue_scheduled(-2 * HOUR, title="Already past")

    assert reminders_send_due(now=NOW) == 1
    assert "Missed by the beat" in OutboxEmail.objects.get().subject


def test_a_failing_reminder_is_rolled_back_and_does_not_stop_the_others():
    profile_confirmed(YEAR + HOUR)
    victim = UserFactory()
    broken = ReminderKind(
        key="a.broken",  # sorts before the working kinds, so they run after it fails
        description="Broken",
        template="no_such_template",
        lead=dt.timedelta(0),
        due=lambda *, since, until: [Due(obj=victim, recipient=victim, due_date=NOW)],
    )
    registry.register(broken)
    try:
        assert reminders_send_due(now=NOW) == 1
    finally:
        registry.unregister("a.broken")

    assert list(SentReminder.objects.values_list("kind", flat=True)) == [
        "members.directory_confirm"
    ]
    assert OutboxEmail.objects.count() == 1


def test_a_kind_naming_a_notification_kind_skips_members_who_turned_it_off():
    # The due() here does not filter by preference itself: the engine honours it for any kind.
    default, summary, opted_out = UserFactory.create_batch(3)
    for person, delivery in ((summary, "daily"), (opted_out, "off")):
        notification_preferences_set(user=person, choices={"comment_reply": delivery}, actor=person)
    context = {"confirmed_at": NOW, "profile_url": "/me/profile/"}
    registry.register(
        ReminderKind(
            key="test.with_preference",
            description="Honours a preference",
            template="reminder_directory_confirm",
            lead=dt.timedelta(0),
            notification_kind="comment_reply",
            due=lambda *, since, until: [
                Due(obj=person, recipient=person, due_date=NOW, context=context)
                for person in (default, summary, opted_out)
            ],
        )
    )
    try:
        kind = registry.get_kind("test.with_preference")
        upcoming, _ = reminders_upcoming(now=NOW)
        sent = reminder_kind_send_due(kind=kind, now=NOW)
    finally:
        registry.unregister("test.with_preference")

    assert sent == 2
    assert set(SentReminder.objects.values_list("recipient_id", flat=True)) == {
        default.pk,
        summary.pk,
    }
    assert {r.recipient.pk for r in upcoming if r.kind.key == "test.with_preference"} == {
        default.pk,
        summary.pk,
    }


def test_the_beat_task_sends_what_is_due():
    ProfileFactory(confirmed_at=timezone.now() - YEAR - HOUR)

    assert tasks.reminders_send_due.name == "qcommunity.reminders.tasks.reminders_send_due"
    assert tasks.reminders_send_due.apply().get() == 1
    assert OutboxEmail.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once():
    profiles = [profile_confirmed(YEAR + n * HOUR) for n in range(1, 13)]
    editors(2)
    issue_scheduled(20 * HOUR)
    barrier = threading.Barrier(3)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(reminders_send_due(now=NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(results) == 14
    assert OutboxEmail.objects.count() == 14
    assert SentReminder.objects.count() == 14
    recipients = list(
        OutboxEmail.objects.filter(kind="reminder_directory_confirm").values_list(
            "recipient", flat=True
        )
    )
    assert sorted(recipients) == sorted(profile.user.email for profile in profiles)


@pytest.mark.django_db(transaction=True)
def test_a_run_that_meets_an_uncommitted_reminder_waits_and_then_sends_nothing():
    """Run A has recorded and queued the reminder but not committed yet; run B, which could not
    see A's row when it looked, blocks on the unique index, then finds the row and sends none."""
    from django.db import transaction

    from qcommunity.reminders.services import reminder_send

    profile_confirmed(YEAR + HOUR)
    kind = registry.get_kind("members.directory_confirm")
    due = next(iter(kind.due(since=NOW - DAY, until=NOW)))
    recorded, finished = threading.Event(), threading.Event()
    results = {}

    def run_a():
        try:
            with transaction.atomic():
                results["a"] = reminder_send(kind=kind, due=due)
                recorded.set()
                # Hold the transaction open while run B tries the same reminder.
                finished.wait(timeout=1.5)
        finally:
            connection.close()

    def run_b():
        try:
            recorded.wait(timeout=5)
            results["b"] = reminders_send_due(now=NOW)
            finished.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=run_a), threading.Thread(target=run_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results["a"] is not None
    assert results["b"] == 0
    assert OutboxEmail.objects.count() == 1
    assert SentReminder.objects.count() == 1


def test_the_beat_runs_the_engine_every_15_minutes(settings):
    from celery.schedules import crontab

    from qcommunity.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["reminders-send-due"]

    assert entry["task"] == "qcommunity.reminders.tasks.reminders_send_due"
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(minute="*/15")


def test_a_scheduled_issue_returned_to_draft_reminds_editors_with_a_link_to_it():
    from qcommunity.newsletters.issues import services as issue_services
    from tests.factories.newsletters import IssueFactory

    (editor,) = editors(1)
    issue = issue_services.issue_transition(actor=editor, issue=IssueFactory(), action="approve")
    when = timezone.now() + 20 * HOUR
    issue_services.issue_schedule(actor=editor, issue=issue, scheduled_for=when)
    assert reminders_send_due(now=timezone.now()) == 0  # approved and scheduled: nothing to do
    issue_services.issue_transition(actor=editor, issue=issue, action="return_to_draft")
    assert reminders_send_due(now=timezone.now()) == 1
    email = OutboxEmail.objects.get(recipient=editor.email)
    assert f"/staff/newsletters/issues/{issue.pk}/" in email.body_text
