import datetime as dt
import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.utils import timezone

from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from qcommunity.outbox.services import (
    STALE_CLAIM,
    backoff,
    email_queue,
    email_queue_message,
    email_queue_template,
    outbox_claim_batch,
    outbox_requeue_stale,
    outbox_send_batch,
    outbox_send_queued,
)
from tests.factories.outbox import OutboxEmailFactory

pytestmark = pytest.mark.django_db


class CountingBackend(LocmemBackend):
    """The locmem backend, counting how often a connection is opened and closed."""

    opened = 0
    closed = 0

    def open(self):
        type(self).opened += 1
        return True

    def close(self):
        type(self).closed += 1


class RefusingBackend(CountingBackend):
    """Refuses any recipient at refused.example, the way an SMTP server rejects an address."""

    def send_messages(self, messages):
        for message in messages:
            refused = [r for r in message.recipients() if r.endswith("@refused.example")]
            if refused:
                raise ValueError(f"550 5.1.1 {refused[0]}: recipient address rejected")
        return super().send_messages(messages)


class UnreachableBackend(CountingBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def delivery(settings):
    """Point the "delivery" mailer at a backend class from this module."""

    def use(backend_class):
        backend_class.opened = 0
        backend_class.closed = 0
        settings.MAILERS = {
            **settings.MAILERS,
            "delivery": {"BACKEND": f"{__name__}.{backend_class.__name__}"},
        }
        return backend_class

    return use


def queue(to="ada@example.org", **kwargs):
    fields = {"kind": "test.notice", "subject": "Your notice", "body_text": "Hello.\n"}
    return email_queue(to=to, **{**fields, **kwargs})


def test_email_queue_writes_a_queued_row_with_every_field(user):
    row = email_queue(
        to="ada@example.org",
        kind="members.application_received",
        subject="  We have your\n application ",
        body_text="Thank you.\n",
        body_html="<p>Thank you.</p>",
        related=user,
        reply_to="membership@q-community.example",
        headers={"X-Q-Kind": "application"},
        from_email="Q Membership <membership@q-community.example>",
    )

    row.refresh_from_db()
    assert row.recipient == "ada@example.org"
    assert row.kind == "members.application_received"
    assert row.subject == "We have your application"
    assert row.body_text == "Thank you.\n"
    assert row.body_html == "<p>Thank you.</p>"
    assert row.related_type == ContentType.objects.get_for_model(user)
    assert row.related_id == str(user.pk)
    assert row.reply_to == "membership@q-community.example"
    assert row.headers == {"X-Q-Kind": "application"}
    assert row.from_email == "Q Membership <membership@q-community.example>"
    assert row.status == EmailStatus.QUEUED
    assert row.attempts == 0
    assert row.last_error == ""
    assert row.sent_at is None
    assert row.claimed_at is None
    assert row.next_attempt_at <= timezone.now()


def test_email_queue_uses_default_from_address():
    assert queue().from_email == django_settings.DEFAULT_FROM_EMAIL


def test_email_queue_refuses_an_invalid_address():
    with pytest.raises(Exception, match="valid email address"):
        queue(to="not an address")
    assert not OutboxEmail.objects.exists()


def test_email_queue_asks_for_a_send_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        queue()
    assert len(callbacks) == 1
    assert not mail.outbox


def test_email_queue_sends_through_the_task_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = queue()
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


@pytest.fixture
def email_templates(settings, tmp_path):
    """An email kind in a temporary template folder, so tests do not ship product templates."""
    folder = tmp_path / "emails" / "test_greeting"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("Hello {{ name }}\n")
    (folder / "body.txt").write_text("Dear {{ name }},\nSee {{ site_url }}/me/\n")
    (folder / "body.html").write_text("<p>Dear {{ name }},</p>")
    jinja = {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [jinja, *settings.TEMPLATES[1:]]
    return folder


def test_email_queue_template_renders_subject_and_both_bodies(email_templates, user):
    row = email_queue_template(
        to="ada@example.org", kind="test_greeting", context={"name": "Ada"}, related=user
    )

    assert row.kind == "test_greeting"
    assert row.subject == "Hello Ada"
    assert row.body_text == f"Dear Ada,\nSee {django_settings.SITE_URL}/me/"
    assert row.body_html == "<p>Dear Ada,</p>"
    assert row.related_id == str(user.pk)


def test_email_queue_template_escapes_only_the_html_body(email_templates):
    row = email_queue_template(
        to="ada@example.org", kind="test_greeting", context={"name": "Tom & <Jerry>"}
    )

    assert row.subject == "Hello Tom & <Jerry>"
    assert row.body_text.startswith("Dear Tom & <Jerry>,")
    assert row.body_html == "<p>Dear Tom &amp; &lt;Jerry&gt;,</p>"


def test_email_queue_message_writes_one_row_per_recipient():
    message = EmailMultiAlternatives(
        subject="Minutes",
        body="Text part",
        from_email="chair@q-community.example",
        to=["a@example.org"],
        cc=["b@example.org"],
        bcc=["c@example.org"],
        reply_to=["chair@q-community.example"],
        headers={"X-Q-Kind": "minutes"},
    )
    message.attach_alternative("<p>HTML part</p>", "text/html")

    rows = email_queue_message(message=message, kind="panels.minutes")

    assert [r.recipient for r in rows] == ["a@example.org", "b@example.org", "c@example.org"]
    assert {(r.body_text, r.body_html, r.reply_to) for r in rows} == {
        ("Text part", "<p>HTML part</p>", "chair@q-community.example")
    }
    assert rows[0].headers == {"X-Q-Kind": "minutes"}


def test_email_queue_message_gives_an_html_only_message_a_text_part():
    message = EmailMessage(
        subject="News", body="<p>First &amp; best.</p><p>Second</p>", to=["a@example.org"]
    )
    message.content_subtype = "html"

    [row] = email_queue_message(message=message, kind="django")

    assert row.body_html == "<p>First &amp; best.</p><p>Second</p>"
    assert row.body_text == "First & best.\n\nSecond\n"


def test_outbox_backend_writes_rows_instead_of_sending(settings):
    settings.MAILERS = {
        **settings.MAILERS,
        "default": {"BACKEND": "qcommunity.outbox.backends.OutboxBackend"},
    }
    sent = EmailMessage(subject="Hi", body="Body", to=["a@example.org", "b@example.org"]).send()

    assert sent == 2
    assert sorted(OutboxEmail.objects.values_list("recipient", "kind", "status")) == [
        ("a@example.org", "django", EmailStatus.QUEUED),
        ("b@example.org", "django", EmailStatus.QUEUED),
    ]
    assert not mail.outbox


def test_send_batch_marks_rows_sent_and_delivers_text_and_html():
    row = queue(
        subject="Welcome",
        body_text="Plain welcome.\n",
        body_html="<p>HTML welcome.</p>",
        reply_to="team@q-community.example",
        headers={"X-Q-Kind": "welcome"},
    )

    assert outbox_send_batch() == 1

    row.refresh_from_db()
    assert row.status == EmailStatus.SENT
    assert row.sent_at is not None
    assert row.attempts == 1
    [message] = mail.outbox
    assert message.sent_using == "delivery"
    assert message.subject == "Welcome"
    assert message.to == ["ada@example.org"]
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert message.reply_to == ["team@q-community.example"]
    assert message.body == "Plain welcome.\n"
    assert message.alternatives == [("<p>HTML welcome.</p>", "text/html")]
    assert message.message()["X-Q-Kind"] == "welcome"


def test_send_batch_uses_one_connection_for_the_whole_batch(delivery):
    backend = delivery(CountingBackend)
    for n in range(7):
        queue(to=f"person{n}@example.org")

    assert outbox_send_batch(size=10) == 7

    assert (backend.opened, backend.closed) == (1, 1)
    assert len(mail.outbox) == 7
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_send_batch_fails_only_the_refused_recipients(delivery):
    backend = delivery(RefusingBackend)
    good = [queue(to=f"ok{n}@example.org") for n in range(3)]
    bad = queue(to="nobody@refused.example")

    before = timezone.now()
    outbox_send_batch()

    assert backend.opened == 1
    assert sorted(m.to[0] for m in mail.outbox) == [r.recipient for r in good]
    bad.refresh_from_db()
    assert bad.status == EmailStatus.QUEUED
    assert bad.attempts == 1
    assert bad.sent_at is None
    assert bad.claimed_at is None
    assert bad.last_error == "550 5.1.1 nobody@refused.example: recipient address rejected"
    assert bad.next_attempt_at >= before + dt.timedelta(minutes=1)
    for row in good:
        row.refresh_from_db()
        assert row.status == EmailStatus.SENT
        assert row.last_error == ""


def test_send_batch_requeues_every_row_when_the_server_is_unreachable(delivery):
    delivery(UnreachableBackend)
    rows = [queue(to=f"p{n}@example.org") for n in range(2)]

    assert outbox_send_batch() == 2

    for row in rows:
        row.refresh_from_db()
        assert row.status == EmailStatus.QUEUED
        assert row.last_error == "Could not connect: [Errno 111] Connection refused"
    assert not mail.outbox


def test_backoff_grows_fourfold_from_one_minute():
    assert [backoff(n) for n in range(1, 6)] == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=4),
        dt.timedelta(minutes=16),
        dt.timedelta(minutes=64),
        dt.timedelta(minutes=256),
    ]


def test_a_refused_row_is_retried_with_backoff_then_failed(delivery, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    delivery(RefusingBackend)
    row = queue(to="nobody@refused.example")
    delays = []

    for attempt in range(1, 4):
        before = timezone.now()
        outbox_send_batch()
        row.refresh_from_db()
        assert row.attempts == attempt
        delays.append(row.next_attempt_at - before)
        # Not due again until the back-off has passed.
        assert outbox_send_batch() == 0
        OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())

    row.refresh_from_db()
    assert row.status == EmailStatus.FAILED
    assert row.last_error.startswith("550 5.1.1")
    assert [round(d.total_seconds() / 60) for d in delays] == [1, 4, 16]
    assert outbox_send_batch() == 0
    assert not mail.outbox


def test_claim_batch_takes_only_due_queued_rows_oldest_due_first():
    now = timezone.now()
    later = queue(to="later@example.org")
    first = queue(to="first@example.org")
    not_due = queue(to="notdue@example.org")
    sent = queue(to="sent@example.org")
    OutboxEmail.objects.filter(pk=later.pk).update(next_attempt_at=now - dt.timedelta(minutes=1))
    OutboxEmail.objects.filter(pk=first.pk).update(next_attempt_at=now - dt.timedelta(minutes=5))
    OutboxEmail.objects.filter(pk=not_due.pk).update(next_attempt_at=now + dt.timedelta(hours=1))
    OutboxEmail.objects.filter(pk=sent.pk).update(status=EmailStatus.SENT)

    claimed = outbox_claim_batch(size=1) + outbox_claim_batch(size=10)

    assert [r.recipient for r in claimed] == ["first@example.org", "later@example.org"]
    assert {(r.status, r.attempts) for r in claimed} == {(EmailStatus.SENDING, 1)}
    assert all(r.claimed_at is not None for r in claimed)
    assert outbox_claim_batch(size=10) == []


def test_requeue_stale_puts_abandoned_sending_rows_back(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    stale, fresh, exhausted = (queue(to=f"{n}@example.org") for n in ("stale", "fresh", "spent"))
    outbox_claim_batch(size=10)
    long_ago = timezone.now() - STALE_CLAIM - dt.timedelta(minutes=1)
    OutboxEmail.objects.filter(pk__in=[stale.pk, exhausted.pk]).update(claimed_at=long_ago)
    OutboxEmail.objects.filter(pk=exhausted.pk).update(attempts=3)

    assert outbox_requeue_stale() == 2

    stale.refresh_from_db()
    fresh.refresh_from_db()
    exhausted.refresh_from_db()
    assert (stale.status, stale.claimed_at) == (EmailStatus.QUEUED, None)
    assert fresh.status == EmailStatus.SENDING
    assert exhausted.status == EmailStatus.FAILED
    assert exhausted.last_error == "The worker stopped while sending; no attempts left."


def test_send_queued_requeues_stale_rows_and_sends_every_batch(settings):
    settings.OUTBOX_BATCH_SIZE = 2
    rows = [queue(to=f"p{n}@example.org") for n in range(5)]
    outbox_claim_batch(size=1)
    OutboxEmail.objects.filter(pk=rows[0].pk).update(
        claimed_at=timezone.now() - STALE_CLAIM - dt.timedelta(seconds=1)
    )

    assert outbox_send_queued() == 5

    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    assert len(mail.outbox) == 5


def test_send_queued_task_is_idempotent():
    from qcommunity.outbox.tasks import outbox_send_queued as task

    queue()
    assert task.delay().get() == 1
    assert task.delay().get() == 0
    assert len(mail.outbox) == 1


def _in_thread(target, *args):
    """Run `target` in a thread with its own database connection; return its result."""
    result = {}

    def run():
        try:
            result["value"] = target(*args)
        except BaseException as exc:  # noqa: BLE001 (re-raised in the test's thread)
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_one_claimer_is_skipped_by_another():
    # Rows from the factory: with real commits, email_queue's post-commit send (eager in tests)
    # would claim them before the claimers below could.
    OutboxEmailFactory.create_batch(10)
    first_has_claimed = threading.Event()
    second_has_claimed = threading.Event()

    def first_claimer():
        # Hold the claim's row locks open until the other claimer has finished.
        with transaction.atomic():
            rows = outbox_claim_batch(size=5)
            first_has_claimed.set()
            assert second_has_claimed.wait(10)
        return rows

    def second_claimer():
        assert first_has_claimed.wait(10)
        try:
            return outbox_claim_batch(size=10)
        finally:
            second_has_claimed.set()

    threads = [_in_thread(first_claimer), _in_thread(second_claimer)]
    for thread, _ in threads:
        thread.join(20)
    results = [result for _, result in threads]
    assert not [r["error"] for r in results if "error" in r]
    first_ids = {row.id for row in results[0]["value"]}
    second_ids = {row.id for row in results[1]["value"]}
    assert len(first_ids) == 5
    assert len(second_ids) == 5
    assert first_ids.isdisjoint(second_ids)
    assert first_ids | second_ids == set(OutboxEmail.objects.values_list("id", flat=True))


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_never_share_a_row():
    OutboxEmailFactory.create_batch(60)
    start = threading.Barrier(4)

    def claim_until_empty():
        start.wait(10)
        ids = []
        while batch := outbox_claim_batch(size=3):
            ids.extend(row.id for row in batch)
        return ids

    threads = [_in_thread(claim_until_empty) for _ in range(4)]
    for thread, _ in threads:
        thread.join(30)
    claimed = []
    for _, result in threads:
        assert "error" not in result
        claimed.extend(result["value"])

    assert len(claimed) == 60
    assert len(set(claimed)) == 60
    assert OutboxEmail.objects.filter(status=EmailStatus.SENDING, attempts=1).count() == 60
