"""An email when someone signs in from a new place (issue 13, point 10): /me/notifications/
promises it; a sign-in from a browser or network the account has not used before sends "A new
sign-in to your Q account", not the very first sign-in, not a repeat, whatever the person's
notification choices."""

import pytest
from django.test import Client

from qcommunity.accounts.models import KnownSignIn
from qcommunity.accounts.notifications import ACCOUNT_SECURITY
from qcommunity.notifications.enums import Delivery
from qcommunity.notifications.models import NotificationPreference
from qcommunity.outbox.models import OutboxEmail
from qcommunity.privacy.services import account_delete, personal_data_export
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
FIREFOX_NEWER = "Mozilla/5.0 (X11; Linux x86_64; rv:134.0) Gecko/20100101 Firefox/134.0"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SUBJECT = "A new sign-in to your Q account"


def sign_in(user, agent: str, ip: str = "203.0.113.10", capture=None) -> None:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    with capture(execute=True):
        response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def new_sign_in_emails(user) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(recipient=user.email, subject=SUBJECT).order_by("id"))


def test_first_sign_in_and_the_same_browser_again_send_nothing(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    sign_in(user, FIREFOX, capture=django_capture_on_commit_callbacks)
    assert new_sign_in_emails(user) == []
    sign_in(user, FIREFOX, capture=django_capture_on_commit_callbacks)
    # A browser update is the same browser; another address in the same /24 the same network.
    sign_in(user, FIREFOX_NEWER, ip="203.0.113.99", capture=django_capture_on_commit_callbacks)
    assert new_sign_in_emails(user) == []
    (known,) = KnownSignIn.objects.filter(user=user)
    assert (known.browser, known.network) == ("Firefox on Linux", "203.0.113.0/24")
    assert known.last_seen_at > known.first_seen_at


def test_a_new_browser_sends_the_email_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    sign_in(user, FIREFOX, capture=django_capture_on_commit_callbacks)
    sign_in(user, CHROME, capture=django_capture_on_commit_callbacks)
    (email,) = new_sign_in_emails(user)
    assert email.kind == "account_new_sign_in"
    assert "Browser: Chrome on Windows" in email.body_text
    assert "Network: 203.0.113.0/24" in email.body_text
    assert "When: " in email.body_text
    assert "If it was not you, someone else knows your password" in email.body_text
    assert "/accounts/password/change/" in email.body_text
    assert "/accounts/sessions/" in email.body_text
    assert "203.0.113.10" not in email.body_text  # the network, not the exact address
    sign_in(user, CHROME, capture=django_capture_on_commit_callbacks)
    assert len(new_sign_in_emails(user)) == 1


def test_a_new_network_sends_the_email_even_with_every_notification_turned_off(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, kind=ACCOUNT_SECURITY, delivery=Delivery.OFF)
    sign_in(user, FIREFOX, capture=django_capture_on_commit_callbacks)
    sign_in(user, FIREFOX, ip="2001:db8:1:2::5", capture=django_capture_on_commit_callbacks)
    (email,) = new_sign_in_emails(user)
    assert "Network: 2001:db8:1:2::/64" in email.body_text


def test_a_wrong_password_records_nothing(client):
    user = UserFactory()
    client.post("/accounts/login/", {"login": user.email, "password": "not the password"})
    assert not KnownSignIn.objects.filter(user=user).exists()


def test_the_notifications_page_promise_is_the_one_kept(client_for):
    user = UserFactory()
    html = client_for(user).get("/me/notifications/").content.decode()
    assert "or someone signs in from a new place." in html


def test_known_sign_ins_are_in_the_download_and_go_with_the_account(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    sign_in(user, FIREFOX, capture=django_capture_on_commit_callbacks)
    section = next(
        s for s in personal_data_export(user=user)["sections"] if s["key"] == "accounts.sign_ins"
    )
    assert [(r["browser"], r["network"]) for r in section["records"]] == [
        ("Firefox on Linux", "203.0.113.0/24")
    ]
    account_delete(user=user)
    assert not KnownSignIn.objects.filter(user=user).exists()


def test_the_privacy_notice_says_so(client):
    html = client.get("/privacy/").content.decode()
    assert "networks (the block of internet addresses, not your exact address)" in html


def test_with_two_factor_the_sign_in_counts_only_after_the_code(
    django_capture_on_commit_callbacks,
):
    from tests.accounts.test_mfa import current_code
    from tests.conftest import TOTP_SECRET
    from tests.factories.panels import two_factor_user

    user = two_factor_user()
    KnownSignIn.objects.create(user=user, browser="Firefox on Linux", network="203.0.113.0/24")
    client = Client(HTTP_USER_AGENT=CHROME, REMOTE_ADDR="203.0.113.10")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.url == "/accounts/2fa/authenticate/"
    assert new_sign_in_emails(user) == []  # a password alone is not a sign-in
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert len(new_sign_in_emails(user)) == 1
