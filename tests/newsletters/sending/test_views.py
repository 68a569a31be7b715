"""/staff/newsletters/sending/<issue>/: progress figures, the htmx refresh, failures, send now."""

import re

import pytest
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.newsletters.issues.enums import DeliveryStatus, IssueStatus
from qcommunity.newsletters.issues.models import Delivery, Issue
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import ContactFactory, IssueFactory, editor_user
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return editor_user()


def deliveries(issue, status, n, error=""):
    for _ in range(n):
        Delivery.objects.create(
            issue=issue,
            contact=(contact := ContactFactory()),
            email=contact.email,
            status=status,
            last_error=error,
        )


def progress_url(issue):
    return reverse("newsletters-staff:progress", kwargs={"pk": issue.pk})


def test_progress_shows_the_counts_and_a_progress_bar(client_for, editor):
    issue = IssueFactory(status=IssueStatus.SENDING)
    deliveries(issue, DeliveryStatus.QUEUED, 5)
    deliveries(issue, DeliveryStatus.SENT, 3)
    deliveries(issue, DeliveryStatus.FAILED, 1, "550 5.1.1 no such user")
    deliveries(issue, DeliveryStatus.SUPPRESSED, 1)
    response = client_for(editor).get(progress_url(issue))
    assert response.status_code == 200
    page = response.content.decode()
    assert "5 of 10 emails dealt with (50%)" in page
    assert (
        '<progress class="q-progress" id="sending-progress-bar" max="10" value="5">50%</progress>'
        in page
    )
    figures = re.findall(
        r'<dt class="nhsuk-summary-list__key"\s*>\s*(.+?)\s*</dt>\s*'
        r'<dd class="nhsuk-summary-list__value"\s*>\s*(.+?)\s*</dd>',
        page,
    )
    assert figures == [
        ("Waiting to send", "5"),
        ("Sent", "3"),
        ("Could not be delivered", "1"),
        ("Not sent: address unsubscribed or blocked", "1"),
    ]
    assert "550 5.1.1 no such user" in page
    assert f'hx-get="{progress_url(issue)}" hx-trigger="every 3s"' in page
    assert f'<a href="{progress_url(issue)}">Refresh the figures</a>' in page


def test_htmx_gets_only_the_figures(client_for, editor):
    issue = IssueFactory(status=IssueStatus.SENDING)
    deliveries(issue, DeliveryStatus.SENT, 1)
    response = client_for(editor).get(progress_url(issue), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="sending-progress"')
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_a_sent_issue_stops_refreshing(client_for, editor):
    issue = IssueFactory(status=IssueStatus.SENT)
    deliveries(issue, DeliveryStatus.SENT, 2)
    page = client_for(editor).get(progress_url(issue)).content.decode()
    assert "hx-get" not in page
    assert "Refresh the figures" not in page
    assert "2 of 2 emails dealt with (100%)" in page
    assert "Send now" not in page


def test_failures_list_query_count_is_constant(client_for, editor):
    issue = IssueFactory(status=IssueStatus.SENDING)
    deliveries(issue, DeliveryStatus.FAILED, 1, "550 no")
    client = client_for(editor)
    assert_constant_queries(
        lambda: client.get(progress_url(issue)),
        lambda n: deliveries(issue, DeliveryStatus.FAILED, n, "550 no"),
        many=60,
    )
    page = client.get(progress_url(issue)).content.decode()
    assert "Showing 1 to 50 of 61 failed emails" in page


def test_send_now_starts_the_issue_and_a_second_click_sends_nothing_twice(
    client_for, editor, django_capture_on_commit_callbacks
):
    issue = IssueFactory(status=IssueStatus.APPROVED)
    client = client_for(editor)
    page = client.get(progress_url(issue)).content.decode()
    assert "Send now" in page
    send = reverse("newsletters-staff:send", kwargs={"pk": issue.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send)
    assert response.status_code == 302
    assert response["Location"] == progress_url(issue)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT  # no subscribers: done at once
    response = client.post(send, follow=True)
    assert "This issue has already been sent." in response.content.decode()


def test_members_and_visitors_cannot_see_or_send(client, client_for):
    issue = IssueFactory(status=IssueStatus.APPROVED)
    send = reverse("newsletters-staff:send", kwargs={"pk": issue.pk})
    assert client.get(progress_url(issue)).status_code == 302
    assert client.post(send).status_code == 302
    member = client_for(UserFactory(roles=[Role.MEMBER]))
    assert member.get(progress_url(issue)).status_code == 404
    assert member.post(send).status_code == 404
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.APPROVED


def test_progress_of_an_unknown_issue_is_not_found(client_for, editor):
    assert client_for(editor).get("/staff/newsletters/sending/987654/").status_code == 404
