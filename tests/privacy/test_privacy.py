"""Downloading one's data and deleting one's account: the registry, the services and the pages."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.test import Client

from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.outbox.models import OutboxEmail
from qcommunity.privacy.registry import PersonalData, all_sources, register, unregister
from qcommunity.privacy.services import account_delete, personal_data_export
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section(data: dict, key: str) -> list[dict]:
    return next(s["records"] for s in data["sections"] if s["key"] == key)


def test_every_source_has_a_label_and_says_what_deleting_does():
    sources = all_sources()
    assert [s.key for s in sources][:2] == ["accounts.account", "accounts.devices"]
    for source in sources:
        assert source.label
        assert source.on_delete.endswith(".")


def test_a_key_is_registered_once():
    source = all_sources()[0]
    with pytest.raises(ValueError, match="already registered"):
        register(source)


def test_the_export_holds_the_account(member):
    data = personal_data_export(user=member)
    (account,) = section(data, "accounts.account")
    assert account["email"] == member.email
    assert account["full_name"] == member.full_name
    assert [r["role"] for r in account["roles"]] == ["Member"]
    assert account["email_addresses"] == [
        {"email": member.email, "verified": True, "primary": True}
    ]


def test_the_download_is_a_json_attachment_and_is_audited(member):
    client = signed_in(member)
    response = client.post("/me/data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="q-community-data-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert section(data, "accounts.account")[0]["email"] == member.email
    assert AuditEntry.objects.filter(action="account.data_export", actor=member).count() == 1


def test_the_data_page_lists_what_the_download_holds(member):
    body = signed_in(member).get("/me/data/").content.decode()
    for source in all_sources():
        assert source.label in body


def test_visitors_are_sent_to_sign_in():
    for path in ("/me/data/", "/me/delete/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_deleting_needs_the_password_and_the_confirmation(member):
    client = signed_in(member)
    response = client.post("/me/delete/", {"password": "not the password", "confirm": "on"})
    assert response.status_code == 200
    assert "The password is not right" in response.content.decode()
    response = client.post("/me/delete/", {"password": PASSWORD})
    assert "Confirm that you understand this cannot be undone" in response.content.decode()
    member.refresh_from_db()
    assert member.deleted_at is None
    assert member.is_active


def test_deleting_the_account_leaves_a_tombstone_and_signs_out_everywhere(member):
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={})
    other_device = signed_in(member)
    client = signed_in(member)
    email = member.email
    response = client.post("/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/me/deleted/"
    assert "Your account has been deleted" in client.get("/me/deleted/").content.decode()
    tombstone = get_user_model().objects.get(pk=member.pk)
    assert tombstone.deleted_at is not None
    assert not tombstone.is_active
    assert not tombstone.has_usable_password()
    assert tombstone.display_name == "Former member"
    assert tombstone.full_name == ""
    assert email not in tombstone.email
    assert not tombstone.roles.exists()
    assert not EmailAddress.objects.filter(user=tombstone).exists()
    assert not Authenticator.objects.filter(user=tombstone).exists()
    # Both sessions are gone: the pages ask for a sign-in again.
    for device in (client, other_device):
        assert device.get("/me/data/").status_code == 302
    assert not Client().login(email=email, password=PASSWORD)
    entry = AuditEntry.objects.get(action="account.delete")
    assert entry.actor_id == member.pk
    # One last email tells the address, so an owner whose account someone else deleted knows.
    goodbye = OutboxEmail.objects.get(kind="account_deleted")
    assert goodbye.recipient == email
    assert goodbye.subject == "Your Q Community account has been deleted"
    assert "If you did not delete your account, contact us straight away" in goodbye.body_text
    # A new account may use the address again.
    assert UserFactory(email=email).pk != member.pk


def test_every_erase_step_runs_in_order_inside_one_transaction(member):
    seen = []

    def failing(user):
        seen.append(user.pk)
        raise RuntimeError("erase failed")

    register(
        PersonalData(
            key="zz.failing",
            label="Test",
            on_delete="Gone.",
            export=lambda user: [],
            erase=failing,
            order=999,
        )
    )
    try:
        with pytest.raises(RuntimeError):
            account_delete(user=member)
    finally:
        unregister("zz.failing")
    member.refresh_from_db()
    assert seen == [member.pk]
    assert member.deleted_at is None  # nothing was kept of a deletion that failed part way
    assert member.has_role(Role.MEMBER)


def test_deleting_twice_changes_nothing_more(member):
    first = account_delete(user=member)
    again = account_delete(user=member)
    assert again.deleted_at == first.deleted_at
    assert AuditEntry.objects.filter(action="account.delete").count() == 1
