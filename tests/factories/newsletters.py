"""Factories for the newsletters app: one per model, and the helpers the tests share.

Rows written here are for tests of reads and of sending; tests of writes go through the
services. Defaults:
- SubscriptionFactory subscribes to the seeded community newsletter (community()) unless given
  a newsletter; NewsletterFactory makes a fresh one.
- IssueFactory makes a draft with an introduction, ready for the compose services to approve;
  pass status= for an issue further on (approved, sending, sent)."""

import io
from importlib import import_module

import factory
from allauth.mfa.totp.internal.auth import TOTP
from PIL import Image

from qcommunity.accounts.enums import Role
from qcommunity.newsletters.issues.models import Issue, ReusableBlock
from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from qcommunity.newsletters.showcase.models import ShowcaseItem
from qcommunity.newsletters.subscriptions.enums import SubscriptionStatus
from qcommunity.newsletters.subscriptions.models import Contact, Newsletter, Subscription
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import UserFactory

# Newsletters the data migration seeds -----------------------------------------------------------


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


# Factories ---------------------------------------------------------------------------------------


class NewsletterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Newsletter

    name = factory.Sequence(lambda n: f"Community newsletter {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    list_id = factory.Sequence(lambda n: f"community-{n}.newsletters.q-community.example")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    organisation = "Example Trust"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription to the community newsletter, written directly."""

    class Meta:
        model = Subscription

    contact = factory.SubFactory(ContactFactory)
    newsletter = factory.LazyFunction(community)
    status = SubscriptionStatus.CONFIRMED


class IssueFactory(factory.django.DjangoModelFactory):
    """A draft issue with an introduction (approvable as it stands)."""

    class Meta:
        model = Issue

    newsletter = factory.SubFactory(NewsletterFactory)
    title = factory.Sequence(lambda n: f"Issue {n}")
    slug = factory.Sequence(lambda n: f"issue-{n}")
    intro = "Hello {{ first_name }}, welcome to this issue."


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReusableBlock

    name = factory.Sequence(lambda n: f"Block {n}")
    heading = "How to get involved"
    body = "Join a [lab](https://q.example/labs/) or write for us."


class ShowcaseItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShowcaseItem

    submitted_by = factory.SubFactory(UserFactory, roles=[Role.MEMBER])
    title = factory.Sequence(lambda n: f"Fewer falls on ward {n}")
    summary = "We tested a morning huddle and falls went down by a third."
    link = "https://example.org/falls"
    status = ShowcaseStatus.SUBMITTED


# Helpers ------------------------------------------------------------------------------------------


def editor_user():
    """An editor with two-factor set up (the shared test TOTP secret)."""
    editor = UserFactory(roles=[Role.EDITOR])
    TOTP.activate(editor, TOTP_SECRET)
    return editor


def png_bytes(size=(40, 30), color=(0, 94, 184)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()
