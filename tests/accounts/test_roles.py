import pytest
from allauth.mfa.totp.internal.auth import TOTP

from qcommunity.accounts import rules as account_rules
from qcommunity.accounts.enums import TWO_FACTOR_ROLES, Role
from qcommunity.accounts.services import role_grant, role_revoke
from qcommunity.audit.models import AuditEntry
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_role_grant_is_idempotent_and_audited_once():
    admin = UserFactory()
    person = UserFactory()
    role_grant(user=person, role=Role.EDITOR, actor=admin)
    role_grant(user=person, role=Role.EDITOR, actor=admin)
    assert list(person.roles.values_list("role", flat=True)) == ["editor"]
    entries = AuditEntry.objects.filter(action="role.grant", target_id=str(person.pk))
    assert entries.count() == 1
    assert entries.get().actor == admin


def test_role_revoke_removes_and_audits():
    person = UserFactory(roles=[Role.MEMBER])
    assert role_revoke(user=person, role=Role.MEMBER, actor=None) is True
    assert role_revoke(user=person, role=Role.MEMBER, actor=None) is False
    assert not person.has_role(Role.MEMBER)
    assert AuditEntry.objects.filter(action="role.revoke").count() == 1


def test_role_predicates_follow_roles():
    member = UserFactory(roles=[Role.MEMBER])
    editor = UserFactory(roles=[Role.EDITOR])
    assert account_rules.is_member.test(member)
    assert not account_rules.is_member.test(editor)
    assert account_rules.is_editor.test(editor)
    assert not account_rules.is_staff_admin.test(member)


def test_superuser_counts_as_staff_admin():
    root = UserFactory(is_superuser=True)
    assert root.has_perm("accounts.view_audit_log")


def test_inactive_user_has_no_role_permissions():
    admin = UserFactory(roles=[Role.STAFF_ADMIN], is_active=False)
    assert not account_rules.is_staff_admin.test(admin)


@pytest.mark.parametrize("role", sorted(TWO_FACTOR_ROLES))
def test_roles_that_see_personal_data_need_two_factor(role):
    assert UserFactory(roles=[role]).needs_two_factor


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LAB_FACILITATOR])
def test_other_roles_do_not_need_two_factor(role):
    assert not UserFactory(roles=[role]).needs_two_factor


def test_editor_without_two_factor_is_sent_to_set_it_up(client):
    editor = UserFactory(roles=[Role.EDITOR])
    client.force_login(editor)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/two-factor-required/"
    TOTP.activate(editor, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert client.get("/").headers["Location"] == "/accounts/2fa/reauthenticate/?next=%2F"
    client.force_login(editor)  # a full sign-in, with the code step
    assert client.get("/").status_code == 200


def test_navigation_shows_staff_link_only_to_staff(client, staff_admin, member):
    client.force_login(member)
    assert 'href="/staff/"' not in client.get("/").content.decode()
    client.force_login(staff_admin)
    assert 'href="/staff/"' in client.get("/").content.decode()
