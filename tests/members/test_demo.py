"""The demo directory: about 300 invented members, every region, mixed visibility, idempotent."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from members.demo import DEMO_DIRECTORY_SIZE, seed_directory
from members.enums import Region, Visibility
from members.models import Profile
from members.selectors import profile_search, profiles_visible_to
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User

pytestmark = pytest.mark.django_db


def demo_profiles():
    return Profile.objects.filter(user__email__regex=r"\.[0-9]+@demo\.q\.example$")


def test_seeds_about_300_members_across_every_region_with_mixed_visibility():
    assert seed_directory() == DEMO_DIRECTORY_SIZE
    profiles = demo_profiles()
    assert profiles.count() == DEMO_DIRECTORY_SIZE
    assert set(profiles.values_list("region", flat=True)) == set(Region.values)
    by_visibility = dict(
        profiles.values("visibility").annotate(n=Count("id")).values_list("visibility", "n")
    )
    assert by_visibility[Visibility.PUBLIC] > DEMO_DIRECTORY_SIZE / 2
    assert by_visibility[Visibility.MEMBERS] >= 20
    assert by_visibility[Visibility.HIDDEN] >= 20
    assert not profiles.filter(published_at__isnull=False, visibility=Visibility.HIDDEN).exists()
    # Everyone is a member whose password cannot be used to sign in.
    users = User.objects.filter(profile__in=profiles)
    assert users.filter(roles__role=Role.MEMBER).count() == DEMO_DIRECTORY_SIZE
    assert not any(user.has_usable_password() for user in users[:20])
    assert len(set(users.values_list("password", flat=True))) == 1


def test_entries_have_terms_nations_and_dates_over_the_last_two_years():
    seed_directory()
    profiles = demo_profiles().annotate(
        n_topics=Count("topics", distinct=True),
        n_approaches=Count("approaches", distinct=True),
        n_offers=Count("offers", distinct=True),
    )
    for profile in profiles:
        assert 1 <= profile.n_topics <= 5
        assert 1 <= profile.n_approaches <= 3
        assert 0 <= profile.n_offers <= 3
        assert profile.nation == Region(profile.region).nation
        assert profile.role_types
        assert profile.job_title
        assert profile.organisation
        assert profile.organisation_type
    assert profiles.exclude(working_on="").count() > DEMO_DIRECTORY_SIZE / 2
    year_ago = timezone.now() - dt.timedelta(days=365)
    assert profiles.filter(confirmed_at__lt=year_ago).exists()
    assert profiles.filter(confirmed_at__gte=year_ago).exists()
    assert not profiles.filter(confirmed_at__lt=timezone.now() - dt.timedelta(days=731)).exists()


def test_search_columns_are_filled_so_demo_people_can_be_found():
    seed_directory()
    assert not demo_profiles().filter(search_vector__isnull=True).exists()
    someone = demo_profiles().filter(visibility=Visibility.PUBLIC).select_related("user").first()
    found = profile_search(profiles_visible_to(AnonymousUser()), someone.user.full_name)
    assert someone in found


def test_running_again_changes_nothing():
    seed_directory()
    before = list(demo_profiles().order_by("id").values())
    users_before = User.objects.count()
    assert seed_directory() == 0
    assert User.objects.count() == users_before
    assert list(demo_profiles().order_by("id").values()) == before


def test_seed_demo_gives_the_demo_member_a_published_entry_once():
    call_command("seed_demo", stdout=io.StringIO())
    member = User.objects.get(email="member@demo.q.example")
    assert member.profile.visibility == Visibility.PUBLIC
    assert member.profile.topics.exists()
    member.profile.job_title = "Changed by Priya"
    member.profile.save()
    count = Profile.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    member.profile.refresh_from_db()
    assert member.profile.job_title == "Changed by Priya"
    assert Profile.objects.count() == count


def test_refuses_production_settings(settings):
    settings.SETTINGS_MODULE = "qcommunity.settings.production"
    with pytest.raises(ImproperlyConfigured):
        seed_directory()
    assert not demo_profiles().exists()
