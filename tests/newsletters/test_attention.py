"""The newsletters' lines on the staff home: showcase items to approve, contact imports
previewed and not confirmed, deliveries that bounced or failed. Counts are right straight after
changes made through the pages; each provider answers in a fixed number of queries."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qcommunity.newsletters.imports.attention import imports_waiting_lines
from qcommunity.newsletters.imports.models import ImportBatch
from qcommunity.newsletters.issues.enums import DeliveryStatus, IssueStatus
from qcommunity.newsletters.issues.models import Delivery
from qcommunity.newsletters.sending.attention import failed_delivery_lines
from qcommunity.newsletters.sending.services import EMAIL_KIND
from qcommunity.newsletters.showcase.attention import showcase_lines
from qcommunity.newsletters.subscriptions.enums import LawfulBasis
from qcommunity.outbox.enums import EmailStatus
from tests.attention import attention_text
from tests.factories.newsletters import (
    ContactFactory,
    IssueFactory,
    ShowcaseItemFactory,
    community,
)
from tests.factories.outbox import OutboxEmailFactory
from tests.factories.panels import staff_user
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

CSV = b"email,name\nana@example.org,Ana\nben@example.org,Ben\n"


def test_showcase_items_fall_as_an_editor_approves_them(client):
    items = ShowcaseItemFactory.create_batch(2)
    client.force_login(staff_user())
    assert "2 showcase items from members wait for approval." in attention_text(client)
    approve = reverse("newsletters-staff:showcase-approve", args=[items[0].pk])
    assert client.post(approve).status_code == 302
    assert "1 showcase item from members waits for approval." in attention_text(client)
    ret = reverse("newsletters-staff:showcase-return", args=[items[1].pk])
    assert client.post(ret, {"reason": "Say what changed for patients."}).status_code == 302
    assert "wait for approval" not in attention_text(client)
    assert "waits for approval" not in attention_text(client)


def test_showcase_line_answers_in_one_query():
    ShowcaseItemFactory()
    now = timezone.now()
    one, _ = count_queries(lambda: showcase_lines(now))
    ShowcaseItemFactory.create_batch(10)
    many, _ = count_queries(lambda: showcase_lines(now))
    assert one == many == 1
    assert showcase_lines(now)[0].count == 11


def _upload(client, name="sign-ups.csv"):
    response = client.post(
        reverse("newsletters-staff:import-upload"),
        {
            "file": SimpleUploadedFile(name, CSV, content_type="text/csv"),
            "newsletters": [community().pk],
            "lawful_basis": LawfulBasis.LEGITIMATE_INTERESTS,
            "note": "Delegates at the spring event.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.headers["Location"]


def test_an_import_previewed_waits_until_it_is_confirmed(client):
    client.force_login(staff_user())
    assert "contact import" not in attention_text(client)
    first = _upload(client, "first.csv")
    _upload(client, "second.csv")
    text = attention_text(client)
    assert "2 newsletter contact imports wait for confirmation, the oldest (first.csv)" in text
    page = client.get(reverse("core-staff:index")).content.decode()
    assert f'href="{first}"' in page
    assert client.post(first).status_code == 302
    text = attention_text(client)
    assert "1 newsletter contact import (second.csv, previewed on" in text


def test_imports_line_answers_in_one_query():
    def batch():
        return ImportBatch.objects.create(
            filename="f.csv", lawful_basis=LawfulBasis.CONSENT, note="n", preview={}
        )

    batch()
    now = timezone.now()
    one, _ = count_queries(lambda: imports_waiting_lines(now))
    for _ in range(10):
        batch()
    many, _ = count_queries(lambda: imports_waiting_lines(now))
    assert one == many == 1
    assert imports_waiting_lines(now)[0].count == 11


def _failed_delivery(issue, n: int = 0) -> Delivery:
    contact = ContactFactory()
    row = OutboxEmailFactory(
        kind=EMAIL_KIND, recipient=contact.email, status=EmailStatus.FAILED, attempts=3
    )
    return Delivery.objects.create(
        issue=issue,
        contact=contact,
        email=contact.email,
        status=DeliveryStatus.FAILED,
        outbox_email=row,
        last_error="550 5.1.1 User unknown",
    )


def _sent_issue(days_ago: int = 1):
    return IssueFactory(
        status=IssueStatus.SENT, sent_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_failed_deliveries_fall_when_the_email_is_sent_again(client):
    issue = _sent_issue()
    first, _second = _failed_delivery(issue), _failed_delivery(issue)
    # An issue sent more than 30 days ago is no longer listed.
    _failed_delivery(_sent_issue(days_ago=31))
    client.force_login(staff_user())
    text = attention_text(client)
    assert f"2 deliveries of “{issue.title}” bounced or could not be sent." in text
    progress = reverse("newsletters-staff:progress", kwargs={"pk": issue.pk})
    assert f'href="{progress}"' in client.get(reverse("core-staff:index")).content.decode()
    retry = reverse("outbox:email-retry", args=[first.outbox_email_id])
    assert client.post(retry).status_code == 302
    first.refresh_from_db()
    assert first.status != DeliveryStatus.FAILED
    text = attention_text(client)
    assert f"1 delivery of “{issue.title}” bounced or could not be sent." in text


def test_failed_deliveries_answer_in_fixed_queries():
    _failed_delivery(_sent_issue())
    now = timezone.now()
    one, _ = count_queries(lambda: failed_delivery_lines(now))
    for _ in range(3):
        issue = _sent_issue()
        _failed_delivery(issue)
        _failed_delivery(issue)
    many, _ = count_queries(lambda: failed_delivery_lines(now))
    assert one == many == 2
    assert [line.count for line in failed_delivery_lines(now)].count(2) == 3
