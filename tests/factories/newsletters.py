import factory

from qcommunity.newsletters.enums import SubscriptionStatus
from qcommunity.newsletters.models import Contact, Newsletter, Subscription


def community() -> Newsletter:
    """The Q community newsletter the migration seeds."""
    return Newsletter.objects.get(slug="community")


def quality_mark() -> Newsletter:
    return Newsletter.objects.get(slug="quality-mark")


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
