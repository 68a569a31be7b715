"""The outbox's own SMTP sender against a real SMTP server on loopback: one connection per batch,
each row committed as sent at the hand-over, refusals kept with the server's reply."""

import datetime as dt
from email import message_from_bytes, policy

import pytest
from django.utils import timezone

from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from qcommunity.outbox.services import (
    outbox_claim_batch,
    outbox_requeue_stale,
    outbox_send_batch,
    outbox_send_queued,
)
from tests.factories.outbox import OutboxEmailFactory
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings):
    server = SmtpSink()
    settings.MAILERS = {
        **settings.MAILERS,
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        },
    }
    with server as handler:
        yield handler


def test_smtp_batch_sends_every_row_over_one_connection(sink):
    rows = OutboxEmailFactory.create_batch(5, headers={"List-Id": "<news.example>"})
    assert outbox_send_batch() == 5
    assert sink.sessions == 1
    assert sorted(r for rcpts, _ in sink.messages for r in rcpts) == sorted(
        row.recipient for row in rows
    )
    message = message_from_bytes(sink.messages[0][1], policy=policy.default)
    assert message["List-Id"] == "<news.example>"
    assert message.get_body(("plain",)).get_content().rstrip() == "Hello."
    assert message.get_body(("html",)).get_content().rstrip() == "<p>Hello.</p>"
    for row in OutboxEmail.objects.all():
        assert (row.status, row.attempts, row.last_error) == (EmailStatus.SENT, 1, "")
        assert row.sent_at is not None


def test_smtp_refusal_at_rcpt_fails_that_row_with_the_reply_and_sends_the_rest(sink):
    good = OutboxEmailFactory(recipient="ada@example.org")
    bad = OutboxEmailFactory(recipient="refuse-me@example.org")
    later = OutboxEmailFactory(recipient="grace@example.org")
    outbox_send_batch()
    assert sink.sessions == 1
    assert sorted(r for rcpts, _ in sink.messages for r in rcpts) == [
        "ada@example.org",
        "grace@example.org",
    ]
    bad.refresh_from_db()
    assert bad.status == EmailStatus.FAILED
    assert bad.last_error == "550 5.1.1 <refuse-me@example.org>: no such user"
    assert bad.sent_at is None
    for row in (good, later):
        row.refresh_from_db()
        assert row.status == EmailStatus.SENT


def test_smtp_temporary_refusal_is_retried_with_back_off(sink):
    row = OutboxEmailFactory(recipient="later@example.org")
    before = timezone.now()
    outbox_send_batch()
    row.refresh_from_db()
    assert row.status == EmailStatus.QUEUED
    assert row.last_error == "451 4.3.0 try again later"
    assert row.next_attempt_at >= before + dt.timedelta(minutes=1)
    assert sink.messages == []


def test_smtp_refusal_after_the_content_turns_sent_into_failed(sink):
    row = OutboxEmailFactory(recipient="reject-data@example.org")
    after = OutboxEmailFactory(recipient="ada@example.org")
    outbox_send_batch()
    row.refresh_from_db()
    assert row.status == EmailStatus.FAILED
    assert row.last_error == "554 5.7.1 message content rejected"
    after.refresh_from_db()
    assert after.status == EmailStatus.SENT
    assert [rcpts for rcpts, _ in sink.messages] == [["ada@example.org"]]


def test_smtp_unreachable_server_requeues_the_batch(settings):
    settings.MAILERS = {
        **settings.MAILERS,
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        },
    }
    row = OutboxEmailFactory()
    outbox_send_batch()
    row.refresh_from_db()
    assert row.status == EmailStatus.QUEUED
    assert row.last_error.startswith("Could not connect: ")


def test_a_row_requeued_and_claimed_elsewhere_is_not_sent_by_the_first_claim(sink, settings):
    """A slow worker whose claim went stale must not send a row another worker now owns."""
    row = OutboxEmailFactory()
    [first] = outbox_claim_batch(size=1)
    settings.OUTBOX_STALE_CLAIM_SECONDS = 1
    assert outbox_requeue_stale(now=timezone.now() + dt.timedelta(seconds=5)) == 1
    [second] = outbox_claim_batch(size=1)
    assert second.claimed_at != first.claimed_at

    from django.core.mail import mailers

    from qcommunity.outbox.services import _send_over_smtp

    connection = mailers["delivery"]
    connection.open()
    try:
        _send_over_smtp(connection, [first])
        assert sink.messages == []
        _send_over_smtp(connection, [second])
    finally:
        connection.close()
    assert [rcpts for rcpts, _ in sink.messages] == [[row.recipient]]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.SENT, 2)


def test_stale_claim_time_comes_from_the_setting(settings):
    settings.OUTBOX_STALE_CLAIM_SECONDS = 30
    row = OutboxEmailFactory()
    outbox_claim_batch(size=1)
    assert outbox_requeue_stale(now=timezone.now() + dt.timedelta(seconds=10)) == 0
    assert outbox_requeue_stale(now=timezone.now() + dt.timedelta(seconds=31)) == 1
    row.refresh_from_db()
    assert row.status == EmailStatus.QUEUED


def test_send_queued_stops_after_the_task_batch_limit(settings):
    settings.OUTBOX_BATCH_SIZE = 2
    settings.OUTBOX_TASK_BATCHES = 2
    OutboxEmailFactory.create_batch(5)
    assert outbox_send_queued() == 4
    assert OutboxEmail.objects.filter(status=EmailStatus.QUEUED).count() == 1


def test_a_queued_message_is_built_once_and_sent_as_stored(
    sink, django_capture_on_commit_callbacks
):
    from qcommunity.outbox.services import email_queue

    row = email_queue(
        to="ada@example.org", kind="test", subject="Stored", body_text="Hello.", body_html=""
    )
    stored = message_from_bytes(bytes(row.mime), policy=policy.default)
    assert stored["Subject"] == "Stored"
    assert stored["Message-ID"]
    outbox_send_batch()
    sent = message_from_bytes(sink.messages[0][1], policy=policy.default)
    assert sent["Message-ID"] == stored["Message-ID"]  # the stored bytes, not a rebuild
    assert sent.get_body(("plain",)).get_content().rstrip() == "Hello."
