import pytest

from qcommunity.outbox.enums import EmailStatus
from tests.factories.outbox import OutboxEmailFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = "/staff/outbox/"


def listed_recipients(response) -> list[str]:
    html = response.content.decode()
    return sorted(
        address
        for address in ("sent@example.org", "failed@example.org", "queued@example.org")
        if f'<td class="nhsuk-table__cell">{address}</td>' in html
    )


def test_outbox_list_runs_the_same_queries_for_one_and_many_rows(client_for, staff_admin):
    client = client_for(staff_admin)
    OutboxEmailFactory(status=EmailStatus.SENT)

    def add_rows(n):
        OutboxEmailFactory.create_batch(n // 2, status=EmailStatus.FAILED, last_error="550")
        OutboxEmailFactory.create_batch(n - n // 2)

    def get():
        response = client.get(URL)
        assert response.status_code == 200

    get()  # The session's first request records it once; that is not a per-row query.
    assert_constant_queries(get, add_rows, many=30)


def test_outbox_list_filters_by_status(client_for, staff_admin):
    OutboxEmailFactory(recipient="sent@example.org", status=EmailStatus.SENT)
    OutboxEmailFactory(
        recipient="failed@example.org", status=EmailStatus.FAILED, last_error="550 rejected"
    )
    OutboxEmailFactory(recipient="queued@example.org")
    client = client_for(staff_admin)

    failed = client.get(URL, {"status": "failed"})
    everything = client.get(URL)

    assert listed_recipients(failed) == ["failed@example.org"]
    assert "550 rejected" in failed.content.decode()
    assert listed_recipients(everything) == [
        "failed@example.org",
        "queued@example.org",
        "sent@example.org",
    ]


def test_outbox_list_filters_by_recipient_ignoring_case(client_for, staff_admin):
    OutboxEmailFactory(recipient="sent@example.org", status=EmailStatus.SENT)
    OutboxEmailFactory(recipient="queued@example.org")

    response = client_for(staff_admin).get(URL, {"recipient": "SENT@example.org"})

    assert listed_recipients(response) == ["sent@example.org"]


def test_outbox_list_is_hidden_from_members(client_for, member):
    OutboxEmailFactory()
    assert client_for(member).get(URL).status_code == 404


def test_outbox_list_sends_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
