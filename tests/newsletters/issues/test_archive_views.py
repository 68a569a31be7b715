import pytest
from django.urls import reverse
from django.utils import timezone

from qcommunity.newsletters.issues.enums import IssueStatus
from tests.factories.newsletters import IssueFactory, NewsletterFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def sent(**kwargs):
    return IssueFactory(status=IssueStatus.SENT, sent_at=timezone.now(), **kwargs)


def test_only_sent_issues_of_public_newsletters_appear(client):
    newsletter = NewsletterFactory()
    sent(newsletter=newsletter, title="Went out")
    for status in (IssueStatus.DRAFT, IssueStatus.APPROVED, IssueStatus.SCHEDULED,
                   IssueStatus.SENDING, IssueStatus.CANCELLED):  # fmt: skip
        IssueFactory(newsletter=newsletter, status=status, title=f"Not {status}")
    sent(newsletter=NewsletterFactory(is_public=False), title="Private list")
    html = client.get(reverse("newsletters:issue-list")).content.decode()
    assert "Went out" in html
    assert "Not " not in html
    assert "Private list" not in html


def test_an_issue_page_is_404_unless_sent(client):
    issue = IssueFactory(status=IssueStatus.SCHEDULED)
    url = reverse("newsletters:issue-detail", args=[issue.newsletter.slug, issue.slug])
    assert client.get(url).status_code == 404
    done = sent(title="All about huddles", intro="Hello {{ first_name }}")
    url = reverse("newsletters:issue-detail", args=[done.newsletter.slug, done.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert "Hello there" in response.content.decode()


def test_newest_first_and_paginated(client):
    newsletter = NewsletterFactory()
    for n in range(22):
        sent(newsletter=newsletter, title=f"Number {n:02d}")
    url = reverse("newsletters:newsletter-issues", args=[newsletter.slug])
    html = client.get(url).content.decode()
    assert html.index("Number 21") < html.index("Number 20")
    assert "Number 01" not in html
    assert "Number 01" in client.get(url, {"page": 2}).content.decode()


def test_archive_list_queries_do_not_grow(client):
    sent()
    url = reverse("newsletters:issue-list")
    assert_constant_queries(
        lambda: client.get(url), lambda n: [sent(newsletter=NewsletterFactory()) for _ in range(n)]
    )
