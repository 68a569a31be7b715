"""Contact this member: who may use it, what the relayed email carries, limits and the log."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from members.directory.enums import Visibility
from members.directory.models import ContactMessage
from members.directory.services import ContactNotSentError, contact_message_send
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory
from tests.html_checks import has_link
from tests.pages import error_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient():
    return ProfileFactory(visibility=Visibility.MEMBERS, user__full_name="Rita Recipient")


@pytest.fixture
def sender():
    return UserFactory(roles=[Role.MEMBER], full_name="Sam Sender", email="sam.sender@example.org")


def contact_url(profile) -> str:
    return reverse("members:contact", kwargs={"slug": profile.slug})


def send(client, profile, **data):
    return client.post(
        contact_url(profile), {"subject": "Sepsis audit", "body": "Could we talk?", **data}
    )


def test_visitors_are_sent_to_sign_in(client, recipient):
    response = client.get(contact_url(recipient))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signed_in_non_members_get_404(client, recipient):
    client.force_login(UserFactory())
    assert client.get(contact_url(recipient)).status_code == 404


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN])
def test_members_cannot_contact_an_entry_they_cannot_see(client, sender, visibility):
    hidden = ProfileFactory(visibility=visibility)
    client.force_login(sender)
    assert client.get(contact_url(hidden)).status_code == 404
    assert send(client, hidden).status_code == 404
    assert not ContactMessage.objects.exists()


def test_members_cannot_contact_themselves(client, recipient):
    client.force_login(recipient.user)
    assert client.get(contact_url(recipient)).status_code == 404
    with pytest.raises(ContactNotSentError):
        contact_message_send(
            sender=recipient.user, profile=recipient, subject="s", body="b", allow_reply=False
        )


def test_form_shows_the_reply_checkbox_with_the_name(client, sender, recipient):
    client.force_login(sender)
    body = client.get(contact_url(recipient)).content.decode()
    assert "Let Rita Recipient reply to my email address" in body
    assert 'data-module="nhsuk-character-count"' in body
    assert recipient.user.email not in body


def test_message_is_relayed_without_the_sender_address(client, sender, recipient):
    ProfileFactory(user=sender, visibility=Visibility.MEMBERS, slug="sam-sender")
    client.force_login(sender)
    response = send(client, recipient)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:contact-sent", kwargs={"slug": recipient.slug})
    message = ContactMessage.objects.get()
    assert (message.sender, message.recipient, message.allow_reply) == (sender, recipient, False)
    email = OutboxEmail.objects.get()
    assert email.kind == "member_contact"
    assert email.recipient == recipient.user.email
    assert email.reply_to == ""
    assert "Sam Sender" in email.subject
    assert "Could we talk?" in email.body_text
    assert "Could we talk?" in email.body_html
    assert "/directory/sam-sender/" in email.body_text
    for part in (email.subject, email.body_text, email.body_html, str(email.headers)):
        assert sender.email not in part
    sent_page = client.get(response["Location"]).content.decode()
    assert "Your message has been sent" in sent_page
    assert sender.email not in sent_page
    assert recipient.user.email not in sent_page


def test_reply_to_is_set_only_when_allowed(client, sender, recipient):
    client.force_login(sender)
    send(client, recipient, allow_reply="on")
    email = OutboxEmail.objects.get()
    assert email.reply_to == sender.email
    assert sender.email not in email.body_text
    assert sender.email not in email.body_html
    assert ContactMessage.objects.get().allow_reply is True


def test_sending_is_audited_without_the_message(client, sender, recipient):
    client.force_login(sender)
    send(client, recipient, body="A private matter about my team")
    entry = AuditEntry.objects.get(action="member.contact")
    assert entry.actor == sender
    assert entry.target_id == str(recipient.pk)
    assert "A private matter" not in str(entry.data)
    assert "Sepsis audit" not in str(entry.data)


def test_empty_or_too_long_messages_get_clear_errors(client, sender, recipient):
    client.force_login(sender)
    response = client.post(contact_url(recipient), {"subject": "", "body": "x" * 2001})
    assert response.status_code == 200
    assert error_messages(response) == [
        "Enter a subject",
        "Your message must be 2000 characters or fewer",
    ]
    assert not OutboxEmail.objects.exists()


def test_hourly_limit_stops_the_sixth_message(client, sender, recipient):
    client.force_login(sender)
    for _ in range(5):
        assert send(client, recipient).status_code == 302
    response = send(client, recipient)
    assert response.status_code == 200
    assert error_messages(response) == [
        "You can send up to 5 messages an hour. Your message has not been sent. Try again later."
    ]
    assert ContactMessage.objects.count() == 5
    assert OutboxEmail.objects.count() == 5


def test_daily_limit_counts_messages_from_earlier_in_the_day(sender, recipient):
    earlier = timezone.now() - dt.timedelta(hours=3)
    ContactMessage.objects.bulk_create(
        ContactMessage(
            sender=sender, recipient=recipient, subject="s", body="b", created_at=earlier
        )
        for _ in range(20)
    )
    with pytest.raises(ContactNotSentError, match="20 messages a day"):
        contact_message_send(
            sender=sender, profile=recipient, subject="s", body="b", allow_reply=False
        )
    assert not OutboxEmail.objects.exists()


def test_messages_older_than_a_day_do_not_count(sender, recipient):
    old = timezone.now() - dt.timedelta(days=1, minutes=1)
    ContactMessage.objects.bulk_create(
        ContactMessage(sender=sender, recipient=recipient, subject="s", body="b", created_at=old)
        for _ in range(25)
    )
    contact_message_send(sender=sender, profile=recipient, subject="s", body="b", allow_reply=False)
    assert OutboxEmail.objects.count() == 1


def sent_page(client, profile) -> str:
    response = client.get(reverse("members:contact-sent", kwargs={"slug": profile.slug}))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_after_a_message_that_allows_replies_the_page_says_replies_come_by_email(
    client, sender, recipient
):
    client.force_login(sender)
    send(client, recipient, allow_reply="on")
    page = sent_page(client, recipient)
    assert "their reply comes straight to you" in page
    assert "get in touch by email" not in page


def test_without_replies_the_page_says_they_can_answer_through_the_senders_entry(
    client, sender, recipient
):
    ProfileFactory(user=sender, visibility=Visibility.MEMBERS)
    client.force_login(sender)
    send(client, recipient)
    page = sent_page(client, recipient)
    assert "We did not share your email address" in page
    assert "“Contact this member” on your directory entry" in page
    assert "get in touch by email" not in page


def test_without_replies_or_a_published_entry_the_page_says_they_cannot_reply_yet(
    client, sender, recipient
):
    ProfileFactory(user=sender, visibility=Visibility.HIDDEN)
    client.force_login(sender)
    send(client, recipient)
    response = client.get(reverse("members:contact-sent", kwargs={"slug": recipient.slug}))
    page = " ".join(response.content.decode().split())
    assert "cannot reply to you yet" in page
    assert has_link(response, "Publish your directory entry", reverse("members:profile-edit"))
    assert "get in touch by email" not in page
