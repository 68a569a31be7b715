"""Pages of the newsletters area show their links as links, never as escaped markup, and link
what a reader or an editor needs next (the archive, "Send now")."""

import pytest
from django.urls import reverse

from qcommunity.newsletters.issues.enums import IssueStatus
from tests.factories.newsletters import (
    IssueFactory,
    NewsletterFactory,
    ShowcaseItemFactory,
    community,
    editor_user,
)
from tests.html_checks import escaped_tags, has_link, links

pytestmark = pytest.mark.django_db


def test_the_subscribers_page_links_each_newsletter_name(client):
    client.force_login(editor_user())
    private = NewsletterFactory(name="Panel <chairs> & friends", is_public=False)
    response = client.get(reverse("newsletters-staff:newsletter-list"))
    assert response.status_code == 200
    assert escaped_tags(response) == []
    contacts = reverse("newsletters-staff:contact-list")
    assert has_link(response, community().name, f"{contacts}?newsletter={community().pk}")
    # The name is text inside the link: its own markup characters stay escaped.
    assert has_link(response, "Panel <chairs> & friends", f"{contacts}?newsletter={private.pk}")
    assert "Panel &lt;chairs&gt; &amp; friends</a> (private)" in response.content.decode()


def test_an_editor_sees_the_showcase_web_address_as_a_link(client):
    client.force_login(editor_user())
    item = ShowcaseItemFactory(link="https://example.org/falls?ward=3&day=mon")
    response = client.get(reverse("newsletters-staff:showcase-review", args=[item.pk]))
    assert response.status_code == 200
    assert escaped_tags(response) == []
    assert has_link(response, item.link, item.link)


def test_the_member_sees_their_showcase_web_address_as_a_link(client):
    item = ShowcaseItemFactory(link="https://example.org/lounge")
    client.force_login(item.submitted_by)
    response = client.get(reverse("newsletters:item-detail", args=[item.pk]))
    assert response.status_code == 200
    assert escaped_tags(response) == []
    assert has_link(response, "https://example.org/lounge", "https://example.org/lounge")


def test_the_subscribe_page_links_the_archive(client):
    response = client.get(reverse("newsletters:subscribe"))
    assert has_link(response, "newsletter archive", reverse("newsletters:issue-list"))


@pytest.mark.parametrize("status", [IssueStatus.APPROVED, IssueStatus.SCHEDULED])
def test_an_issue_that_can_go_now_links_send_now_from_its_page_and_the_list(client, status):
    client.force_login(editor_user())
    issue = IssueFactory(status=status, title="Winter news")
    draft = IssueFactory(title="Not ready")
    send = reverse("newsletters-staff:progress", args=[issue.pk]) + "#send"
    page = client.get(reverse("newsletters-staff:issue-detail", args=[issue.pk]))
    assert has_link(page, "Send now", send)
    listing = client.get(reverse("newsletters-staff:issue-list"))
    assert has_link(listing, "Send now Winter news", send)
    draft_send = reverse("newsletters-staff:progress", args=[draft.pk]) + "#send"
    assert not has_link(listing, "Send now", draft_send)
    # The link leads to the confirmation step, which holds the button that sends.
    progress = client.get(send.split("#")[0]).content.decode()
    assert 'id="send"' in progress
    assert f'action="{reverse("newsletters-staff:send", kwargs={"pk": issue.pk})}"' in progress


@pytest.mark.parametrize("status", [IssueStatus.DRAFT, IssueStatus.SENT, IssueStatus.CANCELLED])
def test_an_issue_that_cannot_go_now_has_no_send_now_link(client, status):
    client.force_login(editor_user())
    issue = IssueFactory(status=status)
    page = client.get(reverse("newsletters-staff:issue-detail", args=[issue.pk]))
    assert not any(text.startswith("Send now") for text, _ in links(page))
    listing = client.get(reverse("newsletters-staff:issue-list"))
    assert not any(text.startswith("Send now") for text, _ in links(listing))
