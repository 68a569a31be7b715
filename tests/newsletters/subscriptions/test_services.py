"""Subscribing through the public form: double opt-in, consent records, one email, no leaks,
rate limits and resubscribing a suppressed address."""

import re

import pytest
from django.urls import reverse

from qcommunity.audit.models import AuditEntry
from qcommunity.newsletters.subscriptions import tokens
from qcommunity.newsletters.subscriptions.enums import (
    ConsentMethod,
    LawfulBasis,
    SubscriptionStatus,
    SuppressionReason,
)
from qcommunity.newsletters.subscriptions.models import (
    ConsentRecord,
    Contact,
    Newsletter,
    Subscription,
)
from qcommunity.newsletters.subscriptions.services import (
    CONSENT_WORDING,
    SubscribeRateLimitedError,
    TransitionNotAllowedError,
    address_mark_bounced,
    address_mark_complained,
    subscribe_rate_check,
    subscribe_request,
    subscription_confirm,
    subscription_transition,
    subscription_unsubscribe,
    suppressions_for,
)
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import community, quality_mark

pytestmark = pytest.mark.django_db

SOURCE = "http://testserver/newsletter/"


def ask(email="ada@example.org", newsletters=None, actor=None, name="Ada Lovelace"):
    return subscribe_request(
        email=email,
        name=name,
        organisation="Analytical Trust",
        newsletters=newsletters or [community()],
        wording=CONSENT_WORDING,
        source=SOURCE,
        actor=actor,
    )


def test_migration_seeds_two_public_newsletters_with_list_ids():
    community()  # seeded by the migration (again, if a transactional test emptied the table)
    quality_mark()
    rows = dict(Newsletter.objects.values_list("slug", "list_id"))
    assert rows == {
        "community": "community.newsletters.community.q-community.example",
        "quality-mark": "quality-mark.newsletters.community.q-community.example",
    }
    assert Newsletter.objects.filter(is_public=True).count() == 2


def test_request_creates_contact_and_pending_subscriptions_and_one_email():
    outcome = ask(newsletters=[community(), quality_mark()])
    contact = Contact.objects.get()
    assert (contact.email, contact.name, contact.organisation) == (
        "ada@example.org",
        "Ada Lovelace",
        "Analytical Trust",
    )
    assert sorted(Subscription.objects.values_list("status", flat=True)) == ["pending", "pending"]
    assert len(outcome.pending) == 2
    emails = OutboxEmail.objects.all()
    assert [e.kind for e in emails] == ["newsletter_confirm"]
    assert emails[0].recipient == "ada@example.org"
    assert "Q community newsletter" in emails[0].body_text
    assert "Quality Mark news" in emails[0].body_text
    link = re.search(r"http\S+/newsletter/confirm/(\S+)/", emails[0].body_text)
    assert tokens.confirm_token_pk(link.group(1)) == outcome.pending[0].pk
    assert ConsentRecord.objects.count() == 0


def test_confirm_confirms_every_newsletter_of_the_request_and_records_consent():
    outcome = ask(newsletters=[community(), quality_mark()])
    confirmed = subscription_confirm(subscription=outcome.pending[0])
    assert len(confirmed) == 2
    for subscription in Subscription.objects.all():
        assert subscription.status == SubscriptionStatus.CONFIRMED
        assert subscription.confirmed_at is not None
        consent = subscription.consents.get()
        assert consent.wording == CONSENT_WORDING
        assert consent.method == ConsentMethod.DOUBLE_OPT_IN
        assert consent.lawful_basis == LawfulBasis.CONSENT
        assert consent.source == SOURCE
    assert (
        AuditEntry.objects.filter(
            action="newsletter.subscription.status", data__to="confirmed"
        ).count()
        == 2
    )


def test_consent_quotes_the_wording_shown_at_request_time_not_at_confirm_time():
    outcome = subscribe_request(
        email="ada@example.org",
        name="Ada",
        organisation="",
        newsletters=[community()],
        wording="The words shown last year.",
        source=SOURCE,
    )
    subscription_confirm(subscription=outcome.pending[0])
    assert ConsentRecord.objects.get().wording == "The words shown last year."


def test_confirming_twice_changes_nothing():
    outcome = ask()
    assert len(subscription_confirm(subscription=outcome.pending[0])) == 1
    assert subscription_confirm(subscription=outcome.pending[0]) == []
    assert ConsentRecord.objects.count() == 1


def test_already_confirmed_address_gets_a_harmless_note_and_nothing_changes():
    outcome = ask()
    subscription_confirm(subscription=outcome.pending[0])
    OutboxEmail.objects.all().delete()
    again = ask(name="Someone Else")
    assert again.pending == []
    assert [e.kind for e in OutboxEmail.objects.all()] == ["newsletter_already_subscribed"]
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED
    assert Contact.objects.get().name == "Ada Lovelace"  # not rewritten by an unconfirmed form


def test_addresses_match_case_insensitively():
    ask(email="Ada@Example.org")
    ask(email="ada@EXAMPLE.ORG")
    assert Contact.objects.count() == 1
    assert Subscription.objects.count() == 1


def test_signed_in_user_with_verified_address_is_confirmed_at_once():
    user = UserFactory(email="ada@example.org")
    outcome = ask(actor=user)
    assert outcome.pending == []
    subscription = Subscription.objects.get()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert subscription.consents.get().method == ConsentMethod.ACCOUNT_SETTINGS
    assert subscription.contact.user == user
    assert OutboxEmail.objects.count() == 0


def test_signed_in_user_using_another_address_still_gets_the_email():
    user = UserFactory(email="ada@example.org")
    outcome = ask(email="someone@example.org", actor=user)
    assert len(outcome.pending) == 1
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


def test_unverified_account_address_needs_the_email():
    user = UserFactory(email="ada@example.org", verified=False)
    outcome = ask(actor=user)
    assert len(outcome.pending) == 1


def test_resubscribing_after_unsubscribing_needs_fresh_confirmation_and_lifts_only_that_list():
    outcome = ask(newsletters=[community(), quality_mark()])
    subscription_confirm(subscription=outcome.pending[0])
    for subscription in Subscription.objects.all():
        subscription_unsubscribe(subscription=subscription, source="test")
    assert suppressions_for("ada@example.org").count() == 2
    # Even signed in with the verified address, a suppressed address must confirm by email.
    user = UserFactory(email="ada@example.org")
    again = ask(newsletters=[community()], actor=user)
    assert [s.newsletter.slug for s in again.pending] == ["community"]
    assert Subscription.objects.get(newsletter=community()).status == SubscriptionStatus.PENDING
    assert suppressions_for("ada@example.org", community()).exists()  # until confirmed
    subscription_confirm(subscription=again.pending[0])
    assert not suppressions_for("ada@example.org", community()).exists()
    assert suppressions_for("ada@example.org", quality_mark()).exists()
    lifted = AuditEntry.objects.get(action="newsletter.suppression.lift")
    assert lifted.data["reason"] == SuppressionReason.UNSUBSCRIBED
    assert lifted.data["email"] == "ada@example.org"


def test_confirming_after_a_bounce_narrows_the_global_suppression_to_other_lists():
    outcome = ask()
    subscription_confirm(subscription=outcome.pending[0])
    address_mark_bounced(email="ADA@example.org", detail="550 no such user")
    assert Subscription.objects.get().status == SubscriptionStatus.BOUNCED
    again = ask()
    subscription_confirm(subscription=again.pending[0])
    assert not suppressions_for("ada@example.org", community()).exists()
    remaining = suppressions_for("ada@example.org", quality_mark()).get()
    assert remaining.reason == SuppressionReason.BOUNCED
    assert remaining.newsletter == quality_mark()


def test_complaint_suppresses_every_newsletter():
    outcome = ask(newsletters=[community(), quality_mark()])
    subscription_confirm(subscription=outcome.pending[0])
    assert address_mark_complained(email="ada@example.org", detail="spam") == 2
    assert set(Subscription.objects.values_list("status", flat=True)) == {"complained"}
    row = suppressions_for("ada@example.org").get()
    assert (row.reason, row.newsletter) == (SuppressionReason.COMPLAINED, None)


def test_suppression_outlives_the_contact():
    outcome = ask()
    subscription_unsubscribe(subscription=outcome.pending[0], source="test")
    Contact.objects.all().delete()
    assert suppressions_for("ada@example.org", community()).exists()


def test_transition_table_refuses_confirming_a_complaint():
    outcome = ask()
    address_mark_complained(email="ada@example.org")
    subscription = Subscription.objects.get(pk=outcome.pending[0].pk)
    with pytest.raises(TransitionNotAllowedError):
        subscription_transition(subscription=subscription, to="confirmed", actor=None)


def test_rate_limit_per_address_then_per_network():
    for _ in range(3):
        subscribe_rate_check(ip="192.0.2.1", email="ada@example.org")
    with pytest.raises(SubscribeRateLimitedError, match="for one email address"):
        subscribe_rate_check(ip="192.0.2.1", email="ADA@example.org")
    for n in range(6):
        subscribe_rate_check(ip="192.0.2.1", email=f"other{n}@example.org")
    with pytest.raises(SubscribeRateLimitedError, match="from your network"):
        subscribe_rate_check(ip="192.0.2.1", email="fresh@example.org")


def test_confirm_url_path_matches_the_route():
    outcome = ask()
    token = tokens.confirm_token(outcome.pending[0])
    path = tokens.confirm_url(outcome.pending[0]).removeprefix(tokens.settings.SITE_URL)
    assert path == reverse("newsletters:confirm", kwargs={"token": token})
