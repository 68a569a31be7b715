import pytest

from qcommunity.outbox.enums import EmailStatus
from tests.factories.outbox import OutboxEmailFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/outbox/outboxemail/"


def test_admin_lists_searches_and_filters_outbox_rows(client_for, superuser):
    OutboxEmailFactory(recipient="ada@example.org", status=EmailStatus.FAILED)
    OutboxEmailFactory(recipient="grace@example.org", status=EmailStatus.SENT)
    client = client_for(superuser)

    searched = client.get(CHANGELIST, {"q": "ada@"}).content.decode()
    filtered_response = client.get(CHANGELIST, {"status__exact": "sent"})
    filtered = filtered_response.content.decode()

    assert filtered_response.status_code == 200
    assert "ada@example.org" in searched
    assert "grace@example.org" not in searched
    assert "grace@example.org" in filtered
    assert "ada@example.org" not in filtered


def test_admin_shows_an_outbox_row_read_only(client_for, superuser):
    row = OutboxEmailFactory(subject="Your application")
    client = client_for(superuser)

    detail = client.get(f"{CHANGELIST}{row.pk}/change/")
    changelist = client.get(CHANGELIST).content.decode()

    assert detail.status_code == 200
    assert "Your application" in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()
    assert client.post(f"{CHANGELIST}{row.pk}/change/", {"subject": "Changed"}).status_code == 403
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}{row.pk}/delete/").status_code == 403
    assert "delete_selected" not in changelist
    row.refresh_from_db()
    assert row.subject == "Your application"
