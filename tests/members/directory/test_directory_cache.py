"""The shared cache of directory result pages: served to the right audience only, and never
stale after a change to what the directory shows."""

import pytest
from django.contrib.auth.models import update_last_login
from django.test import Client

from members.directory.cache import audience_for, directory_version
from members.directory.enums import Visibility
from members.directory.models import Topic
from members.directory.services import profile_set_visibility
from qcommunity.accounts.enums import Role
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def names_on(client, params=None) -> str:
    return client.get("/directory/", params or {}).content.decode()


def profile_queries(client, params=None) -> list[str]:
    _, queries = count_queries(lambda: client.get("/directory/", params or {}))
    return [q for q in queries if "members_profile" in q]


def test_a_repeated_search_is_served_without_querying_entries(client):
    ProfileFactory(visibility=Visibility.PUBLIC, user__full_name="Ada Lovelace")
    params = {"q": "lovelace"}
    assert profile_queries(client, params)  # first time: computed
    assert profile_queries(client, params) == []  # second time: from the cache
    page = names_on(client, params)
    assert page.count('class="nhsuk-card__link"') == 1  # drawn as markup, not escaped text
    assert "Ada Lovelace" in page


def test_hiding_an_entry_removes_it_from_cached_pages(client):
    profile = ProfileFactory(visibility=Visibility.PUBLIC, user__full_name="Ada Lovelace")
    assert "Ada Lovelace" in names_on(client)
    profile_set_visibility(profile=profile, visibility=Visibility.HIDDEN, actor=profile.user)
    assert "Ada Lovelace" not in names_on(client)


def test_a_new_name_replaces_the_old_one_on_cached_pages(client):
    profile = ProfileFactory(visibility=Visibility.PUBLIC, user__full_name="Ada Byron")
    assert "Ada Byron" in names_on(client)
    profile.user.full_name = "Ada Lovelace"
    profile.user.save(update_fields=["full_name"])
    page = names_on(client)
    assert "Ada Lovelace" in page
    assert "Ada Byron" not in page


def test_deactivating_an_account_removes_its_entry_from_cached_pages(client):
    profile = ProfileFactory(visibility=Visibility.PUBLIC, user__full_name="Ada Lovelace")
    assert "Ada Lovelace" in names_on(client)
    profile.user.is_active = False
    profile.user.save(update_fields=["is_active"])
    assert "Ada Lovelace" not in names_on(client)


def test_renaming_a_topic_shows_on_cached_pages(client):
    topic = Topic.objects.create(name="Sepsis care", slug="sepsis-care-test")
    ProfileFactory(visibility=Visibility.PUBLIC, topics=[topic])
    assert "Sepsis care" in names_on(client)
    topic.name = "Sepsis recognition"
    topic.save()
    assert "Sepsis recognition" in names_on(client)


def test_a_sign_in_does_not_make_cached_pages_stale():
    user = UserFactory()
    before = directory_version()
    update_last_login(None, user)
    assert directory_version() == before


def test_members_only_entries_cached_for_members_never_reach_visitors(client_for):
    ProfileFactory(visibility=Visibility.MEMBERS, user__full_name="Grace Hopper")
    viewer = ProfileFactory(visibility=Visibility.PUBLIC).user
    member_client = client_for(viewer)
    assert "Grace Hopper" in names_on(member_client)
    assert "Grace Hopper" in names_on(member_client)  # cached for members
    assert "Grace Hopper" not in names_on(Client())


def test_a_member_with_a_hidden_entry_sees_it_and_nobody_else_does(client_for):
    hidden = ProfileFactory(visibility=Visibility.HIDDEN, user__full_name="Mary Seacole")
    other = ProfileFactory(visibility=Visibility.PUBLIC).user
    assert audience_for(hidden.user) is None  # never served from or written to the cache
    assert "Mary Seacole" in names_on(client_for(hidden.user))
    assert "Mary Seacole" not in names_on(client_for(other))
    assert "Mary Seacole" not in names_on(client_for(other))


def test_audiences():
    assert audience_for(UserFactory(roles=[Role.STAFF_ADMIN])) is None
    assert audience_for(UserFactory()) is None  # signed in, not a member
    assert audience_for(UserFactory(roles=[Role.MEMBER])) == "member"  # no entry yet
    public = ProfileFactory(visibility=Visibility.PUBLIC)
    assert audience_for(public.user) == "member"
