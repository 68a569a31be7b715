"""The security record (audit log) in a person's data, and what deleting leaves in it."""

import pytest

from qcommunity.audit.models import AuditEntry
from qcommunity.audit.personal_data import actions_export
from qcommunity.audit.services import audit_record
from qcommunity.privacy.registry import all_sources
from qcommunity.privacy.services import account_delete, personal_data_export
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import ContactFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def section(data: dict, key: str) -> list[dict]:
    return next(s["records"] for s in data["sections"] if s["key"] == key)


def test_the_download_lists_their_actions_without_other_peoples_addresses(member):
    other = UserFactory(email="sam@example.org")
    audit_record(
        actor=member, action="newsletter.contact.edit", target=ContactFactory(email=other.email)
    )
    audit_record(
        actor=member, action="newsletter.contact.edit", target=ContactFactory(email=member.email)
    )
    audit_record(actor=other, action="showcase.approve", target=member)
    records = section(personal_data_export(user=member), "audit.actions")
    assert [r["about"] for r in records] == ["[an email address]", member.email]
    assert [r["action"] for r in records] == ["newsletter.contact.edit"] * 2
    assert "sam@example.org" not in str(records)


def test_the_download_takes_the_same_queries_for_one_or_many(member):
    audit_record(actor=member, action="test.one")
    assert_constant_queries(
        lambda: actions_export(member),
        lambda n: [audit_record(actor=member, action=f"test.{i}") for i in range(n)],
        many=5,
    )


def test_deleting_keeps_the_record_with_the_email_address_and_says_so(member):
    address = member.email
    audit_record(actor=member, action="showcase.submit")
    source = next(s for s in all_sources() if s.key == "audit.actions")
    assert "email address" in source.on_delete
    assert "Former member" in source.on_delete
    account_delete(user=member)
    entry = AuditEntry.objects.get(action="showcase.submit")
    assert (entry.actor_id, entry.actor_label) == (member.pk, address)


def test_the_privacy_notice_says_what_stays_and_where_to_download_and_delete(client):
    html = client.get("/privacy/").content.decode()
    assert 'href="/me/data/"' in html
    assert 'href="/me/delete/"' in html
    assert "keeps your email address with each action you took" in html
    assert "addresses we must never email" in html
