"""The mail provider's tracking webhooks (Postmark's payloads through anymail, with basic auth)
and the signal receiver."""

import base64
import json

import pytest
from anymail.signals import AnymailTrackingEvent, tracking

from qcommunity.newsletters.issues.enums import DeliveryStatus
from qcommunity.newsletters.issues.models import Delivery, Issue
from qcommunity.newsletters.sending.webhooks import handle_tracking_event
from qcommunity.newsletters.subscriptions.enums import SubscriptionStatus, SuppressionReason
from qcommunity.newsletters.subscriptions.models import Subscription
from qcommunity.newsletters.subscriptions.services import suppressions_for
from tests.factories.newsletters import SubscriptionFactory, community, quality_mark
from tests.factories.outbox import OutboxEmailFactory

pytestmark = pytest.mark.django_db

URL = "/anymail/postmark/tracking/"
AUTH = "Basic " + base64.b64encode(b"anymail-test:webhook-secret-for-tests").decode()


def post(client, payload, auth=AUTH):
    return client.post(
        URL, data=json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=auth
    )


def bounce(email, kind="HardBounce", message_id="883953f4-6105-42a2-a16a-77a8eac79483"):
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": kind,
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "newsletter",
        "MessageID": message_id,
        "ServerID": 23,
        "MessageStream": "broadcast",
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "newsletter@q-community.example",
        "BouncedAt": "2026-11-21T16:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Q community newsletter: November",
        "Metadata": {},
    }


def delivery_for(subscription, **outbox):
    issue = Issue.objects.create(newsletter=subscription.newsletter, title="November", slug="nov")
    row = OutboxEmailFactory(recipient=subscription.contact.email, **outbox)
    return Delivery.objects.create(
        issue=issue,
        contact=subscription.contact,
        email=subscription.contact.email,
        status=DeliveryStatus.SENT,
        outbox_email=row,
    )


def test_hard_bounce_through_the_webhook_bounces_every_list_and_fails_the_delivery(client):
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    other = SubscriptionFactory(contact=subscription.contact, newsletter=quality_mark())
    delivery = delivery_for(subscription)
    response = post(client, bounce("Ada@example.org"))
    assert response.status_code == 200
    assert set(Subscription.objects.values_list("status", flat=True)) == {"bounced"}
    assert other.pk in Subscription.objects.values_list("pk", flat=True)
    row = suppressions_for("ada@example.org").get()
    assert (row.reason, row.newsletter) == (SuppressionReason.BOUNCED, None)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "550 5.1.1" in delivery.last_error


def test_webhook_without_basic_auth_is_refused_and_changes_nothing(client):
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    assert post(client, bounce("ada@example.org"), auth="").status_code == 400
    wrong = "Basic " + base64.b64encode(b"anymail-test:guess").decode()
    assert post(client, bounce("ada@example.org"), auth=wrong).status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert not suppressions_for("ada@example.org").exists()


def test_soft_bounce_changes_nothing(client):
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    assert post(client, bounce("ada@example.org", kind="SoftBounce")).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert not suppressions_for("ada@example.org").exists()


def test_spam_complaint_through_the_webhook(client):
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    payload = {
        **bounce("ada@example.org"),
        "RecordType": "SpamComplaint",
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Description": "The subscriber explicitly marked this message as spam.",
        "Details": "Test spam complaint details",
    }
    assert post(client, payload).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.COMPLAINED
    row = suppressions_for("ada@example.org").get()
    assert (row.reason, row.newsletter) == (SuppressionReason.COMPLAINED, None)


def send_event(event_type, recipient, **extra):
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type=event_type, recipient=recipient, **extra),
        esp_name="TestESP",
    )


def test_unsubscribe_event_for_a_known_delivery_leaves_that_newsletter_only():
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    other = SubscriptionFactory(contact=subscription.contact, newsletter=quality_mark())
    delivery = delivery_for(subscription, headers={"Message-ID": "<d1@q-community.example>"})
    send_event("unsubscribed", "ada@example.org", message_id="<d1@q-community.example>")
    subscription.refresh_from_db()
    other.refresh_from_db()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED
    assert other.status == SubscriptionStatus.CONFIRMED
    assert suppressions_for("ada@example.org").get().newsletter == community()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_unsubscribe_event_without_a_delivery_leaves_every_newsletter():
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    SubscriptionFactory(contact=subscription.contact, newsletter=quality_mark())
    send_event("unsubscribed", "ada@example.org")
    assert set(Subscription.objects.values_list("status", flat=True)) == {"unsubscribed"}
    assert suppressions_for("ada@example.org").count() == 2


def test_bounce_matches_the_delivery_by_metadata_first():
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    delivery = delivery_for(subscription)
    send_event(
        "bounced",
        "someone-else@example.org",
        metadata={"delivery_id": str(delivery.pk)},
        description="Mailbox does not exist",
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "Mailbox does not exist" in delivery.last_error


def test_other_events_are_ignored():
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    for kind in ("delivered", "opened", "clicked", "deferred"):
        handle_tracking_event(
            None, AnymailTrackingEvent(event_type=kind, recipient="ada@example.org"), "TestESP"
        )
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED


def test_webhook_routes_use_anymails_own_paths_and_names():
    from anymail.urls import urlpatterns as anymail_patterns
    from django.urls import reverse

    from qcommunity.newsletters.sending.urls import VIEWS

    theirs = {p.name: str(p.pattern) for p in anymail_patterns}
    for provider in VIEWS:
        name = f"{provider}_tracking_webhook"
        assert reverse(f"anymail:{name}") == f"/anymail/{theirs[name]}"


def test_without_a_webhook_secret_an_unsigned_post_finds_nothing_and_suppresses_nobody(
    client, settings
):
    """With SMTP delivery and no ANYMAIL_WEBHOOK_SECRET, anymail would accept anyone's post."""
    settings.ANYMAIL = {}
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    complaint = {**bounce("ada@example.org"), "RecordType": "SpamComplaint", "TypeCode": 512}
    for payload in (bounce("ada@example.org"), {**complaint, "Type": "SpamComplaint"}):
        assert post(client, payload, auth="").status_code == 404
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert not suppressions_for("ada@example.org").exists()
