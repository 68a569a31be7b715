"""Shared fixtures: real PostgreSQL (private cluster, one database per xdist worker), real Redis
(one database per worker), factories, signed-in clients and the query-count helper."""

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client

from qcommunity.accounts.enums import Role
from tests.factories.accounts import UserFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def record_second_factor(session, user) -> None:
    """Write into `session` the record allauth writes when the person enters a code from their
    authenticator app (allauth.mfa), so the session counts as signed in with two factors."""
    authenticator = Authenticator.objects.filter(user=user).order_by("type").first()
    request = HttpRequest()
    request.session = session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()


_force_login = Client.force_login


def force_login_with_second_factor(self, user, backend=None):
    """`client.force_login(user)` stands for a complete sign-in: for an account with two-factor
    set up, that includes the code step, so the session carries allauth's record of it."""
    _force_login(self, user, backend)
    if Authenticator.objects.filter(user=user).exists():
        record_second_factor(self.session, user)


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


def sign_in_password_only(client, user):
    """A session signed in with the password alone: no record of a second factor (as one from
    the Django admin's own sign-in form, or from before two-factor was required)."""
    _force_login(client, user)
    session = client.session
    session.pop(AUTHENTICATION_METHODS_SESSION_KEY, None)
    session.save()
    return client


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
    """Return a test client signed in as the given user (with the two-factor step when the account
    has it set up: see force_login_with_second_factor)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
