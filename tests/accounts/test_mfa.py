"""Two-factor authentication: set-up, the code step at sign-in, recovery codes, and the rule that
roles seeing personal data must turn it on."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from qcommunity.accounts.enums import Role
from qcommunity.outbox.models import OutboxEmail
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import PASSWORD, UserFactory
from tests.pages import error_messages

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def wrong_code(secret: str) -> str:
    counter = int(time.time()) // 30
    valid = {format_hotp_value(hotp_value(secret, counter + i)) for i in (-1, 0, 1, 2)}
    return next(c for c in ("123456", "654321", "111111", "222222") if c not in valid)


def test_totp_activation_refuses_wrong_code_then_accepts_right_one(
    sign_in, user, django_capture_on_commit_callbacks
):
    client = sign_in(user)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]

    response = client.post("/accounts/2fa/totp/activate/", {"code": ""})
    assert error_messages(response) == ["Enter the 6-digit code from your authenticator app"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert error_messages(response) == ["The code you entered is not correct"]
    assert "<title>Error: Set up your authenticator app" in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.session["mfa.totp.secret"] == secret  # the QR code stays the same

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/recovery-codes/"
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    codes = RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert len(codes) == 10
    body = client.get("/accounts/2fa/recovery-codes/").content.decode()
    for code in codes:
        assert f"<li><code>{code}</code></li>" in body
    assert OutboxEmail.objects.filter(kind="mfa.totp_activated", recipient=user.email).count() == 1


def test_reloading_the_set_up_page_keeps_the_same_key_until_it_is_confirmed(
    sign_in, user, django_capture_on_commit_callbacks
):
    """Someone scans the QR code, then reloads the page: the key in their app must still work."""
    client = sign_in(user)
    first = client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = client.session["mfa.totp.secret"]
    second = client.get("/accounts/2fa/totp/activate/").content.decode()
    assert f'<code id="totp-secret">{secret}</code>' in first
    assert f'<code id="totp-secret">{secret}</code>' in second
    qr = re.search(r'src="(data:image/svg\+xml;base64,[^"]+)"', first).group(1)
    assert qr in second  # the same QR code too
    assert client.session["mfa.totp.secret"] == secret

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert "mfa.totp.secret" not in client.session


def start_sign_in(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    return response


def test_sign_in_with_totp_asks_for_code_and_refuses_wrong_one(client, user):
    TOTP.activate(user, TOTP_SECRET)
    start_sign_in(client, user)
    response = client.get("/accounts/2fa/authenticate/")
    assert "<h1>Enter your security code</h1>" in response.content.decode()

    response = client.post("/accounts/2fa/authenticate/", {"code": ""})
    assert error_messages(response) == ["Enter the 6-digit code from your authenticator app"]
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong_code(TOTP_SECRET)})
    assert error_messages(response) == ["The code you entered is not correct"]
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_with_recovery_code_works_once(client, user):
    TOTP.activate(user, TOTP_SECRET)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    start_sign_in(client, user)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    rc = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert RecoveryCodes(rc).get_unused_codes() == codes[1:]

    client.post("/accounts/logout/")
    start_sign_in(client, user)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert error_messages(response) == ["The code you entered is not correct"]
    assert "_auth_user_id" not in client.session


def test_too_many_wrong_codes_are_rate_limited(client, user):
    TOTP.activate(user, TOTP_SECRET)
    start_sign_in(client, user)
    bad = wrong_code(TOTP_SECRET)
    for _ in range(5):
        response = client.post("/accounts/2fa/authenticate/", {"code": bad})
        assert error_messages(response) == ["The code you entered is not correct"]
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    assert error_messages(response) == ["Too many attempts. Wait a few minutes and try again."]
    assert "_auth_user_id" not in client.session


def test_turning_off_totp(sign_in, user, django_capture_on_commit_callbacks):
    TOTP.activate(user, TOTP_SECRET)
    client = sign_in(user, reauthenticate=False)
    client.post("/accounts/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    response = client.get("/accounts/2fa/totp/deactivate/")
    assert response.url.startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert OutboxEmail.objects.filter(kind="mfa.totp_deactivated").count() == 1


def test_two_factor_role_without_totp_is_sent_to_set_it_up(client_for):
    editor = UserFactory(roles=[Role.EDITOR])
    client = client_for(editor)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/two-factor-required/"
    assert client.get("/accounts/two-factor-required/").status_code == 200

    # Set up outside this session: the session is then asked for a code, not sent to set-up.
    TOTP.activate(editor, TOTP_SECRET)
    assert client.get("/").url == "/accounts/2fa/reauthenticate/?next=%2F"


def test_member_without_two_factor_role_is_not_redirected(client_for, member):
    assert client_for(member).get("/").status_code == 200
