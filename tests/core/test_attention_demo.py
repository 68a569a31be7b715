"""The demo shows every kind of line on the staff home for the demo administrator, and a line's
count falls when the item is done through the pages."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from qcommunity.accounts.models import User
from qcommunity.core.attention import all_providers
from qcommunity.outbox.demo import DEMO_FAILED_TO
from qcommunity.outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db

# Every provider shows in the demo but Exchange's overdue panels: the demo's shortlisting panel
# is working before its deadline (voting closes in 10 days), and a joining panel is overdue.
NOT_IN_DEMO = {"exchange.panels_overdue"}


def attention_section(client) -> str:
    page = client.get(reverse("core-staff:index")).content.decode()
    return page.split('id="attention-heading"', 1)[1].split("Staff pages", 1)[0]


def test_every_kind_of_line_shows_for_the_demo_admin_and_a_count_falls(client_for):
    call_command("seed_demo")
    call_command("seed_demo")  # twice: nothing is added again
    assert OutboxEmail.objects.filter(recipient=DEMO_FAILED_TO).count() == 1
    admin = User.objects.get(email="admin@demo.q.example")
    client = client_for(admin)
    section = attention_section(client)
    expected = {
        "members.applications_short_of_reviews": "fewer reviews than",
        "members.panels_overdue": "is past its review deadline",
        "members.decisions_unreleased": "wait for a decision",
        "exchange.reported_comments": "1 reported comment in Q Exchange waits for moderation.",
        "newsletters.showcase_waiting": "from members wait",
        "newsletters.contact_imports_waiting": "1 newsletter contact import (",
        "newsletters.failed_deliveries": "1 delivery of",
        "outbox.failed": "1 email could not be sent.",
        "imports.waiting": "1 import of past members (",
    }
    assert set(expected) == {p.key for p in all_providers()} - NOT_IN_DEMO
    for key, words in expected.items():
        assert words in section, key
    assert "Regional pilot: Eastern" in section
    assert "3 reviews still to do" in section

    # Send the failed email again, through its confirmation page: the line goes.
    failed = OutboxEmail.objects.get(recipient=DEMO_FAILED_TO)
    retry = reverse("outbox:email-retry", args=[failed.pk])
    assert retry in client.get(reverse("outbox:email-list") + "?status=failed").content.decode()
    assert client.get(retry).status_code == 200
    assert client.post(retry).status_code == 302
    assert "email could not be sent" not in attention_section(client)

    # Confirm the previewed import: the line goes.
    section = attention_section(client)
    preview = re.search(r'href="(/staff/newsletters/import/\d+/)"', section).group(1)
    assert client.post(preview).status_code == 302
    assert "contact import" not in attention_section(client)

    # Confirm the past members waiting in the import kit: that line goes too.
    detail = re.search(r'href="(/staff/imports/\d+/)"', attention_section(client)).group(1)
    assert client.post(detail + "apply/").status_code == 302
    assert "import of past members" not in attention_section(client)
