"""Unsubscribing: the page (GET shows, POST acts), RFC 8058 one-click without cookies or CSRF
token, bad tokens, audit rows and the route the token helper builds."""

import pytest
from django.test import Client
from django.urls import reverse

from qcommunity.audit.models import AuditEntry
from qcommunity.newsletters.subscriptions import tokens
from qcommunity.newsletters.subscriptions.enums import SubscriptionStatus, SuppressionReason
from qcommunity.newsletters.subscriptions.models import Subscription
from qcommunity.newsletters.subscriptions.services import subscription_unsubscribe, suppressions_for
from tests.factories.newsletters import SubscriptionFactory, quality_mark

pytestmark = pytest.mark.django_db


def unsubscribe_path(subscription) -> str:
    return reverse(
        "newsletters:unsubscribe", kwargs={"token": tokens.unsubscribe_token(subscription)}
    )


def test_unsubscribe_url_path_matches_the_route():
    subscription = SubscriptionFactory()
    url = tokens.unsubscribe_url(subscription)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert url.removeprefix(tokens.settings.SITE_URL) == reverse(
        "newsletters:unsubscribe", kwargs={"token": token}
    )


def test_get_shows_what_you_leave_and_changes_nothing(client):
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    response = client.get(unsubscribe_path(subscription))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Unsubscribe from Q community newsletter" in body
    assert "ada@example.org" in body
    assert '<form method="post"' in body
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED


def test_post_from_the_page_unsubscribes_at_once_and_suppresses_that_list_only(client):
    subscription = SubscriptionFactory(contact__email="ada@example.org")
    other = SubscriptionFactory(contact=subscription.contact, newsletter=quality_mark())
    response = client.post(unsubscribe_path(subscription))
    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    subscription.refresh_from_db()
    other.refresh_from_db()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED
    assert other.status == SubscriptionStatus.CONFIRMED
    row = suppressions_for("ada@example.org").get()
    assert (row.reason, row.newsletter) == (SuppressionReason.UNSUBSCRIBED, subscription.newsletter)
    entry = AuditEntry.objects.get(action="newsletter.subscription.status")
    assert entry.data == {
        "from": "confirmed",
        "to": "unsubscribed",
        "reason": "unsubscribe page",
    }


def test_one_click_post_works_without_cookies_or_csrf_token():
    subscription = SubscriptionFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_path(subscription),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED
    entry = AuditEntry.objects.get(action="newsletter.subscription.status")
    assert entry.data["reason"] == "one-click unsubscribe from the email"


def test_unsubscribing_twice_is_harmless(client):
    subscription = SubscriptionFactory()
    client.post(unsubscribe_path(subscription))
    response = client.post(unsubscribe_path(subscription))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="newsletter.subscription.status").count() == 1
    assert AuditEntry.objects.filter(action="newsletter.suppression.add").count() == 1


@pytest.mark.parametrize("token", ["not-a-token", "MQ:1xUvyf:forged-signature"])
def test_a_tampered_link_says_so_and_what_to_do(client, token):
    path = reverse("newsletters:unsubscribe", kwargs={"token": token})
    response = client.get(path)
    assert response.status_code == 400
    body = response.content.decode()
    assert "This unsubscribe link does not work" in body
    assert "Copy the whole link from the email" in body
    assert f'href="{reverse("core:contact")}"' in body
    one_click = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 400
    assert "This unsubscribe link does not work" in one_click.content.decode()


def test_the_link_of_a_deleted_subscription_says_it_no_longer_works(client):
    subscription = SubscriptionFactory()
    path = unsubscribe_path(subscription)
    Subscription.objects.all().delete()
    response = client.get(path)
    assert response.status_code == 410
    body = response.content.decode()
    assert "This unsubscribe link no longer works" in body
    assert "we no longer send you that newsletter" in body


def test_confirm_token_cannot_unsubscribe(client):
    subscription = SubscriptionFactory()
    path = reverse("newsletters:unsubscribe", kwargs={"token": tokens.confirm_token(subscription)})
    assert client.post(path).status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED


def test_bounced_subscription_keeps_its_status_but_is_suppressed():
    subscription = SubscriptionFactory(status=SubscriptionStatus.BOUNCED)
    assert subscription_unsubscribe(subscription=subscription, source="test") is False
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.BOUNCED
    assert suppressions_for(subscription.contact.email, subscription.newsletter).exists()


def test_page_for_an_address_that_already_left_says_so(client):
    subscription = SubscriptionFactory(status=SubscriptionStatus.UNSUBSCRIBED)
    body = client.get(unsubscribe_path(subscription)).content.decode()
    assert "You are not subscribed to Q community newsletter" in body
    assert '<form method="post"' not in body
