"""Pages of the newsletters area show their links as links, never as escaped markup."""

import pytest
from django.urls import reverse

from tests.factories.newsletters import (
    NewsletterFactory,
    ShowcaseItemFactory,
    community,
    editor_user,
)
from tests.html_checks import escaped_tags, has_link

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
    response = client.get(reverse("newsletter-issues:showcase-review", args=[item.pk]))
    assert response.status_code == 200
    assert escaped_tags(response) == []
    assert has_link(response, item.link, item.link)


def test_the_member_sees_their_showcase_web_address_as_a_link(client):
    item = ShowcaseItemFactory(link="https://example.org/lounge")
    client.force_login(item.submitted_by)
    response = client.get(reverse("showcase:item-detail", args=[item.pk]))
    assert response.status_code == 200
    assert escaped_tags(response) == []
    assert has_link(response, "https://example.org/lounge", "https://example.org/lounge")
