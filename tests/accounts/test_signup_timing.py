"""Signing up with an address that already has an account costs the same work as with a new one,
so the time of the answer does not tell anyone which addresses have accounts.

The costly part of a sign-up is the password hash (about 0.4 s with production's hasher, against
a few milliseconds for the rest). Timing requests on a shared machine is noisy, so the test counts
the hashes each kind of sign-up computes instead: they must be equal, and at least one."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from qcommunity.accounts.models import User
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """The test suite's fast hasher, counting every password it hashes."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


def hashes_for_signup(client, email, n):
    data = {
        "full_name": "Samira Okafor",
        "email": email,
        "password1": "blue-kettle-mountain-47",
        "password2": "blue-kettle-mountain-47",
    }
    client.cookies.clear()
    before = CountingHasher.hashed
    # A different address each time: sign-up is limited per address, and that is not measured here.
    response = client.post("/accounts/signup/", data, REMOTE_ADDR=f"192.0.2.{n}")
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    return CountingHasher.hashed - before


def test_signup_hashes_a_password_for_an_existing_address_as_for_a_new_one(client, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    existing = UserFactory(email="taken@example.org")

    new = [hashes_for_signup(client, f"new-{i}@example.org", 10 + i) for i in range(2)]
    old = [hashes_for_signup(client, existing.email, 20 + i) for i in range(2)]

    assert new[0] >= 1
    assert new == old == [new[0], new[0]]
    assert User.objects.filter(email__startswith="new-").count() == 2
    assert User.objects.filter(email=existing.email).count() == 1
    # The owner is told (allauth sends them at most one such email every few minutes).
    assert OutboxEmail.objects.filter(
        kind="account.account_already_exists", recipient=existing.email
    ).exists()
