"""A member can stop taking messages through the site (the directory's contact form and random
coffee). Others then see one page that says they are not taking messages, the same whatever the
reason, and the relay refuses; their coffee partners are told in the introduction."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members.coffee.models import CoffeePairing
from members.coffee.services import coffee_run_month
from members.directory.enums import Visibility
from members.directory.models import ContactMessage, Profile
from members.directory.services import ContactNotSentError, contact_message_send
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory
from tests.html_checks import has_link

pytestmark = pytest.mark.django_db

CLOSED = "is not taking messages through the site"


@pytest.fixture
def sender():
    return UserFactory(roles=[Role.MEMBER], full_name="Sam Sender")


def contact_url(profile) -> str:
    return reverse("members:contact", kwargs={"slug": profile.slug})


def say(client, choice: str):
    return client.post(reverse("members:profile-messages"), {"accepts_messages": choice})


def test_a_member_turns_messages_off_and_on_from_their_entry_page(client):
    profile = ProfileFactory(visibility=Visibility.MEMBERS)
    client.force_login(profile.user)
    page = client.get(reverse("members:profile-edit")).content.decode()
    assert "Can other members send you messages through the site?" in page
    assert f'action="{reverse("members:profile-messages")}"' in page
    response = say(client, "no")
    assert response.headers["Location"] == reverse("members:profile-edit")
    profile.refresh_from_db()
    assert profile.accepts_messages is False
    assert AuditEntry.objects.filter(action="profile.messages_off").count() == 1
    say(client, "no")  # the same choice again changes nothing
    assert AuditEntry.objects.filter(action="profile.messages_off").count() == 1
    say(client, "yes")
    profile.refresh_from_db()
    assert profile.accepts_messages is True


def test_no_choice_is_an_error_on_the_page(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    response = client.post(reverse("members:profile-messages"), {})
    assert response.status_code == 200
    assert "Select whether members can send you messages" in response.content.decode()


def test_the_contact_page_of_a_member_who_opted_out_says_so_and_sends_nothing(client, sender):
    closed = ProfileFactory(visibility=Visibility.MEMBERS, user__full_name="Rita Recipient")
    client.force_login(closed.user)
    say(client, "no")
    client.force_login(sender)
    entry = client.get(reverse("members:profile-detail", kwargs={"slug": closed.slug}))
    assert f"Rita Recipient {CLOSED}" in entry.content.decode()
    assert not has_link(entry, "Contact this member", contact_url(closed))
    page = client.get(contact_url(closed))
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Rita Recipient {CLOSED}" in body
    assert 'name="body"' not in body
    for word in ("chose", "opted", "turned off", "privacy"):
        assert word not in body.lower().split("<main", 1)[1].split("</main>", 1)[0]
    response = client.post(contact_url(closed), {"subject": "Hello", "body": "Can we talk?"})
    assert f"Rita Recipient {CLOSED}" in response.content.decode()
    assert not ContactMessage.objects.exists()
    assert not OutboxEmail.objects.filter(kind="member_contact").exists()


def test_the_service_refuses_too(sender):
    closed = ProfileFactory(visibility=Visibility.MEMBERS, accepts_messages=False)
    with pytest.raises(ContactNotSentError, match=CLOSED):
        contact_message_send(
            sender=sender, profile=closed, subject="s", body="b", allow_reply=False
        )
    assert not OutboxEmail.objects.exists()


def test_the_directory_and_coffee_show_the_same_page_which_never_says_why(client, sender):
    closed = ProfileFactory(
        visibility=Visibility.HIDDEN, accepts_messages=False, user__full_name="Ann Example"
    )
    me = ProfileFactory(user=sender)
    a, b = sorted([me.user, closed.user], key=lambda u: u.pk)
    pairing = CoffeePairing.objects.create(
        month=timezone.localdate().replace(day=1), member_a=a, member_b=b
    )
    client.force_login(sender)
    # Hidden from the directory: its contact page is "not found", so nothing about it leaks.
    assert client.get(contact_url(closed)).status_code == 404
    coffee = client.get(reverse("members:coffee-message", kwargs={"pk": pairing.pk}))
    Profile.objects.filter(pk=closed.pk).update(visibility=Visibility.MEMBERS)
    directory = client.get(contact_url(closed))

    def heading(response) -> str:
        return response.content.decode().split("<h1>")[1].split("</h1>")[0]

    assert heading(coffee) == heading(directory) == f"Ann Example {CLOSED}"
    for response in (coffee, directory):
        main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0].lower()
        for word in ("chose", "choice", "opted", "turned", "privacy", "hidden"):
            assert word not in main
    assert client.post(coffee.wsgi_request.path, {"subject": "s", "body": "b"}).status_code == 200
    assert not ContactMessage.objects.exists()


def test_coffee_follows_the_choice_and_the_introduction_says_so(
    client, django_capture_on_commit_callbacks
):
    closed = ProfileFactory(
        coffee_opt_in=True,
        accepts_messages=False,
        region=Region.WALES,
        user__full_name="Quiet Member",
        user__email="quiet@example.org",
    )
    open_ = ProfileFactory(coffee_opt_in=True, region=Region.OXFORD, user__email="open@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        coffee_run_month(month=timezone.localdate())
    pairing = CoffeePairing.objects.get()
    to_open = OutboxEmail.objects.get(recipient="open@example.org")
    assert f"Quiet Member {CLOSED}, but they can send you one." in to_open.body_text
    assert f"/me/coffee/{pairing.pk}/message/" not in to_open.body_text + to_open.body_html
    to_quiet = OutboxEmail.objects.get(recipient="quiet@example.org")
    assert f"/me/coffee/{pairing.pk}/message/" in to_quiet.body_text
    # The coffee page offers no message link to the one who cannot be messaged.
    client.force_login(open_.user)
    page = client.get(reverse("members:coffee-settings"))
    assert not has_link(
        page, "Send a message", reverse("members:coffee-message", args=[pairing.pk])
    )
    assert "Not taking messages through the site" in page.content.decode()
    # The quiet member can still write to their partner.
    client.force_login(closed.user)
    assert has_link(
        client.get(reverse("members:coffee-settings")),
        "Send a message",
        reverse("members:coffee-message", args=[pairing.pk]),
    )
