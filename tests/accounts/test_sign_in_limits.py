"""Failed sign-ins lock an account from one address, an account from everywhere only after more,
and an address for every account only after many more: one person behind a shared address (an
NHS trust's network) cannot lock everyone else out. Redis is real; the cache is cleared between
tests (tests/conftest.py)."""

import pytest

from tests.factories.accounts import PASSWORD, UserFactory
from tests.pages import error_messages

pytestmark = pytest.mark.django_db

WRONG = "The email address or password you entered is not correct"
LOCKED = "Too many attempts. Wait a few minutes and try again."
X, Y, Z = "192.0.2.10", "198.51.100.20", "203.0.113.30"


def attempt(client, user, password, address):
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": password}, REMOTE_ADDR=address
    )
    signed_in = "_auth_user_id" in client.session
    if signed_in:
        return "signed in"
    assert response.status_code == 200, response.status_code
    [message] = error_messages(response)
    return {WRONG: "wrong", LOCKED: "locked"}[message]


def test_five_failures_lock_that_account_from_that_address_only(client):
    a, b = UserFactory(), UserFactory()
    assert [attempt(client, a, "wrong-password", X) for _ in range(5)] == ["wrong"] * 5
    assert attempt(client, a, PASSWORD, X) == "locked"
    # Everyone else behind the same address still signs in.
    assert attempt(client, b, PASSWORD, X) == "signed in"
    # The account's owner, elsewhere, too.
    assert attempt(client, a, PASSWORD, Y) == "signed in"


def test_ten_failures_from_anywhere_lock_the_account_everywhere(client):
    a = UserFactory()
    for address in (X, Y):
        assert [attempt(client, a, "wrong-password", address) for _ in range(5)] == ["wrong"] * 5
    assert attempt(client, a, PASSWORD, Z) == "locked"
    assert attempt(client, UserFactory(), PASSWORD, Z) == "signed in"


def test_the_limit_per_address_is_higher_and_still_holds(client):
    """30 failures from one address (5 each on 6 accounts) stop every sign-in from it."""
    people = [UserFactory() for _ in range(7)]
    for person in people[:6]:
        assert [attempt(client, person, "wrong-password", X) for _ in range(5)] == ["wrong"] * 5
    assert attempt(client, people[6], PASSWORD, X) == "locked"
    assert attempt(client, people[6], PASSWORD, Y) == "signed in"


def test_sign_in_posts_do_not_use_up_the_write_limit_for_visitors(client, settings):
    settings.WRITE_RATE_LIMIT_ANONYMOUS = (3, 600)
    person = UserFactory()
    assert [attempt(client, person, "wrong-password", X) for _ in range(4)] == ["wrong"] * 4
    assert attempt(client, person, PASSWORD, X) == "signed in"
