"""Deleting an account takes the person's name out of the audit log (issue 13, point 10): the
entries stay, with the account's id and the address it acted with, and every label or detail
that named the person reads "Former member"."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from members.directory.services import contact_message_send, profile_create, profile_set_visibility
from qcommunity.accounts.enums import Role
from qcommunity.accounts.services import role_grant
from qcommunity.audit.models import AuditEntry
from qcommunity.audit.services import audit_names_scrub, audit_record
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.panels import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def aileen():
    return UserFactory(
        full_name="Aileen Quarrington",
        preferred_name="Aileen",
        email="a.member@example.org",
        roles=[Role.MEMBER],
    )


def _named_everywhere(staff, aileen):
    """Audit rows that name Aileen in labels and details, written by her, by staff and by
    another member."""
    # (Roles that need two-factor would send her to set it up instead of deleting.)
    role_grant(user=aileen, role=Role.MEMBER, actor=staff)
    profile = profile_create(user=aileen, actor=staff, organisation="Northshire Trust")
    profile_set_visibility(profile=profile, visibility="members", actor=aileen)
    sender = UserFactory(full_name="Bartholomew Sender", roles=[Role.MEMBER])
    contact_message_send(
        sender=sender, profile=profile, subject="Hello", body="Hi", allow_reply=False
    )
    audit_record(actor=staff, action="note.add", data={"about": "Aileen Quarrington"})


def test_after_deleting_the_staff_audit_log_shows_former_member_not_the_name(aileen):
    staff = staff_user()
    _named_everywhere(staff, aileen)
    staff_client = Client()
    staff_client.force_login(staff)
    before = staff_client.get("/staff/audit/").content.decode()
    assert "Directory entry of Aileen" in before  # the test sees the name while there is one
    recorded = set(AuditEntry.objects.values_list("pk", flat=True))

    own = Client()
    own.force_login(aileen)
    response = own.post("/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    html = staff_client.get("/staff/audit/").content.decode()
    assert "Aileen" not in html
    assert "Quarrington" not in html
    assert "Directory entry of Former member" in html
    assert "account.delete" in html
    assert "Bartholomew" in html  # other people keep their names...
    # ...and nothing was deleted.
    assert recorded < set(AuditEntry.objects.values_list("pk", flat=True))
    deletion = AuditEntry.objects.get(action="account.delete")
    assert (deletion.actor_id, deletion.target_id) == (aileen.pk, str(aileen.pk))
    assert deletion.actor_label == "a.member@example.org"
    assert deletion.target_label == "Former member"


def test_a_short_name_stays_in_text_about_someone_else(aileen):
    staff = staff_user()
    audit_record(actor=staff, action="note.add", data={"title": "Visit to Aileen Lane Surgery"})
    audit_record(actor=staff, action="note.add", target=aileen)
    with transaction.atomic():
        audit_names_scrub(user=aileen, full_names=["Aileen Quarrington"], short_names=["Aileen"])
    notes = AuditEntry.objects.filter(action="note.add")
    assert notes.get(target_id="").data == {"title": "Visit to Aileen Lane Surgery"}
    assert notes.get(target_id=str(aileen.pk)).target_label == "Former member"


def test_an_email_address_is_not_taken_apart(aileen):
    staff = staff_user()
    audit_record(actor=staff, action="note.add", target=aileen, data={"to": "aileen@example.org"})
    with transaction.atomic():
        audit_names_scrub(user=aileen, full_names=[], short_names=["aileen", "Aileen"])
    entry = AuditEntry.objects.get(action="note.add")
    assert entry.data == {"to": "aileen@example.org"}


def _refused(*statements: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


def test_outside_the_scrub_the_log_still_refuses_changes(aileen):
    audit_record(actor=aileen, action="note.add", target=aileen)
    scrub_on = "SELECT set_config('qcommunity.audit_scrub', 'on', true)"
    assert _refused("UPDATE audit_auditentry SET target_label = 'x'")
    # Even while the scrub is on, who acted and what stay as recorded, and nothing is deleted.
    assert _refused(scrub_on, "UPDATE audit_auditentry SET action = 'other'")
    assert _refused(scrub_on, "UPDATE audit_auditentry SET actor_label = 'other'")
    assert _refused(scrub_on, "DELETE FROM audit_auditentry")
    # The setting lasts only for its own transaction.
    assert _refused("UPDATE audit_auditentry SET target_label = 'x'")
    assert AuditEntry.objects.filter(action="note.add").count() == 1
    assert not AuditEntry.objects.filter(action="other").exists()
