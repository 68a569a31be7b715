"""Words on the editors' and members' newsletter pages follow what is true: counts meet their
nouns in the right number, an issue's page speaks of its own state, a returned showcase item
names who it went back to, and example dates lie ahead."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.newsletters.issues.enums import DeliveryStatus, IssueStatus
from qcommunity.newsletters.issues.models import Delivery
from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import (
    ContactFactory,
    IssueFactory,
    ShowcaseItemFactory,
    SubscriptionFactory,
    community,
    editor_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(editor_user())
    return client


def issue_page(client, issue) -> str:
    response = client.get(reverse("newsletters-staff:issue-detail", args=[issue.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def deliver(issue, n: int, status=DeliveryStatus.SENT):
    for contact in ContactFactory.create_batch(n):
        Delivery.objects.create(issue=issue, contact=contact, email=contact.email, status=status)


@pytest.mark.parametrize(
    ("n", "words"), [(0, "0 subscribers"), (1, "1 subscriber"), (2, "2 subscribers")]
)
def test_a_sent_issue_says_how_many_it_was_sent_to_and_when(editor_client, n, words):
    sent_at = dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)
    issue = IssueFactory(newsletter=community(), status=IssueStatus.SENT, sent_at=sent_at)
    deliver(issue, n)
    deliver(issue, 1, status=DeliveryStatus.FAILED)
    SubscriptionFactory.create_batch(3)  # subscribers now are not who it went to
    page = issue_page(editor_client, issue)
    assert re.search(rf"Sent to </dt> <dd[^>]*> {words} on 3 December 2026, 5pm", page)
    assert "Recipients now" not in page
    assert "would go to" not in page
    assert "can be changed only while it is a draft" not in page
    assert "This issue has been sent, so it can no longer be changed." in page
    assert "1 email" in page  # the one that could not be delivered


@pytest.mark.parametrize(
    ("n", "words"), [(0, "0 subscribers"), (1, "1 subscriber"), (2, "2 subscribers")]
)
def test_a_draft_says_who_it_would_go_to_now_and_that_it_can_change(editor_client, n, words):
    issue = IssueFactory(newsletter=community())
    SubscriptionFactory.create_batch(n)
    page = issue_page(editor_client, issue)
    assert re.search(rf"If it were sent now, it would go to </dt> <dd[^>]*> {words} </dd>", page)
    assert "You can change this issue while it is a draft." in page
    assert "Sent to" not in page


def test_an_approved_issue_says_to_return_it_to_draft_to_change_it(editor_client):
    page = issue_page(editor_client, IssueFactory(status=IssueStatus.APPROVED))
    assert "To change it, return it to draft first" in page
    assert "You can change this issue" not in page


def test_a_cancelled_issue_says_it_will_not_be_sent(editor_client):
    page = issue_page(editor_client, IssueFactory(status=IssueStatus.CANCELLED))
    assert "Not sent: the issue was cancelled" in page
    assert "would go to" not in page


def test_a_sending_issue_counts_what_has_gone_so_far(editor_client):
    issue = IssueFactory(status=IssueStatus.SENDING)
    deliver(issue, 2)
    deliver(issue, 1, status=DeliveryStatus.QUEUED)
    page = issue_page(editor_client, issue)
    assert "Sent to 2 of 3 subscribers so far" in page
    assert "This issue is being sent, so it can no longer be changed." in page


def test_the_schedule_hint_gives_an_example_date_ahead_of_today(editor_client):
    page = issue_page(editor_client, IssueFactory(status=IssueStatus.APPROVED))
    day, month, year = (
        int(part) for part in re.search(r"For example, (\d+) (\d+) (\d{4})", page).groups()
    )
    assert dt.date(year, month, day) > timezone.localdate()


def test_the_editors_queue_names_who_a_returned_item_went_back_to(client):
    author = UserFactory(full_name="Priya Shah", roles=[Role.MEMBER])
    item = ShowcaseItemFactory(
        submitted_by=author, status=ShowcaseStatus.RETURNED, return_reason="More, please"
    )
    editor = editor_user()
    client.force_login(editor)
    queue_url = reverse("newsletters-staff:showcase-queue")
    # The status filter offers "Returned", not "Returned to you".
    assert "Returned to you" not in client.get(queue_url).content.decode()
    queue = client.get(queue_url, {"status": "returned"}).content.decode()
    assert "Returned to you" not in queue
    assert "Returned to Priya Shah" in queue
    review = client.get(
        reverse("newsletters-staff:showcase-review", args=[item.pk])
    ).content.decode()
    assert "Returned to you" not in review
    assert "Returned to Priya Shah" in review
    # The member it was returned to reads "Returned to you" on their own pages.
    client.force_login(author)
    for page in (
        reverse("newsletters:item-list"),
        reverse("newsletters:item-detail", args=[item.pk]),
    ):
        assert "Returned to you" in client.get(page).content.decode()
