from importlib import import_module

import factory

from qcommunity.newsletters.enums import SubscriptionStatus
from qcommunity.newsletters.models import Contact, Newsletter, Subscription


def seeded(slug: str) -> Newsletter:
    """A newsletter the data migration seeds. Transactional tests (the browser ones) empty the
    tables afterwards, so seed again when it is missing."""
    found = Newsletter.objects.filter(slug=slug).first()
    if found is None:
        from django.apps import apps

        seed = import_module("qcommunity.newsletters.migrations.0002_subscribers").seed_newsletters
        seed(apps, None)
        found = Newsletter.objects.get(slug=slug)
    return found


def community() -> Newsletter:
    """The Q community newsletter."""
    return seeded("community")


def quality_mark() -> Newsletter:
    """Quality Mark news."""
    return seeded("quality-mark")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    organisation = "Example Trust"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A subscription written directly (tests of reads); writes in tests go through services."""

    class Meta:
        model = Subscription

    contact = factory.SubFactory(ContactFactory)
    newsletter = factory.LazyFunction(community)
    status = SubscriptionStatus.CONFIRMED
