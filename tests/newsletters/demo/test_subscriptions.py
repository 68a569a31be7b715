"""The demo contacts: a few hundred across both newsletters with every status, idempotent."""

import pytest
from django.db.models import Count

from qcommunity.newsletters.demo.subscriptions import (
    DEMO_CONTACTS,
    DEMO_DOMAIN,
    seed_newsletter_contacts,
)
from qcommunity.newsletters.subscriptions.enums import SubscriptionStatus
from qcommunity.newsletters.subscriptions.models import (
    ConsentRecord,
    Contact,
    Subscription,
    Suppression,
)

pytestmark = pytest.mark.django_db


def test_seeds_contacts_with_every_status_and_is_idempotent():
    assert seed_newsletter_contacts() == DEMO_CONTACTS
    assert seed_newsletter_contacts() == 0
    assert Contact.objects.filter(email__endswith=DEMO_DOMAIN).count() == DEMO_CONTACTS
    by_status = dict(
        Subscription.objects.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    assert set(by_status) == set(SubscriptionStatus.values)
    assert by_status[SubscriptionStatus.CONFIRMED] > DEMO_CONTACTS / 2
    assert set(Subscription.objects.values_list("newsletter__slug", flat=True)) == {
        "community",
        "quality-mark",
    }
    suppressing = Subscription.objects.exclude(status__in=["confirmed", "pending"]).count()
    assert Suppression.objects.count() == suppressing
    assert not ConsentRecord.objects.filter(subscription__status="pending").exists()
