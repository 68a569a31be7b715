"""Bulk invitations: a list checked row by row and previewed before anything is sent; links that
expire, can be sent again (the old one stops working) and withdrawn; accepting with and without
an account."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User, UserRole
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from qcommunity.people.models import Invitation, InvitationStatus
from qcommunity.scoring.models import PanelMember
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.joining import make_round
from tests.factories.panels import staff_user, two_factor_user
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

SEND = reverse("people-staff:invitation-send")
LIST = reverse("people-staff:invitation-list")


@pytest.fixture
def admin():
    return staff_user()


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def check(client, rows: str, reason="Wave 3 panels"):
    return client.post(SEND, {"rows": rows, "reason": reason})


def confirm(client, rows: str, reason="Wave 3 panels"):
    return client.post(SEND, {"rows": rows, "reason": reason, "confirm": "1"})


def link_in(email: OutboxEmail) -> str:
    return re.search(r"/invitations/[^/\s]+/", email.body_text).group(0)


def test_a_list_with_problems_shows_every_row_and_sends_nothing(admin_client, admin):
    make_round(admin, regions=(Region.WESSEX,))
    rows = (
        "name,email,role,scope\n"
        "Good Person,good@example.org,member,\n"
        ",noname@example.org,member,\n"
        "Bad Address,not-an-address,member,\n"
        "Odd Role,odd@example.org,overlord,\n"
        "No Scope,noscope@example.org,joining_panel,\n"
        "Good Person,good@example.org,member,\n"
    )
    page = check(admin_client, rows).content.decode()
    assert "Nothing has been sent" in page
    for expected in (
        "Row 3: Enter the person",
        "Row 4: &#39;not-an-address&#39; is not an email address",
        "Row 5: &#39;overlord&#39; is not a role you can give",
        "Row 6: Give the panel for Panel member (joining Q)",
        "Row 7: This person is invited to this role earlier in the list",
    ):
        assert expected in page
    # Even a forced confirmation sends nothing while a row is wrong.
    confirm(admin_client, rows)
    assert not Invitation.objects.exists()
    assert not OutboxEmail.objects.filter(kind="people_invitation").exists()


def test_a_file_that_is_not_a_csv_is_refused(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "list.xlsx", b"PK\x03\x04\x00\x00binary", "application/vnd.ms-excel"
    )
    page = admin_client.post(SEND, {"csv_file": upload, "reason": "x"}).content.decode()
    assert "must be a CSV file" in page
    assert not Invitation.objects.exists()


def test_preview_then_send_then_accept_with_and_without_an_account(admin_client, admin, client):
    round_ = make_round(admin, regions=(Region.WESSEX,))
    existing = two_factor_user(email="has.account@example.org", full_name="Has Account")
    scope = f"region:{round_.pk}:{Region.WESSEX}"
    rows = (
        "name,email,role,scope\n"
        f"Has Account,Has.Account@example.org,joining_panel,{scope}\n"
        "New Person,new.person@example.org,Member,\n"
    )
    page = check(admin_client, rows).content.decode()
    assert "Check the invitations before sending" in page
    assert not Invitation.objects.exists()  # the preview writes nothing

    response = confirm(admin_client, rows)
    assert response.status_code == 302
    assert Invitation.objects.count() == 2
    assert AuditEntry.objects.filter(action="invitation.send").count() == 2
    emails = {e.recipient: e for e in OutboxEmail.objects.filter(kind="people_invitation")}
    assert set(emails) == {"has.account@example.org", "new.person@example.org"}
    assert "Wave 3 panels" in emails["new.person@example.org"].body_text
    invitation = Invitation.objects.get(email="has.account@example.org")
    assert invitation.token_hash not in emails["has.account@example.org"].body_text

    # Someone with an account signs in and accepts: they are on the panel.
    link = link_in(emails["has.account@example.org"])
    client.logout()
    client.force_login(existing)
    assert "Accept the invitation" in client.get(link).content.decode()
    client.post(link)
    assert PanelMember.objects.filter(user=existing, panel__region=Region.WESSEX).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    # The link cannot be used twice.
    assert "already been accepted" in client.get(link).content.decode()

    # Someone without an account creates one from the link (the address counts as verified,
    # since the link reached it) and accepts.
    client.logout()
    link = link_in(emails["new.person@example.org"])
    page = client.get(link).content.decode()
    assert "Create an account with new.person@example.org" in page
    response = client.post(
        f"/accounts/signup/?next={link}",
        {
            "email": "new.person@example.org",
            "password1": "a-long-new-password-9",
            "password2": "a-long-new-password-9",
            "full_name": "New Person",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer = User.objects.get(email="new.person@example.org")
    assert newcomer.emailaddress_set.get().verified
    client.force_login(newcomer)
    client.post(link)
    assert UserRole.objects.filter(user=newcomer, role=Role.MEMBER).exists()


def test_someone_else_cannot_accept_an_invitation(admin_client, client):
    confirm(admin_client, "name,email,role\nInvited One,invited@example.org,member\n")
    link = link_in(OutboxEmail.objects.get(kind="people_invitation"))
    other = UserFactory(email="someone.else@example.org")
    client.force_login(other)
    assert "sent to another email address" in client.get(link).content.decode()
    client.post(link)
    assert not UserRole.objects.filter(user=other).exists()


def test_an_expired_invitation_cannot_be_accepted_until_sent_again(admin_client):
    client = Client()
    confirm(admin_client, "name,email,role\nLate Comer,late@example.org,member\n")
    old_link = link_in(OutboxEmail.objects.get(kind="people_invitation"))
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    late = UserFactory(email="late@example.org")
    client.force_login(late)
    assert "has expired" in client.get(old_link).content.decode()
    client.post(old_link)
    assert not UserRole.objects.filter(user=late).exists()

    # Staff see it as expired and send it again: a new link; the old one no longer works.
    assert "Expired" in admin_client.get(LIST + "?status=expired").content.decode()
    admin_client.post(reverse("people-staff:invitation-resend", args=[invitation.pk]))
    new_link = link_in(OutboxEmail.objects.filter(kind="people_invitation").latest("id"))
    assert new_link != old_link
    assert client.get(old_link).status_code == 404
    client.post(new_link)
    assert UserRole.objects.filter(user=late, role=Role.MEMBER).exists()


def test_a_withdrawn_invitation_cannot_be_accepted(admin_client, client):
    confirm(admin_client, "name,email,role\nChanged Mind,changed@example.org,member\n")
    link = link_in(OutboxEmail.objects.get(kind="people_invitation"))
    invitation = Invitation.objects.get()
    admin_client.post(reverse("people-staff:invitation-revoke", args=[invitation.pk]))
    person = UserFactory(email="changed@example.org")
    client.force_login(person)
    assert "withdrawn" in client.get(link).content.decode()
    client.post(link)
    assert not UserRole.objects.filter(user=person).exists()
    assert AuditEntry.objects.filter(action="invitation.revoke").exists()


def test_sending_the_same_person_again_refreshes_their_invitation(admin_client):
    rows = "name,email,role\nTwice Asked,twice@example.org,member\n"
    confirm(admin_client, rows)
    confirm(admin_client, rows)
    invitation = Invitation.objects.get()
    assert invitation.send_count == 2
    assert OutboxEmail.objects.filter(kind="people_invitation").count() == 2


def test_staff_level_roles_are_not_offered_to_those_who_may_not_give_them(admin_client, admin):
    # An administrator may invite to staff-level roles...
    page = check(admin_client, "name,email,role\nNew Admin,new.admin@example.org,staff_admin\n")
    assert "Check the invitations before sending" in page.content.decode()


def test_only_staff_reach_invitations(client):
    editor = two_factor_user(roles=[Role.EDITOR])
    client.force_login(editor)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get(SEND).status_code == 404
    assert (
        client.post(
            SEND,
            {
                "rows": "name,email,role\nX,x@example.org,staff_admin\n",
                "reason": "x",
                "confirm": "1",
            },
        ).status_code
        == 404
    )
    assert not Invitation.objects.exists()


def test_the_list_of_invitations_runs_the_same_queries_for_one_and_many(admin_client):
    confirm(admin_client, "name,email,role\nFirst One,first@example.org,member\n")

    def more(n):
        rows = "name,email,role\n" + "".join(
            f"Person {i},p{i}@example.org,member\n" for i in range(n)
        )
        confirm(admin_client, rows)

    assert_constant_queries(lambda: admin_client.get(LIST), more)
