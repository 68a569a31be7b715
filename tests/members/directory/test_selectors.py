import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from members.directory.enums import Visibility
from members.directory.selectors import profile_get_for_viewer, profile_search, profiles_visible_to
from qcommunity.accounts.enums import Role
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory, approach, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    return {
        v: ProfileFactory(visibility=v, user__full_name=f"{v.title()} Person")
        for v in Visibility.values
    }


def visible_names(user) -> set[str]:
    return {p.visibility for p in profiles_visible_to(user)}


def test_visitors_see_only_public_entries(entries):
    assert visible_names(AnonymousUser()) == {"public"}


def test_signed_in_non_members_see_only_public_entries(entries):
    assert visible_names(UserFactory()) == {"public"}


def test_members_see_public_and_members_only_entries(entries):
    assert visible_names(UserFactory(roles=[Role.MEMBER])) == {"public", "members"}


def test_owner_sees_their_own_hidden_entry(entries):
    owner = entries["hidden"].user
    assert visible_names(owner) == {"public", "members", "hidden"}


def test_staff_see_every_entry(entries):
    assert visible_names(UserFactory(roles=[Role.STAFF_ADMIN])) == set(Visibility.values)


def test_hidden_entry_answers_404_to_members(entries):
    with pytest.raises(Http404):
        profile_get_for_viewer(user=UserFactory(roles=[Role.MEMBER]), slug=entries["hidden"].slug)


def test_members_only_entry_answers_404_to_visitors(entries):
    with pytest.raises(Http404):
        profile_get_for_viewer(user=AnonymousUser(), slug=entries["members"].slug)


def test_search_tolerates_typos_in_names():
    john = ProfileFactory(user__full_name="John Smith", visibility=Visibility.PUBLIC)
    ProfileFactory(user__full_name="Joan Smythe-Barrow", visibility=Visibility.PUBLIC)
    ProfileFactory(user__full_name="Ravi Patel", visibility=Visibility.PUBLIC)
    found = list(profile_search(profiles_visible_to(AnonymousUser()), "Jonh Smiht"))
    assert john in found
    assert all(p.user.full_name != "Ravi Patel" for p in found)


def test_search_covers_topics_approaches_and_working_on():
    sepsis = ProfileFactory(
        visibility=Visibility.PUBLIC,
        topics=[topic("Sepsis")],
        approaches=[approach("Experience-based co-design")],
    )
    notes = ProfileFactory(visibility=Visibility.PUBLIC, working_on="Reducing falls on wards")
    base = profiles_visible_to(AnonymousUser())
    assert list(profile_search(base, "sepsis")) == [sepsis]
    assert list(profile_search(base, "co-design")) == [sepsis]
    assert list(profile_search(base, "falls")) == [notes]
