import datetime as dt

import pytest
from django.utils import timezone

from qcommunity.notifications.enums import Delivery
from qcommunity.notifications.models import Digest, DigestItem, NotificationPreference
from qcommunity.notifications.selectors import notification_preferences_for
from qcommunity.notifications.services import (
    digest_send_daily,
    notification_preferences_set,
    notify,
)
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.notifications.conftest import DAILY_KIND

# Every test here may use the daily-summary kind the conftest registers.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daily_kind")]


def test_preferences_default_to_each_kinds_default_when_nothing_is_stored(user, daily_kind):
    choices = notification_preferences_for(user)

    assert choices["comment_reply"] == Delivery.IMMEDIATELY
    assert choices[daily_kind] == Delivery.DAILY
    assert choices["account_security"] == Delivery.IMMEDIATELY
    assert choices["exchange_voting_reminder"] == Delivery.IMMEDIATELY
    assert choices["exchange_review_assignment"] == Delivery.IMMEDIATELY
    assert len(choices) == 11  # the ten kinds the site sends, and the test's own


def test_preferences_set_stores_choices_and_ignores_required_and_unknown_kinds(user, daily_kind):
    stored = notification_preferences_set(
        user=user,
        choices={
            "comment_reply": "off",
            daily_kind: "immediately",
            "account_security": "off",
            "no_such_kind": "off",
        },
        actor=user,
    )
    notification_preferences_set(user=user, choices={"comment_reply": "daily"}, actor=user)

    choices = notification_preferences_for(user)
    assert stored == 2
    assert choices["comment_reply"] == Delivery.DAILY
    assert choices[daily_kind] == Delivery.IMMEDIATELY
    assert choices["account_security"] == Delivery.IMMEDIATELY
    assert NotificationPreference.objects.filter(user=user).count() == 2


def test_notify_immediately_queues_one_email_with_the_words_and_the_link(user):
    row = notify(
        user=user,
        kind="comment_reply",
        subject="Sam replied to your comment",
        body="Sam wrote: I agree & would add one thing.",
        url="/exchange/proposals/better-discharge/#comment-4",
    )

    assert isinstance(row, OutboxEmail)
    assert OutboxEmail.objects.count() == 1
    assert row.recipient == user.email
    assert row.kind == "notification"
    assert row.subject == "Sam replied to your comment"
    assert "Sam wrote: I agree & would add one thing." in row.body_text
    assert "http://127.0.0.1:8000/exchange/proposals/better-discharge/#comment-4" in row.body_text
    assert "http://127.0.0.1:8000/me/notifications/" in row.body_text
    assert "I agree &amp; would add one thing." in row.body_html
    assert DigestItem.objects.count() == 0


def test_notify_renders_a_plain_text_template_with_its_context(user):
    row = notify(
        user=user,
        kind="panel_assignment",
        subject="Applications to review",
        template="emails/notification/subject.txt",
        context={"subject": "You have 3 applications to review & score"},
    )

    assert "You have 3 applications to review & score" in row.body_text


def test_notify_daily_records_a_digest_item_and_sends_nothing(user):
    notification_preferences_set(user=user, choices={"comment_reply": "daily"}, actor=user)

    item = notify(
        user=user,
        kind="comment_reply",
        subject="Sam replied to your comment",
        body="Sam wrote: thanks.",
        url="/exchange/",
        related=user,
    )

    assert isinstance(item, DigestItem)
    assert (item.user, item.kind, item.subject, item.body, item.url, item.digest) == (
        user,
        "comment_reply",
        "Sam replied to your comment",
        "Sam wrote: thanks.",
        "/exchange/",
        None,
    )
    assert item.related_id == str(user.pk)
    assert OutboxEmail.objects.count() == 0


def test_notify_off_records_nothing(user):
    notification_preferences_set(user=user, choices={"comment_reply": "off"}, actor=user)

    result = notify(user=user, kind="comment_reply", subject="Sam replied", body="Hello")

    assert result is None
    assert OutboxEmail.objects.count() == 0
    assert DigestItem.objects.count() == 0


def test_notify_required_kind_is_sent_even_when_a_stale_row_says_off(user):
    # A row can only say "off" for a required kind if a kind became required after it was saved.
    NotificationPreference.objects.create(user=user, kind="application_decision", delivery="off")

    row = notify(
        user=user,
        kind="application_decision",
        subject="A decision on your application",
        body="The panel has decided.",
    )

    assert isinstance(row, OutboxEmail)
    assert "We always send messages about decisions on your membership application." in (
        row.body_text
    )


def test_notify_unknown_kind_is_an_error(user):
    with pytest.raises(LookupError):
        notify(user=user, kind="no_such_kind", subject="x", body="y")


def test_notify_inactive_user_gets_nothing():
    user = UserFactory(is_active=False)

    assert notify(user=user, kind="account_security", subject="x", body="y") is None
    assert OutboxEmail.objects.count() == 0


def _daily(user, subject):
    notification_preferences_set(user=user, choices={DAILY_KIND: "daily"}, actor=user)
    return notify(user=user, kind=DAILY_KIND, subject=subject, body=f"{subject}.", url="/labs/")


def test_daily_summary_gathers_each_persons_items_into_one_email():
    first, second = UserFactory(), UserFactory()
    _daily(first, "A new idea in the discharge lab")
    _daily(first, "A new test of change")
    _daily(second, "A story was added")

    sent = digest_send_daily(now=dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC))

    assert sent == 2
    emails = {row.recipient: row for row in OutboxEmail.objects.all()}
    assert sorted(emails) == sorted([first.email, second.email])
    body = emails[first.email].body_text
    assert emails[first.email].subject == "Your Q Community summary for 22 November 2026"
    assert emails[first.email].kind == "notification_digest"
    assert "News from a test area: A new idea in the discharge lab" in body
    assert "News from a test area: A new test of change" in body
    assert "A story was added" not in body
    assert DigestItem.objects.filter(digest__isnull=True).count() == 0
    digest = Digest.objects.get(user=first)
    assert digest.date == dt.date(2026, 11, 22)
    assert digest.outbox_email == emails[first.email]
    assert digest.items.count() == 2


def test_daily_summary_run_twice_sends_nothing_twice(user):
    _daily(user, "A new idea")
    now = dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC)

    assert digest_send_daily(now=now) == 1
    _daily(user, "Arrived after the summary went")
    assert digest_send_daily(now=now + dt.timedelta(minutes=5)) == 0

    assert OutboxEmail.objects.count() == 1
    assert DigestItem.objects.filter(digest__isnull=True).count() == 1
    # The next morning the waiting item goes in that day's summary.
    assert digest_send_daily(now=now + dt.timedelta(days=1)) == 1
    assert OutboxEmail.objects.count() == 2
    assert DigestItem.objects.filter(digest__isnull=True).count() == 0


def test_daily_summary_uses_the_uk_date(user):
    _daily(user, "Late news")
    # 11:30pm on 30 June in UTC is already 1 July in London (BST).
    digest_send_daily(now=dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC))

    assert Digest.objects.get().date == dt.date(2026, 7, 1)


def test_daily_summary_skips_people_whose_account_is_closed(user):
    _daily(user, "A new idea")
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert digest_send_daily(now=timezone.now()) == 0
    assert OutboxEmail.objects.count() == 0


def test_nothing_waiting_means_no_summary(user):
    assert digest_send_daily() == 0
    assert Digest.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_daily_runs_at_once_send_one_summary_per_person():
    import threading

    from django.db import connection

    people = UserFactory.create_batch(8)
    for person in people:
        _daily(person, "A new idea")
        _daily(person, "A new story")
    now = dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(digest_send_daily(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(results) == 8
    assert sorted(OutboxEmail.objects.values_list("recipient", flat=True)) == sorted(
        person.email for person in people
    )
    assert DigestItem.objects.filter(digest__isnull=True).count() == 0


def test_the_beat_sends_the_daily_summary_at_7am_uk_time(settings):
    from celery.schedules import crontab

    from qcommunity.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["notifications-digest-daily"]

    assert entry["task"] == "qcommunity.notifications.tasks.digest_send_daily"
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(minute=0, hour=7)
    assert settings.CELERY_TIMEZONE == "Europe/London"


def test_the_daily_task_sends_waiting_summaries(user):
    from qcommunity.notifications import tasks

    _daily(user, "A new idea")

    assert tasks.digest_send_daily.apply().get() == 1
    assert OutboxEmail.objects.get().recipient == user.email
