"""Factories for the compose tests: newsletters, contacts, subscriptions, issues, showcase."""

import io

import factory
from allauth.mfa.totp.internal.auth import TOTP
from PIL import Image

from qcommunity.accounts.enums import Role
from qcommunity.newsletters.compose_enums import ShowcaseStatus
from qcommunity.newsletters.enums import SubscriptionStatus
from qcommunity.newsletters.models import (
    Contact,
    Issue,
    Newsletter,
    ReusableBlock,
    ShowcaseItem,
    Subscription,
)
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import UserFactory


class NewsletterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Newsletter

    name = factory.Sequence(lambda n: f"Community newsletter {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    list_id = factory.Sequence(lambda n: f"community-{n}.newsletters.q.example")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    name = factory.Sequence(lambda n: f"Reader {n}")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    contact = factory.SubFactory(ContactFactory)
    newsletter = factory.SubFactory(NewsletterFactory)
    status = SubscriptionStatus.CONFIRMED


class IssueFactory(factory.django.DjangoModelFactory):
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


def editor_user():
    editor = UserFactory(roles=[Role.EDITOR])
    TOTP.activate(editor, TOTP_SECRET)
    return editor


def png_bytes(size=(40, 30), color=(0, 94, 184)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()
