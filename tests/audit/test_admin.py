import pytest

from qcommunity.accounts.enums import Role
from qcommunity.accounts.services import role_grant
from qcommunity.audit.models import AuditEntry
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/audit/auditentry/"


def test_admin_lists_and_searches_audit_entries(client_for, superuser):
    # Distinct names: a random one could appear elsewhere on the page ("Dr" in the header).
    user = UserFactory(full_name="Zephyrine Lovelace")
    member = UserFactory(full_name="Quillon Hopper", roles=[Role.MEMBER])
    role_grant(user=user, role=Role.EDITOR, actor=superuser)
    client = client_for(superuser)

    listed = client.get(CHANGELIST).content.decode()
    searched = client.get(CHANGELIST, {"q": superuser.email}).content.decode()
    filtered = client.get(CHANGELIST, {"action__exact": "role.revoke"})

    assert "role.grant" in listed
    assert str(user) in listed
    assert str(member) in listed
    assert str(user) in searched
    assert str(member) not in searched
    assert filtered.status_code == 200
    assert str(user) not in filtered.content.decode()
    assert "0 audit entries" in filtered.content.decode()


def test_admin_cannot_add_change_or_delete_audit_entries(client_for, superuser, user):
    role_grant(user=user, role=Role.EDITOR, actor=superuser)
    entry = AuditEntry.objects.get(action="role.grant", target_id=str(user.pk))
    client = client_for(superuser)

    detail = client.get(f"{CHANGELIST}{entry.pk}/change/")

    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.post(f"{CHANGELIST}{entry.pk}/change/", {"action": "x"}).status_code == 403
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}{entry.pk}/delete/").status_code == 403
    assert "delete_selected" not in client.get(CHANGELIST).content.decode()
