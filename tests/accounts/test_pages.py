"""Every allauth page our settings reach renders in the site layout with its own heading."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.template.loader import render_to_string
from django.test import RequestFactory

from qcommunity.accounts.forms import AddEmailForm
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def h1(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "page has no h1"
    return " ".join(match.group(1).split())


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return " ".join(match.group(1).split())


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Create an account"),
        ("/accounts/confirm-email/", "Check your email"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/done/", "Check your email"),
        ("/accounts/password/reset/key/done/", "Your password has been changed"),
        ("/accounts/inactive/", "This account has been closed"),
        ("/accounts/confirm-email/not-a-real-key/", "This link has expired or is not valid"),
        (
            "/accounts/password/reset/key/1-not-a-real-key/",
            "This password reset link has expired or is not valid",
        ),
    ],
)
def test_anonymous_page_renders(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert h1(response) == heading
    assert title(response) == f"{heading} \u2013 Q Community"
    assert "nhsuk-header" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/logout/", "Sign out"),
        ("/accounts/email/", "Email address"),
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/reauthenticate/", "Enter your password"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/sessions/", "Signed-in devices"),
    ],
)
def test_signed_in_page_renders(client_for, user, url, heading):
    response = client_for(user).get(url)
    assert response.status_code == 200
    assert h1(response) == heading


def test_password_set_page_renders_for_user_without_password(client_for):
    person = UserFactory()
    person.set_unusable_password()
    person.save(update_fields=["password"])
    response = client_for(person).get("/accounts/password/set/")
    assert response.status_code == 200
    assert h1(response) == "Create a password"


def test_activate_totp_page_shows_qr_code_and_secret(sign_in, user):
    client = sign_in(user)
    response = client.get("/accounts/2fa/totp/activate/")
    body = response.content.decode()
    assert response.status_code == 200
    assert h1(response) == "Set up your authenticator app"
    secret = client.session["mfa.totp.secret"]
    assert f'<code id="totp-secret">{secret}</code>' in body
    assert '<img src="data:image/svg+xml;base64,' in body
    assert 'alt="QR code to add Q Community to your authenticator app.' in body


def test_mfa_pages_render_for_user_with_totp(sign_in, user):
    client = sign_in(user)
    TOTP.activate(user, TOTP_SECRET)
    RecoveryCodes.activate(user)
    for url, heading in [
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/2fa/totp/deactivate/", "Turn off two-factor authentication"),
        ("/accounts/2fa/recovery-codes/", "Recovery codes"),
        ("/accounts/2fa/recovery-codes/generate/", "Create new recovery codes"),
        ("/accounts/2fa/reauthenticate/", "Enter your security code"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert h1(response) == heading


def test_email_confirm_page_renders_for_valid_key(client):
    person = UserFactory(verified=False)
    address = EmailAddress.objects.get(user=person)
    key = EmailConfirmationHMAC(address).key
    response = client.get(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 200
    assert h1(response) == "Confirm your email address"
    assert f"<strong>{person.email}</strong>" in response.content.decode()


def test_password_reset_from_key_page_renders_for_valid_key(client, user):
    key = default_token_generator.make_token(user)
    url = f"/accounts/password/reset/key/{user_pk_to_url_str(user)}-{key}/"
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert h1(response) == "Choose a new password"


def test_unreachable_templates_still_render(user):
    """email.jinja (used when ACCOUNT_CHANGE_EMAIL is off), signup_closed.jinja and
    verified_email_required.jinja (for views that use allauth's decorator; none do yet)."""
    request = RequestFactory().get("/accounts/email/")
    request.user = user
    address = EmailAddress.objects.get(user=user)
    body = render_to_string(
        "account/email.jinja",
        {
            "emailaddresses": [address],
            "emailaddress_radios": [{"id": "r0", "checked": True, "emailaddress": address}],
            "can_add_email": True,
            "form": AddEmailForm(user=user),
        },
        request,
    )
    assert "<h1>Email addresses</h1>" in body
    assert f'value="{user.email}"' in body
    request = RequestFactory().get("/accounts/signup/")
    request.user = user
    body = render_to_string("account/signup_closed.jinja", {}, request)
    assert "<h1>You cannot create an account at the moment</h1>" in body
    body = render_to_string("account/verified_email_required.jinja", {}, request)
    assert "<h1>Confirm your email address</h1>" in body
