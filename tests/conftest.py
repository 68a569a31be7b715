"""Shared fixtures: real PostgreSQL (private cluster, one database per xdist worker), real Redis
(one database per worker), factories, signed-in clients and the query-count helper."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache

from qcommunity.accounts.enums import Role
from tests.factories.accounts import UserFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def member(db):
    return UserFactory(roles=[Role.MEMBER])


@pytest.fixture
def staff_admin(db):
    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    TOTP.activate(admin, TOTP_SECRET)
    return admin


@pytest.fixture
def superuser(db):
    """A Django superuser with two-factor set up, so the admin is not held behind set-up."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, TOTP_SECRET)
    return admin


@pytest.fixture
def client_for(client):
    """Return a test client signed in as the given user (session only; no two-factor step)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
