"""Sent reminders in a person's data, and after deleting."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from qcommunity.privacy.services import account_delete, personal_data_export
from qcommunity.reminders.models import SentReminder
from qcommunity.reminders.personal_data import reminders_export
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import IssueFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

KIND = "newsletters.issue_not_approved"


def sent_reminder(recipient, n=0):
    issue = IssueFactory()
    return SentReminder.objects.create(
        kind=KIND,
        content_type=ContentType.objects.get_for_model(issue),
        object_id=str(issue.pk),
        recipient=recipient,
        due_date=timezone.now() + dt.timedelta(days=1, minutes=n),
    )


def section(data: dict, key: str) -> list[dict]:
    return next(s["records"] for s in data["sections"] if s["key"] == key)


def test_the_download_lists_which_reminders_were_sent_and_when(member):
    row = sent_reminder(member)
    sent_reminder(UserFactory())
    (record,) = section(personal_data_export(user=member), "reminders.sent")
    assert record == {
        "reminder": "Scheduled newsletter issue not approved yet",
        "about": "issue",
        "due": row.due_date,
        "sent_at": row.created_at,
    }


def test_the_download_takes_the_same_queries_for_one_or_many(member):
    sent_reminder(member)
    assert_constant_queries(
        lambda: reminders_export(member),
        lambda n: [sent_reminder(member, i + 1) for i in range(n)],
        many=5,
    )


def test_deleting_removes_the_sent_reminders(member):
    sent_reminder(member)
    theirs = sent_reminder(UserFactory())
    account_delete(user=member)
    assert list(SentReminder.objects.all()) == [theirs]
