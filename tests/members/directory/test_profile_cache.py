"""The shared cache of directory entry pages: one rendering per entry for visitors and one for
members, never shown to the wrong audience, never to the entry's owner, and never stale after a
change to the entry."""

import pytest
from django.test import Client

from members.directory.cache import profile_audience_for
from members.directory.enums import Visibility
from members.directory.services import profile_set_visibility
from qcommunity.accounts.enums import Role
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, profile):
    return client.get(f"/directory/{profile.slug}/")


def test_a_visitor_is_served_a_repeated_entry_without_querying_it():
    profile = ProfileFactory(visibility=Visibility.PUBLIC, user__full_name="Ada Lovelace")
    visitor = Client()
    page(visitor, profile)  # computed and cached
    response, queries = None, None

    def again():
        nonlocal response
        response = page(visitor, profile)

    _, queries = count_queries(again)
    assert [q for q in queries if "members_profile" in q] == []
    body = response.content.decode()
    assert "<h1>" in body
    assert "Ada Lovelace" in body
    assert "<title>Ada Lovelace \N{EN DASH} Q Community</title>" in body
    assert "Sign in as a Q member to contact Ada Lovelace" in body


def test_hiding_an_entry_takes_its_cached_page_away():
    profile = ProfileFactory(visibility=Visibility.PUBLIC)
    visitor = Client()
    assert page(visitor, profile).status_code == 200
    profile_set_visibility(profile=profile, visibility=Visibility.HIDDEN, actor=profile.user)
    assert page(visitor, profile).status_code == 404


def test_a_change_to_the_entry_shows_at_once():
    profile = ProfileFactory(visibility=Visibility.PUBLIC, job_title="Ward sister")
    visitor = Client()
    assert "Ward sister" in page(visitor, profile).content.decode()
    profile.job_title = "Matron"
    profile.save()
    body = page(visitor, profile).content.decode()
    assert "Matron" in body
    assert "Ward sister" not in body


def test_deactivating_the_account_takes_its_cached_page_away():
    profile = ProfileFactory(visibility=Visibility.PUBLIC)
    visitor = Client()
    assert page(visitor, profile).status_code == 200
    profile.user.is_active = False
    profile.user.save(update_fields=["is_active"])
    assert page(visitor, profile).status_code == 404


def test_a_members_only_entry_cached_for_members_never_reaches_visitors():
    profile = ProfileFactory(visibility=Visibility.MEMBERS, user__full_name="Grace Hopper")
    member = signed_in(ProfileFactory(visibility=Visibility.PUBLIC).user)
    for _ in range(2):  # the second from the members' cached copy
        body = page(member, profile).content.decode()
        assert "Grace Hopper" in body
        assert "Contact this member" in body
    assert page(Client(), profile).status_code == 404


def test_members_and_visitors_each_get_their_own_copy():
    profile = ProfileFactory(visibility=Visibility.PUBLIC)
    member = signed_in(ProfileFactory(visibility=Visibility.PUBLIC).user)
    visitor = Client()
    for _ in range(2):
        member_body = page(member, profile).content.decode()
        visitor_body = page(visitor, profile).content.decode()
        assert "Contact this member" in member_body
        assert "Sign in as a Q member" not in member_body
        assert "Contact this member" not in visitor_body
        assert "Sign in as a Q member" in visitor_body


def test_the_owner_always_gets_their_own_notes():
    profile = ProfileFactory(visibility=Visibility.PUBLIC)
    other = signed_in(ProfileFactory(visibility=Visibility.PUBLIC).user)
    page(other, profile)  # the members' copy is cached
    body = page(signed_in(profile.user), profile).content.decode()
    assert "This is your directory entry." in body
    assert "Contact this member" not in body  # nobody contacts themselves
    assert "This is your directory entry." not in page(other, profile).content.decode()


def test_audiences():
    assert profile_audience_for(UserFactory(roles=[Role.STAFF_ADMIN, Role.MEMBER])) is None
    assert profile_audience_for(UserFactory()) is None  # signed in, not a member
    assert profile_audience_for(UserFactory(roles=[Role.MEMBER])) == "member"
