"""Benchmark seeding on a small scale: counts, share with entries, visibility mix, search
columns, one password hash, and the marker that lets a re-run reuse the database."""

import pytest
from django.db.models import Count

from bench.seed import PROFILE_SHARE, ensure_seeded, seed_users
from members.directory.models import Profile
from members.directory.selectors import profile_search
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User, UserRole
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_seeds_users_with_entries_mixed_visibility_and_search_columns():
    before = User.objects.count()
    summary = seed_users(500)
    users = User.objects.filter(email__endswith="@bench.q.example")
    assert users.count() == 500 == User.objects.count() - before
    profiles = Profile.objects.filter(user__in=users)
    assert summary["profiles"] == profiles.count()
    assert abs(profiles.count() - 500 * PROFILE_SHARE) < 45
    by_visibility = dict(
        profiles.values("visibility").annotate(n=Count("id")).values_list("visibility", "n")
    )
    assert by_visibility == summary["visibility"]
    total = profiles.count()
    assert 0.5 < by_visibility["public"] / total < 0.7
    assert 0.17 < by_visibility["members"] / total < 0.33
    assert 0.08 < by_visibility["hidden"] / total < 0.22
    assert not profiles.filter(search_vector__isnull=True).exists()
    assert not profiles.filter(sort_name="").exists()
    assert profiles.filter(visibility="hidden", published_at__isnull=False).count() == 0
    # Every entry holder is a member; everyone shares one unusable password hash.
    assert UserRole.objects.filter(user__profile__in=profiles, role=Role.MEMBER).count() == total
    assert users.values("password").distinct().count() == 1
    assert not users.first().has_usable_password()
    assert len(set(profiles.values_list("region", flat=True))) == 18
    counts = profiles.annotate(n=Count("topics")).values_list("n", flat=True)
    assert min(counts) >= 1
    assert max(counts) <= 5
    assert summary["topic_links"] == sum(counts)


def test_seeded_entries_are_searchable_and_ids_continue_after_them():
    seed_users(200)
    someone = Profile.objects.filter(user__email__endswith="@bench.q.example").first()
    found = profile_search(Profile.objects.all(), someone.job_title)
    assert someone in found
    # The id sequences were moved past the copied rows, so ordinary inserts still work.
    UserFactory()
    assert User.objects.count() >= 201


def test_ensure_seeded_reuses_a_database_of_the_same_size_and_reseeds_another():
    first = ensure_seeded(150)
    assert first["reused"] is False
    assert User.objects.count() == 150
    again = ensure_seeded(150)
    assert again["reused"] is True
    assert again["profiles"] == first["profiles"]
    assert User.objects.count() == 150
    other = ensure_seeded(120)
    assert other["reused"] is False
    assert User.objects.count() == 120
