"""The demo directory: about 300 invented members, every region, mixed visibility, idempotent."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from members.coffee.models import CoffeePairing
from members.coffee.services import months_before
from members.demo.directory import (
    DEMO_DIRECTORY_SIZE,
    DEMO_MEMBER_EMAIL,
    seed_coffee,
    seed_directory,
    seed_member_entry,
)
from members.directory.enums import Visibility
from members.directory.models import Profile
from members.directory.selectors import profile_search, profiles_visible_to
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.core.demo import seed_accounts
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail

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


# Photos and random coffee ------------------------------------------------------------------------


def seed_member_and_directory() -> User:
    member = next(user for account, user in seed_accounts() if account.email == DEMO_MEMBER_EMAIL)
    seed_member_entry(member)
    seed_directory()
    return member


def test_one_entry_in_five_and_the_demo_member_have_a_photo_the_directory_shows(client, client_for):
    member = seed_member_and_directory()
    with_photo = demo_profiles().exclude(photo="")
    assert with_photo.count() == DEMO_DIRECTORY_SIZE // 5
    assert member.profile.photo
    # Drawn (initials on a square), checked and re-encoded as a member's own upload is.
    someone = with_photo.filter(visibility=Visibility.PUBLIC).select_related("user").first()
    page = client.get(reverse("members:profile-detail", args=[someone.slug])).content.decode()
    photo_path = reverse("members:profile-photo", args=[someone.slug])
    assert photo_path in page
    response = client.get(photo_path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (240, 240)
    no_photo = demo_profiles().filter(photo="", visibility=Visibility.PUBLIC).first()
    page = client.get(reverse("members:profile-detail", args=[no_photo.slug])).content.decode()
    assert reverse("members:profile-photo", args=[no_photo.slug]) not in page
    mine = client_for(member).get(reverse("members:profile-detail", args=[member.profile.slug]))
    assert reverse("members:profile-photo", args=[member.profile.slug]) in mine.content.decode()


def test_last_month_is_paired_once_with_the_demo_member_who_can_message_their_partner(
    client_for, staff_admin
):
    member = seed_member_and_directory()
    assert Profile.objects.get(user=member).coffee_opt_in
    pairs = seed_coffee()
    last_month = months_before(timezone.localdate().replace(day=1), 1)
    assert pairs >= 20
    assert set(CoffeePairing.objects.values_list("month", flat=True)) == {last_month}
    assert CoffeePairing.objects.count() == pairs
    mine = CoffeePairing.objects.get(Q(member_a=member) | Q(member_b=member))
    assert OutboxEmail.objects.filter(kind="coffee_introduction", recipient=member.email).exists()

    page = client_for(member).get(reverse("members:coffee-settings")).content.decode()
    message_path = reverse("members:coffee-message", args=[mine.pk])
    assert message_path in page
    assert "Send a message" in page
    assert client_for(member).get(message_path).status_code == 200
    staff_page = client_for(staff_admin).get(reverse("members-staff:coffee")).content.decode()
    assert f"Pairs for {last_month:%B %Y}" in staff_page
    assert f"No pairs were made for {last_month:%B %Y}" not in staff_page

    # Once: later runs, and seed_demo again, add nothing.
    emails = OutboxEmail.objects.count()
    assert seed_coffee() == 0
    call_command("seed_demo", stdout=io.StringIO())
    assert CoffeePairing.objects.count() == pairs
    assert OutboxEmail.objects.filter(kind="coffee_introduction").count() == emails
