"""Sign-up, sign-in, email and password flows through allauth with our forms and words."""

import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail

from qcommunity.accounts.models import User
from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import PASSWORD, UserFactory
from tests.pages import error_messages

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-new-passphrase"
SIGNUP = {
    "full_name": "Samira Okafor",
    "preferred_name": "Sam",
    "email": "samira@example.org",
    "password1": "blue-kettle-mountain-47",
    "password2": "blue-kettle-mountain-47",
}


def link_in(body: str) -> str:
    """The path of the account link in an email, which is at SITE_URL like every email link."""
    return re.search(rf"{re.escape(settings.SITE_URL)}(/accounts/\S+/)", body).group(1)


def sign_in_post(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_signup_creates_user_and_queues_one_verification_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    user = User.objects.get(email="samira@example.org")
    assert user.full_name == "Samira Okafor"
    assert user.preferred_name == "Sam"
    assert user.check_password("blue-kettle-mountain-47")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == (user.email, True, False)
    row = OutboxEmail.objects.get()
    assert row.recipient == "samira@example.org"
    assert row.kind == "account.email_confirmation_signup"
    assert row.subject == "Q Community: Confirm your email address"
    assert row.body_text.startswith("Hello Sam,\n\nThank you for creating a Q Community account.")
    assert row.status == EmailStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["samira@example.org"]
    assert mail.outbox[0].subject == "Q Community: Confirm your email address"


def test_signup_verify_then_sign_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", SIGNUP)
    confirm_url = link_in(OutboxEmail.objects.get().body_text)
    assert "_auth_user_id" not in client.session

    # Before confirming: the password is right but sign-in stops at "check your email".
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in_post(client, SIGNUP["email"], SIGNUP["password1"])
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/email/").status_code == 302

    response = client.get(confirm_url)
    assert response.status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified is True

    response = sign_in_post(client, SIGNUP["email"], SIGNUP["password1"])
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(User.objects.get(email=SIGNUP["email"]).pk)


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"email": "samira-at-example.org"},
            ["Enter an email address in the correct format, like name@example.com"],
        ),
        ({"email": ""}, ["Enter your email address"]),
        (
            {"password1": "Xq7#tzPw", "password2": "Xq7#tzPw"},
            ["Your password must be at least 10 characters long"],
        ),
        (
            {"password1": "password123", "password2": "password123"},
            ["Your password is too easy to guess. Choose a less common password"],
        ),
        (
            {"password1": "83920174659", "password2": "83920174659"},
            ["Your password must include letters, not only numbers"],
        ),
        ({"password2": "blue-kettle-mountain-48"}, ["The passwords do not match"]),
        (
            {"full_name": "", "password1": ""},
            ["Enter your full name", "Enter a password"],
        ),
    ],
)
def test_signup_with_bad_details_shows_nhs_message_and_creates_nothing(
    client, django_capture_on_commit_callbacks, changes, messages
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {**SIGNUP, **changes})
    assert response.status_code == 200
    assert error_messages(response) == messages
    body = " ".join(response.content.decode().split())
    assert "<title>Error: Create an account" in body
    for message in messages:
        assert f'<span class="nhsuk-u-visually-hidden">Error: </span>{message}' in body
    assert not User.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_signup_with_existing_email_sends_account_exists_email_and_creates_nothing(
    client, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="samira@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert list(User.objects.all()) == [existing]
    row = OutboxEmail.objects.get()
    assert row.kind == "account.account_already_exists"
    assert row.subject == "Q Community: You already have an account"
    assert f"{settings.SITE_URL}/accounts/password/reset/" in row.body_text


def test_sign_in_with_wrong_password_is_refused(client, user):
    response = sign_in_post(client, user.email, "not-the-password")
    assert response.status_code == 200
    assert error_messages(response) == ["The email address or password you entered is not correct"]
    assert "_auth_user_id" not in client.session


def test_sign_in_with_empty_fields_says_what_to_enter(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    assert error_messages(response) == ["Enter your email address", "Enter your password"]


def test_sign_in_with_malformed_email(client):
    response = sign_in_post(client, "not-an-email", PASSWORD)
    assert error_messages(response) == [
        "Enter an email address in the correct format, like name@example.com"
    ]


def test_sixth_failed_sign_in_is_rate_limited_even_with_right_password(client, user):
    for _ in range(5):
        response = sign_in_post(client, user.email, "not-the-password")
        assert error_messages(response) == [
            "The email address or password you entered is not correct"
        ]
    response = sign_in_post(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert error_messages(response) == ["Too many attempts. Wait a few minutes and try again."]
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_link_and_key_page_sets_new_password(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/done/"
    row = OutboxEmail.objects.get()
    assert (row.recipient, row.kind) == (user.email, "account.password_reset_key")
    assert row.subject == "Q Community: Reset your password"
    reset_url = link_in(row.body_text)

    response = client.get(reset_url)
    assert response.status_code == 302  # allauth moves the key out of the address
    form_url = response.url
    response = client.get(form_url)
    assert "<h1>Choose a new password</h1>" in response.content.decode()

    response = client.post(form_url, {"password1": "short", "password2": "short"})
    assert error_messages(response) == ["Your password must be at least 10 characters long"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert OutboxEmail.objects.filter(kind="account.password_reset").count() == 1


def test_password_reset_for_unknown_address_sends_unknown_account_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    row = OutboxEmail.objects.get()
    assert (row.recipient, row.kind) == ("nobody@example.org", "account.unknown_account")
    assert f"{settings.SITE_URL}/accounts/signup/" in row.body_text


def test_password_change_with_wrong_current_password_changes_nothing(sign_in, user):
    client = sign_in(user, reauthenticate=False)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert error_messages(response) == ["The password you entered is not correct"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_sends_notification(sign_in, user, django_capture_on_commit_callbacks):
    client = sign_in(user, reauthenticate=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    row = OutboxEmail.objects.get()
    assert (row.kind, row.subject) == (
        "account.password_changed",
        "Q Community: Your password has been changed",
    )


def test_change_of_email_needs_new_address_confirmed_before_it_is_used(
    sign_in, user, django_capture_on_commit_callbacks
):
    old = user.email
    client = sign_in(user)
    response = client.post("/accounts/email/", {"email": "bad-address", "action_add": ""})
    assert error_messages(response) == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert EmailAddress.objects.filter(user=user).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/email/", {"email": "new@example.org", "action_add": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == old
    new = EmailAddress.objects.get(user=user, email="new@example.org")
    assert (new.verified, new.primary) == (False, False)
    assert EmailAddress.objects.get(user=user, email=old).primary is True
    row = OutboxEmail.objects.get()
    assert (row.recipient, row.kind) == ("new@example.org", "account.email_confirmation")

    body = client.get("/accounts/email/").content.decode()
    assert "new@example.org" in body
    assert "Not confirmed yet" in body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_in(row.body_text))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "primary")) == [
        ("new@example.org", True)
    ]
    changed = OutboxEmail.objects.get(kind="account.email_changed")
    assert changed.recipient == old
    assert f"from {old} to new@example.org" in changed.body_text


def test_pending_email_change_can_be_cancelled(sign_in, user, django_capture_on_commit_callbacks):
    client = sign_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"email": "new@example.org", "action_add": ""})
    response = client.post("/accounts/email/", {"email": "new@example.org", "action_remove": ""})
    assert response.status_code == 302
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        user.email
    ]


def test_sign_out_page_asks_then_signs_out_on_post(client_for, user):
    client = client_for(user)
    body = client.get("/accounts/logout/").content.decode()
    assert '<form method="post" action="/accounts/logout/"' in body
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_emails_are_plain_text_without_html_escaping(client, django_capture_on_commit_callbacks):
    person = UserFactory(preferred_name="Siobhán O'Brien")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": person.email})
    row = OutboxEmail.objects.get()
    assert row.body_text.startswith("Hello Siobhán O'Brien,\n\n")
    assert row.body_text.endswith("\n\nThank you,\nQ Community")
    assert row.body_html == ""


def test_notification_email_says_when_and_from_where(
    sign_in, user, django_capture_on_commit_callbacks
):
    client = sign_in(user, reauthenticate=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    body = OutboxEmail.objects.get(kind="account.password_changed").body_text
    reset = f"{settings.SITE_URL}/accounts/password/reset/"
    assert f"reset your password straight away:\n{reset}\n" in body
    assert re.search(
        r"The change was made on \d{1,2} [A-Z][a-z]+ \d{4}, .+ from IP address 127\.0\.0\.1", body
    )
    assert body.endswith(".\n\nThank you,\nQ Community")


def test_messages_use_our_words(sign_in, user):
    client = sign_in(user, reauthenticate=False)
    body = " ".join(client.get("/").content.decode().split())
    assert f"You are signed in as {html.escape(user.preferred_name)}." in body
    client.post("/accounts/logout/")
    body = " ".join(client.get("/").content.decode().split())
    assert "You have signed out." in body
