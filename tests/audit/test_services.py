import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from qcommunity.audit.models import AuditEntry
from qcommunity.audit.services import audit_record, audit_record_many
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_audit_record_stores_actor_target_and_data():
    actor = UserFactory(email="chair@example.org")
    target = UserFactory()
    entry = audit_record(actor=actor, action="role.grant", target=target, data={"role": "member"})
    entry.refresh_from_db()
    assert entry.actor == actor
    assert entry.actor_label == "chair@example.org"
    assert entry.action == "role.grant"
    assert entry.target_type.model == "user"
    assert entry.target_id == str(target.pk)
    assert entry.target_label == str(target)
    assert entry.data == {"role": "member"}


def test_audit_record_many_writes_one_entry_per_target_in_one_query(django_assert_num_queries):
    actor = UserFactory(email="chair@example.org")
    targets = UserFactory.create_batch(3)
    audit_record(actor=None, action="warm.up", target=targets[0])  # the content type is cached
    with django_assert_num_queries(1):
        entries = audit_record_many(
            actor=actor,
            action="role.grant",
            entries=[(t, {"role": "member", "n": i}) for i, t in enumerate(targets)],
        )
    rows = AuditEntry.objects.filter(action="role.grant").order_by("id")
    assert [e.pk for e in entries] == [r.pk for r in rows]
    assert [(r.actor, r.actor_label, r.target_id, r.target_label, r.data) for r in rows] == [
        (actor, "chair@example.org", str(t.pk), str(t), {"role": "member", "n": i})
        for i, t in enumerate(targets)
    ]
    assert {r.target_type.model for r in rows} == {"user"}
    assert audit_record_many(actor=None, action="role.grant", entries=[]) == []


def test_audit_record_without_actor_is_the_system():
    entry = audit_record(actor=None, action="round.release")
    assert entry.actor is None
    assert entry.actor_label == "system"


def test_audit_entry_refuses_change_through_the_model():
    entry = audit_record(actor=None, action="x")
    entry.action = "y"
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(action="y")
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()


def test_audit_entry_refuses_change_in_the_database():
    entry = audit_record(actor=None, action="x")
    for sql in (
        "UPDATE audit_auditentry SET action = 'y' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "x"


def test_audit_entry_outlives_the_actor_account():
    actor = UserFactory()
    entry = audit_record(actor=actor, action="x")
    actor.delete()
    entry.refresh_from_db()
    assert entry.actor_label == actor.email
