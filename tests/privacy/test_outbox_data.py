"""The emails we sent a person, in their data and after deleting the account."""

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from qcommunity.outbox.personal_data import emails_export
from qcommunity.privacy.services import account_delete, personal_data_export
from tests.factories.outbox import OutboxEmailFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = "/staff/outbox/"


def section(data: dict, key: str) -> list[dict]:
    return next(s["records"] for s in data["sections"] if s["key"] == key)


def sent(recipient, **kwargs):
    return OutboxEmailFactory(
        recipient=recipient,
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
        mime=b"Subject: Welcome\r\n\r\nHello Asha",
        headers={"Message-ID": "<1@q.example>"},
        reply_to="sam@example.org",
        **kwargs,
    )


def test_the_download_lists_subjects_dates_and_status_not_bodies(member):
    email = sent(member.email, subject="Welcome to Q", body_text="Secret body")
    OutboxEmailFactory(recipient="someone@example.org", subject="Not theirs")
    (record,) = section(personal_data_export(user=member), "outbox.emails")
    assert record == {
        "to": member.email,
        "subject": "Welcome to Q",
        "status": "Sent",
        "queued_at": email.created_at,
        "sent_at": email.sent_at,
    }


def test_mail_to_an_unverified_address_is_not_in_the_download(member):
    EmailAddress.objects.create(user=member, email="maybe@example.org", verified=False)
    OutboxEmailFactory(recipient="maybe@example.org")
    assert [r["to"] for r in emails_export(member)] == []


def test_the_download_takes_the_same_queries_for_one_or_many(member):
    sent(member.email)
    assert_constant_queries(
        lambda: emails_export(member),
        lambda n: [sent(member.email) for _ in range(n)],
        many=5,
    )


def test_deleting_removes_unsent_email_and_blanks_sent_email(member, client_for, staff_admin):
    address = member.email
    EmailAddress.objects.create(user=member, email="new@example.org", verified=False)
    queued = OutboxEmailFactory(recipient=address)
    failed = OutboxEmailFactory(recipient=address, status=EmailStatus.FAILED)
    confirm = OutboxEmailFactory(recipient="new@example.org")
    delivered = sent(address, kind="application_accepted", subject="Welcome, Asha")
    theirs = sent("someone@example.org", subject="Hello Sam")

    account_delete(user=member)

    for row in (queued, failed, confirm):
        assert not OutboxEmail.objects.filter(pk=row.pk).exists()
    delivered.refresh_from_db()
    assert (delivered.kind, delivered.status) == ("application_accepted", EmailStatus.SENT)
    assert delivered.sent_at is not None
    assert (delivered.recipient, delivered.reply_to, delivered.subject) == ("", "", "")
    assert (delivered.body_text, delivered.body_html, bytes(delivered.mime)) == ("", "", b"")
    assert delivered.headers == {}
    theirs.refresh_from_db()
    assert (theirs.recipient, theirs.subject) == ("someone@example.org", "Hello Sam")
    # The one email still addressed to them is the last one, saying the account was deleted.
    assert list(OutboxEmail.objects.filter(recipient=address).values_list("kind", flat=True)) == [
        "account_deleted"
    ]
    html = client_for(staff_admin).get(URL).content.decode()
    assert "Hello Sam" in html
    assert html.count(address) == 1
    assert "Welcome, Asha" not in html
