"""A member reaches each of their own pages by clicking: the directory entry, random coffee and
showcase submissions link to one another (GET the page, find the link by its text and href)."""

import pytest
from django.urls import reverse

from tests.factories.members import ProfileFactory
from tests.html_checks import has_link

pytestmark = pytest.mark.django_db

PAGES = {
    "Your directory entry": "/me/profile/",
    "Random coffee": "/me/coffee/",
    "Your showcase submissions": "/me/showcase/",
}


def test_the_routes_the_links_name_are_the_members_own_pages():
    assert reverse("members:profile-edit") == PAGES["Your directory entry"]
    assert reverse("members:coffee-settings") == PAGES["Random coffee"]
    assert reverse("newsletters:item-list") == PAGES["Your showcase submissions"]


@pytest.mark.parametrize("page", list(PAGES.values()))
def test_each_own_page_links_the_other_two(client, page):
    client.force_login(ProfileFactory().user)
    response = client.get(page)
    assert response.status_code == 200
    for text, href in PAGES.items():
        if href != page:
            assert has_link(response, text, href), f"{page} has no link to {href}"
    # The page itself is marked as the current one, not linked.
    assert 'aria-current="page"' in response.content.decode()
