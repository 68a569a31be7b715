"""Sending an issue: the fan-out, suppression at send time, the list headers, completion and the
transitions into sending."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.newsletters.issues.enums import DeliveryStatus, IssueStatus
from qcommunity.newsletters.issues.models import Delivery, Issue
from qcommunity.newsletters.issues.selectors import issue_delivery_counts
from qcommunity.newsletters.sending import services as sending
from qcommunity.newsletters.subscriptions.enums import SuppressionReason
from qcommunity.newsletters.subscriptions.models import Suppression
from qcommunity.newsletters.subscriptions.tokens import unsubscribe_token_pk, unsubscribe_url
from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from qcommunity.outbox.services import outbox_send_queued
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import (
    ContactFactory,
    IssueFactory,
    NewsletterFactory,
    SubscriptionFactory,
)
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


def sending_issue(subscribers: int = 3, **kwargs):
    issue = IssueFactory(status=IssueStatus.SENDING, **kwargs)
    subs = SubscriptionFactory.create_batch(subscribers, newsletter=issue.newsletter)
    return issue, subs


def test_fan_out_writes_one_delivery_and_one_outbox_row_per_recipient_before_sending():
    issue, subs = sending_issue(3)
    assert sending.issue_send(issue_id=issue.pk) == 3
    deliveries = list(Delivery.objects.filter(issue=issue).select_related("outbox_email"))
    assert sorted(d.email for d in deliveries) == sorted(s.contact.email for s in subs)
    for delivery in deliveries:
        assert delivery.status == DeliveryStatus.QUEUED
        row = delivery.outbox_email
        assert (row.kind, row.status) == ("newsletter_issue", "queued")
        assert row.recipient == delivery.email
        assert (row.related_type.model, row.related_id) == ("delivery", str(delivery.pk))
        assert row.subject == issue.title
    assert mail.outbox == []
    issue.refresh_from_db()
    assert issue.deliveries_written_at is not None
    assert issue.status == IssueStatus.SENDING


def test_fan_out_twice_writes_each_delivery_once(monkeypatch):
    monkeypatch.setattr(sending, "FAN_OUT_CHUNK", 2)
    issue, _ = sending_issue(5)
    assert sending.issue_send(issue_id=issue.pk) == 5
    Issue.objects.filter(pk=issue.pk).update(deliveries_written_at=None)
    assert sending.issue_send(issue_id=issue.pk) == 0
    assert Delivery.objects.filter(issue=issue).count() == 5
    assert OutboxEmail.objects.filter(kind="newsletter_issue").count() == 5


def test_fan_out_picks_up_recipients_added_after_an_interrupted_run():
    issue, _ = sending_issue(2)
    sending.issue_send(issue_id=issue.pk)
    Issue.objects.filter(pk=issue.pk).update(deliveries_written_at=None)
    SubscriptionFactory(newsletter=issue.newsletter)
    assert sending.issue_send(issue_id=issue.pk) == 1
    assert Delivery.objects.filter(issue=issue).count() == 3
    assert OutboxEmail.objects.count() == 3


def test_fan_out_does_nothing_unless_the_issue_is_sending():
    issue = IssueFactory(status=IssueStatus.APPROVED)
    SubscriptionFactory(newsletter=issue.newsletter)
    assert sending.issue_send(issue_id=issue.pk) == 0
    assert sending.issue_send(issue_id=987654) == 0
    assert not Delivery.objects.exists()


def test_fan_out_skips_subscriptions_that_are_not_confirmed():
    issue, _ = sending_issue(1)
    SubscriptionFactory(newsletter=issue.newsletter, status="pending")
    SubscriptionFactory(newsletter=issue.newsletter, status="unsubscribed")
    SubscriptionFactory()  # another newsletter
    assert sending.issue_send(issue_id=issue.pk) == 1


def test_suppressed_addresses_get_a_suppressed_delivery_and_no_email():
    issue = IssueFactory(status=IssueStatus.SENDING)
    bounced = SubscriptionFactory(
        newsletter=issue.newsletter, contact=ContactFactory(email="Bounced@Example.org")
    )
    left = SubscriptionFactory(newsletter=issue.newsletter)
    elsewhere = SubscriptionFactory(newsletter=issue.newsletter)
    kept = SubscriptionFactory(newsletter=issue.newsletter)
    Suppression.objects.create(email="bounced@example.org", reason=SuppressionReason.BOUNCED)
    Suppression.objects.create(
        email=left.contact.email, reason=SuppressionReason.UNSUBSCRIBED, newsletter=issue.newsletter
    )
    Suppression.objects.create(
        email=elsewhere.contact.email,
        reason=SuppressionReason.UNSUBSCRIBED,
        newsletter=NewsletterFactory(),
    )
    sending.issue_send(issue_id=issue.pk)
    statuses = dict(Delivery.objects.filter(issue=issue).values_list("email", "status"))
    assert statuses == {
        bounced.contact.email: DeliveryStatus.SUPPRESSED,
        left.contact.email: DeliveryStatus.SUPPRESSED,
        elsewhere.contact.email: DeliveryStatus.QUEUED,
        kept.contact.email: DeliveryStatus.QUEUED,
    }
    assert sorted(OutboxEmail.objects.values_list("recipient", flat=True)) == sorted(
        [elsewhere.contact.email, kept.contact.email]
    )
    assert not Delivery.objects.filter(status=DeliveryStatus.SUPPRESSED, outbox_email__isnull=False)


def test_every_message_carries_the_list_headers():
    issue, [sub] = sending_issue(1)
    sending.issue_send(issue_id=issue.pk)
    outbox_send_queued()
    [message] = mail.outbox
    headers = dict(message.extra_headers)
    unsubscribe = headers.pop("List-Unsubscribe")
    assert headers == {
        "List-Id": f"<{issue.newsletter.list_id}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    # The signed token carries a timestamp, so compare what it says, not its letters.
    url = unsubscribe.removeprefix("<").removesuffix(">")
    prefix = unsubscribe_url(sub).rsplit("/", 2)[0] + "/"
    assert url.startswith(prefix)
    assert unsubscribe_token_pk(url.removeprefix(prefix).strip("/")) == sub.pk
    assert message.to == [sub.contact.email]
    assert message.from_email == f"{issue.newsletter.from_name} <no-reply@q-community.example>"
    assert url in message.body


def test_issue_becomes_sent_when_every_delivery_is_done():
    issue, _ = sending_issue(3)
    Suppression.objects.create(
        email=issue.newsletter.subscriptions.first().contact.email,
        reason=SuppressionReason.COMPLAINED,
    )
    sending.issue_send(issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING
    outbox_send_queued()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert issue.sent_at is not None
    assert issue_delivery_counts(issue) == {
        "total": 3,
        "queued": 0,
        "sent": 2,
        "failed": 0,
        "suppressed": 1,
    }
    for delivery in Delivery.objects.filter(status=DeliveryStatus.SENT):
        assert delivery.sent_at is not None
    entry = AuditEntry.objects.get(action="newsletters.issue_sent")
    assert entry.data["sent"] == 2


def test_an_issue_with_only_suppressed_recipients_is_sent_at_once():
    issue, [sub] = sending_issue(1)
    Suppression.objects.create(email=sub.contact.email, reason=SuppressionReason.STAFF)
    sending.issue_send(issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


def test_an_issue_is_not_complete_before_its_fan_out_finished():
    issue, _ = sending_issue(1)
    sending.issue_send(issue_id=issue.pk)
    Issue.objects.filter(pk=issue.pk).update(deliveries_written_at=None)
    outbox_send_queued()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING
    # The beat picks an unfinished fan-out up again once it has been quiet for a stale claim.
    assert sending.issues_start_due() == []
    later = timezone.now() + dt.timedelta(minutes=11)
    assert sending.issues_start_due(now=later) == [issue.pk]
    sending.issue_send(issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


def test_refused_addresses_fail_with_the_smtp_reply_and_the_rest_are_sent(settings):
    server = SmtpSink()
    settings.MAILERS = {
        **settings.MAILERS,
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        },
    }
    issue = IssueFactory(status=IssueStatus.SENDING)
    SubscriptionFactory(
        newsletter=issue.newsletter, contact=ContactFactory(email="refuse@example.org")
    )
    SubscriptionFactory(newsletter=issue.newsletter, contact=ContactFactory(email="ok@example.org"))
    with server as sink:
        sending.issue_send(issue_id=issue.pk)
        outbox_send_queued()
    assert [rcpts for rcpts, _ in sink.messages] == [["ok@example.org"]]
    refused = Delivery.objects.get(email="refuse@example.org")
    assert refused.status == DeliveryStatus.FAILED
    assert refused.last_error == "550 5.1.1 <refuse@example.org>: no such user"
    assert refused.outbox_email.status == EmailStatus.FAILED
    assert Delivery.objects.get(email="ok@example.org").status == DeliveryStatus.SENT
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


def test_a_retried_delivery_stays_queued_with_the_reply(settings):
    server = SmtpSink()
    settings.MAILERS = {
        **settings.MAILERS,
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        },
    }
    issue = IssueFactory(status=IssueStatus.SENDING)
    SubscriptionFactory(
        newsletter=issue.newsletter, contact=ContactFactory(email="later@example.org")
    )
    with server:
        sending.issue_send(issue_id=issue.pk)
        outbox_send_queued()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("queued", "451 4.3.0 try again later")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING


def test_send_now_starts_an_approved_issue_once(django_capture_on_commit_callbacks):
    editor = UserFactory(roles=[Role.EDITOR])
    issue, _ = sending_issue(2)
    Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        sending.issue_send_now(actor=editor, issue=issue)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert len(mail.outbox) == 2
    entry = AuditEntry.objects.get(action="newsletters.issue_send_now")
    assert (entry.actor, entry.target_id) == (editor, str(issue.pk))
    with pytest.raises(sending.SendingError, match="already been sent"):
        sending.issue_send_now(actor=editor, issue=issue)
    assert len(mail.outbox) == 2


def test_send_now_refuses_a_draft_and_people_who_may_not_send():
    issue = IssueFactory(status=IssueStatus.DRAFT)
    with pytest.raises(sending.SendingError, match="Only an approved issue"):
        sending.issue_send_now(actor=UserFactory(roles=[Role.STAFF_ADMIN]), issue=issue)
    approved = IssueFactory(status=IssueStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        sending.issue_send_now(actor=UserFactory(roles=[Role.MEMBER]), issue=approved)
    approved.refresh_from_db()
    assert approved.status == IssueStatus.APPROVED


def test_beat_starts_scheduled_issues_that_are_due(django_capture_on_commit_callbacks):
    now = timezone.now()
    due, _ = sending_issue(1)
    Issue.objects.filter(pk=due.pk).update(
        status=IssueStatus.SCHEDULED, scheduled_for=now - dt.timedelta(minutes=1)
    )
    later = IssueFactory(status=IssueStatus.SCHEDULED, scheduled_for=now + dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.issues_start_due(now=now) == [due.pk]
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == IssueStatus.SENT
    assert later.status == IssueStatus.SCHEDULED
    assert AuditEntry.objects.filter(action="newsletters.issue_send_scheduled").count() == 1
    assert len(mail.outbox) == 1


def test_a_batch_cut_short_is_reconciled_before_the_issue_is_completed():
    """A worker killed after handing messages over but before its end-of-batch work leaves
    deliveries "queued" behind "sent" outbox rows; the completion check catches them up."""
    issue, _ = sending_issue(2)
    sending.issue_send(issue_id=issue.pk)
    OutboxEmail.objects.filter(kind="newsletter_issue").update(
        status=EmailStatus.SENT, sent_at=timezone.now()
    )
    assert Delivery.objects.filter(status=DeliveryStatus.QUEUED).count() == 2
    assert sending.issue_complete_if_done(issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert Delivery.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_sending_starts_after_the_first_chunk_while_the_rest_is_written(monkeypatch):
    # A real commit after each chunk (transactional test); tasks run at once (eager Celery).
    monkeypatch.setattr(sending, "FAN_OUT_CHUNK", 2)
    issue, _ = sending_issue(5)
    assert sending.issue_send(issue_id=issue.pk) == 5
    rows = list(OutboxEmail.objects.filter(kind="newsletter_issue").order_by("pk"))
    assert [row.status for row in rows] == [EmailStatus.SENT] * 5
    # The first chunk's messages went out before the last chunk's rows were written.
    assert rows[0].sent_at < rows[4].created_at
    assert rows[1].sent_at < rows[4].created_at
    assert rows[3].sent_at < rows[4].created_at
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_a_long_fan_out_hands_on_to_new_tasks_and_writes_everyone_once(monkeypatch, settings):
    from qcommunity.newsletters.sending import tasks

    monkeypatch.setattr(sending, "FAN_OUT_CHUNK", 2)
    settings.NEWSLETTER_FAN_OUT_TASK_CHUNKS = 1
    issue, subs = sending_issue(5)
    # This task writes one chunk of two, then queues the rest (eager here: run at once).
    assert tasks.issue_send(issue.pk) == 2
    deliveries = Delivery.objects.filter(issue=issue)
    assert sorted(deliveries.values_list("contact_id", flat=True)) == sorted(
        s.contact_id for s in subs
    )
    assert OutboxEmail.objects.filter(kind="newsletter_issue").count() == 5
    issue.refresh_from_db()
    assert issue.deliveries_written_at is not None
    assert issue.status == IssueStatus.SENT
