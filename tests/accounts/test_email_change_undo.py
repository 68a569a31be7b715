"""Undoing an email change from the old address (issue 13, point 10): the notice to the old
address carries a signed link, valid for 7 days, that puts the old address back, removes the
new one and signs out every device; expired or tampered links get a page saying so."""

import datetime as dt
import re
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.test import Client

from qcommunity.accounts.email_change import UNDO_DAYS
from qcommunity.audit.models import AuditEntry
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "hijacker@example.net"


def link_in(text: str, path: str) -> str:
    url = re.search(rf"https?://[^\s]+{re.escape(path)}[^\s]*", text).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _sign_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def change_email(user, capture) -> str:
    """Change `user`'s address to NEW through the pages, and return the undo link's path from
    the notice the old address got."""
    client = _sign_in(user)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    with capture(execute=True):
        client.post("/accounts/email/", {"email": NEW, "action_add": ""})
    confirmation = OutboxEmail.objects.get(kind="account.email_confirmation", recipient=NEW)
    with capture(execute=True):
        client.post(link_in(confirmation.body_text, "/accounts/confirm-email/"))
    user.refresh_from_db()
    assert user.email == NEW
    notice = OutboxEmail.objects.get(kind="account.email_changed")
    assert "reset your password straight away" not in notice.body_text
    assert f"The link works for {UNDO_DAYS} days" in notice.body_text
    return link_in(notice.body_text, "/accounts/email/undo/")


def test_the_old_address_undoes_the_change_and_every_device_is_signed_out(
    user, django_capture_on_commit_callbacks
):
    old = user.email
    path = change_email(user, django_capture_on_commit_callbacks)
    other_device = _sign_in_as_new(user)
    assert UserSession.objects.filter(user=user).count() >= 2

    visitor = Client()  # whoever holds the old address; they need not be signed in
    page = visitor.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{old} becomes the account's email address again" in html
    assert f"{NEW} is removed from the account" in html
    user.refresh_from_db()
    assert user.email == NEW  # GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = visitor.post(path)
    assert done.status_code == 200
    assert "Your email address has been put back" in done.content.decode()
    user.refresh_from_db()
    assert user.email == old
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")
    ) == [(old, True, True)]
    assert not UserSession.objects.filter(user=user).exists()
    assert "_auth_user_id" not in other_device.session
    assert other_device.get("/accounts/email/").status_code == 302  # signed out
    entry = AuditEntry.objects.get(action="account.email_change_undo")
    assert entry.data == {"restored": old, "removed": NEW, "signed_out": 2}
    told = OutboxEmail.objects.get(kind="account_email_change_undone")
    assert told.recipient == old
    assert "/accounts/password/reset/" in told.body_text

    # Once used, the link does nothing and says why.
    again = visitor.post(path)
    assert again.status_code == 400
    assert "already been undone or replaced" in again.content.decode()
    # A password reset now goes to the old address.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password/reset/", {"email": old})
    assert OutboxEmail.objects.filter(kind="account.password_reset_key", recipient=old).exists()


def _sign_in_as_new(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": NEW, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_an_expired_link_gets_a_page_saying_so(user, django_capture_on_commit_callbacks):
    path = change_email(user, django_capture_on_commit_callbacks)
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=UNDO_DAYS, minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        get = Client().get(path)
        post = Client().post(path)
    for response in (get, post):
        assert response.status_code == 400
        assert "This link has expired" in response.content.decode()
    user.refresh_from_db()
    assert user.email == NEW
    # Just inside the 7 days it still works.
    inside = later - dt.timedelta(minutes=2)
    with mock.patch("django.core.signing.time.time", return_value=inside.timestamp()):
        assert Client().get(path).status_code == 200


def test_a_tampered_link_gets_a_page_saying_so(user, django_capture_on_commit_callbacks):
    path = change_email(user, django_capture_on_commit_callbacks)
    token = path.rstrip("/").rsplit("/", 1)[1]
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "not-a-token"):
        response = Client().post(f"/accounts/email/undo/{bad}/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    user.refresh_from_db()
    assert user.email == NEW
    assert not AuditEntry.objects.filter(action="account.email_change_undo").exists()
