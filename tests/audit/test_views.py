import pytest

from qcommunity.audit.models import AuditEntry
from qcommunity.audit.services import audit_record
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_staff_see_the_audit_log_filtered_by_action(client, staff_admin):
    audit_record(actor=None, action="role.grant", data={"role": "editor"})
    audit_record(actor=None, action="round.release")
    client.force_login(staff_admin)
    body = client.get("/staff/audit/?action=role.").content.decode()
    assert "role.grant" in body
    assert "round.release" not in body
    assert "Role: Editor" in body


def test_audit_log_query_count_does_not_grow_with_rows(client, staff_admin):
    client.force_login(staff_admin)
    audit_record(actor=staff_admin, action="one", target=staff_admin)

    def add(n):
        for i in range(n):
            audit_record(actor=staff_admin, action=f"many.{i}", target=staff_admin)

    assert_constant_queries(lambda: client.get("/staff/audit/"), add)


def test_audit_log_paginates(client, staff_admin):
    for i in range(55 - AuditEntry.objects.count()):
        audit_record(actor=None, action=f"a.{i}")
    client.force_login(staff_admin)
    first = client.get("/staff/audit/").content.decode()
    assert "Showing 1 to 50 of 55 entries" in first
    assert 'href="?page=2"' in first
    second = client.get("/staff/audit/?page=2").content.decode()
    assert "Showing 51 to 55 of 55 entries" in second
