"""Staff send a failed email again from the outbox: a confirmation page, one POST, audited, the
same message queued again; refused for an email that is not failed, so a second press changes
nothing. The staff home's count of failed emails is right straight after."""

import pytest
from django.urls import reverse
from django.utils import timezone

from qcommunity.audit.models import AuditEntry
from qcommunity.outbox.attention import failed_email_lines
from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from qcommunity.outbox.services import OutboxRetryError, outbox_email_retry
from tests.attention import attention_text
from tests.factories.accounts import UserFactory
from tests.factories.outbox import OutboxEmailFactory
from tests.factories.panels import staff_user
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def failed(**kwargs) -> OutboxEmail:
    return OutboxEmailFactory(
        status=EmailStatus.FAILED, attempts=5, last_error="550 5.1.1 User unknown", **kwargs
    )


def test_the_outbox_offers_send_again_on_failed_emails_only(client):
    gone = failed(subject="Your panel invitation")
    sent = OutboxEmailFactory(status=EmailStatus.SENT)
    client.force_login(staff_user())
    page = client.get(reverse("outbox:email-list") + "?status=failed").content.decode()
    assert reverse("outbox:email-retry", args=[gone.pk]) in page
    page = client.get(reverse("outbox:email-list")).content.decode()
    assert reverse("outbox:email-retry", args=[sent.pk]) not in page


def test_sending_again_confirms_queues_audits_and_the_count_falls(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    staff = staff_user()
    gone, other = failed(subject="Your panel invitation"), failed()
    client.force_login(staff)
    assert "2 emails could not be sent." in attention_text(client)
    url = reverse("outbox:email-retry", args=[gone.pk])
    page = client.get(url).content.decode()
    assert "Send this email again?" in page
    assert "550 5.1.1 User unknown" in page
    assert gone.recipient in page
    # Nothing changes until the button is pressed.
    gone.refresh_from_db()
    assert gone.status == EmailStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert f"The email to {gone.recipient} is queued to be sent again." in (
        response.content.decode()
    )
    gone.refresh_from_db()
    # The worker (run straight away in tests, after the commit) sent it once more.
    assert gone.status == EmailStatus.SENT
    assert [m.to for m in mailoutbox] == [[gone.recipient]]
    entry = AuditEntry.objects.get(action="outbox.retry")
    assert entry.actor_id == staff.pk
    assert entry.data["last_error"] == "550 5.1.1 User unknown"
    assert "1 email could not be sent." in attention_text(client)
    other.refresh_from_db()
    assert other.status == EmailStatus.FAILED


def test_a_second_press_changes_nothing(client):
    gone = failed()
    client.force_login(staff_user())
    url = reverse("outbox:email-retry", args=[gone.pk])
    client.post(url)
    gone.refresh_from_db()
    assert (gone.status, gone.attempts) == (EmailStatus.QUEUED, 0)
    response = client.post(url, follow=True)
    assert "This email is queued, not failed: there is nothing to send again." in (
        response.content.decode()
    )
    assert AuditEntry.objects.filter(action="outbox.retry").count() == 1
    assert "Send it again" not in client.get(url).content.decode()


def test_only_staff_may_send_again(client):
    gone = failed()
    client.force_login(UserFactory())
    assert client.post(reverse("outbox:email-retry", args=[gone.pk])).status_code == 404
    with pytest.raises(OutboxRetryError):
        outbox_email_retry(actor=UserFactory(), email=gone)
    gone.refresh_from_db()
    assert gone.status == EmailStatus.FAILED


def test_an_unknown_email_is_not_found(client):
    client.force_login(staff_user())
    assert client.get(reverse("outbox:email-retry", args=[999999])).status_code == 404


def test_failed_email_line_answers_in_one_query():
    failed()
    now = timezone.now()
    one, _ = count_queries(lambda: failed_email_lines(now))
    for _ in range(10):
        failed()
    many, _ = count_queries(lambda: failed_email_lines(now))
    assert one == many == 1
    assert failed_email_lines(now)[0].count == 11
