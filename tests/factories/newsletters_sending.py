"""Factories for the sending tests: newsletters, contacts, subscriptions and issues. Sending writes
its own deliveries and outbox rows through the real services."""

import factory

from qcommunity.newsletters.enums import IssueStatus, SubscriptionStatus
from qcommunity.newsletters.models import Contact, Issue, Newsletter, Subscription


class NewsletterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Newsletter

    name = factory.Sequence(lambda n: f"Community newsletter {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    list_id = factory.Sequence(lambda n: f"community-{n}.newsletters.q-community.example")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    name = factory.Faker("name", locale="en_GB")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription."""

    class Meta:
        model = Subscription

    contact = factory.SubFactory(ContactFactory)
    newsletter = factory.SubFactory(NewsletterFactory)
    status = SubscriptionStatus.CONFIRMED


class IssueFactory(factory.django.DjangoModelFactory):
    """An approved issue, ready to send."""

    class Meta:
        model = Issue

    newsletter = factory.SubFactory(NewsletterFactory)
    title = factory.Sequence(lambda n: f"Issue {n}: improvement stories")
    slug = factory.Sequence(lambda n: f"issue-{n}")
    status = IssueStatus.APPROVED
