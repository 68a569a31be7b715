"""A password alone never reaches a staff page: the Django admin's own sign-in form is replaced by
allauth's (two-factor step and lockout), and roles that see personal data need a session that
passed the second factor, not only an account that has one set up."""

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from qcommunity.accounts.enums import Role
from tests.conftest import TOTP_SECRET, sign_in_password_only
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/admin/", "/staff/directory/", "/staff/directory/export.csv", "/staff/audit/"]


def current_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


@pytest.fixture
def admin_with_totp():
    admin = UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True, is_superuser=True)
    TOTP.activate(admin, TOTP_SECRET)
    return admin


def assert_asked_for_code(response, path):
    assert response.status_code == 302, (path, response.status_code)
    assert response.url.startswith("/accounts/2fa/reauthenticate/?next="), (path, response.url)


def test_a_password_only_session_reaches_no_staff_page(client, admin_with_totp):
    sign_in_password_only(client, admin_with_totp)
    for path in STAFF_PAGES:
        assert_asked_for_code(client.get(path), path)


def test_the_admin_sign_in_form_signs_nobody_in(client, admin_with_totp):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin_with_totp.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302
        assert not response.url.startswith("/admin/") or response.url.startswith("/admin/login/")
        assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_page_sends_people_to_the_sites_sign_in(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.url == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response.url == "/accounts/login/?next=%2Fadmin%2F"
    # The admin index sends a visitor there too, through its own sign-in address.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"


def test_a_signed_in_person_who_is_not_staff_gets_not_found_from_the_admin_sign_in(client, member):
    client.force_login(member)
    assert client.get("/admin/login/").status_code == 404


def test_the_full_sign_in_with_a_code_reaches_the_admin_and_staff_pages(client, admin_with_totp):
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": admin_with_totp.email, "password": PASSWORD}
    )
    assert response.url.startswith("/accounts/2fa/authenticate/")
    # The password step alone has signed nobody in.
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert response.status_code == 302
    assert response.url == "/admin/"
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 200, path


def test_an_older_session_is_asked_for_a_code_then_carries_on(client, admin_with_totp):
    """A session signed in before a second factor was checked: asked for a code, not locked out,
    and sent on to the page it asked for."""
    codes = RecoveryCodes.activate(admin_with_totp).get_unused_codes()
    sign_in_password_only(client, admin_with_totp)
    response = client.get("/staff/directory/export.csv")
    assert response.url == "/accounts/2fa/reauthenticate/?next=%2Fstaff%2Fdirectory%2Fexport.csv"
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Enter your security code" in page.content.decode()

    response = client.post(response.url, {"code": "not-a-code"})
    assert response.status_code == 200
    assert_asked_for_code(client.get("/staff/directory/"), "/staff/directory/")

    response = client.post(
        "/accounts/2fa/reauthenticate/?next=%2Fstaff%2Fdirectory%2Fexport.csv", {"code": codes[0]}
    )
    assert response.status_code == 302
    assert response.url == "/staff/directory/export.csv"
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 200, path


def test_a_django_staff_account_without_site_roles_also_needs_the_second_factor(client):
    staff = UserFactory(is_staff=True)
    sign_in_password_only(client, staff)
    response = client.get("/admin/")
    assert response.url == "/accounts/two-factor-required/"
    TOTP.activate(staff, TOTP_SECRET)
    assert_asked_for_code(client.get("/admin/"), "/admin/")


@pytest.mark.django_db(transaction=True)
def test_setting_up_the_app_counts_as_the_second_factor_for_this_session(client):
    """Real commits: the record is written when allauth's set-up commits, inside the request."""
    editor = UserFactory(roles=[Role.EDITOR])
    client.post("/accounts/login/", {"login": editor.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get("/staff/newsletters/").url == "/accounts/two-factor-required/"
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/staff/newsletters/").status_code == 200
