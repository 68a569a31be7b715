"""Notification choices and waiting summary items in a person's data, and after deleting."""

import pytest

from qcommunity.notifications.kinds import all_kinds
from qcommunity.notifications.models import Digest, DigestItem, NotificationPreference
from qcommunity.notifications.personal_data import preferences_export, waiting_export
from qcommunity.notifications.services import notification_preferences_set, notify
from qcommunity.privacy.services import account_delete, personal_data_export
from tests.factories.accounts import UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def section(data: dict, key: str) -> list[dict]:
    return next(s["records"] for s in data["sections"] if s["key"] == key)


def test_the_download_holds_every_choice_by_its_label(member):
    notification_preferences_set(
        user=member, choices={"comment_reply": "daily", "panel_assignment": "off"}, actor=member
    )
    records = section(personal_data_export(user=member), "notifications.preferences")
    choices = {r["notification"]: r["choice"] for r in records}
    assert len(records) == len(all_kinds())
    assert choices["Replies to your comments"] == "In a daily summary email"
    assert choices["Applications given to you to review"] == "Do not email me"
    assert choices["Comments on your proposals"] == "Straight away, in its own email"
    assert choices["Account security"] == "Always sent"


def test_the_download_holds_notifications_waiting_for_the_summary(member):
    notification_preferences_set(user=member, choices={"comment_reply": "daily"}, actor=member)
    notify(user=member, kind="comment_reply", subject="Sam replied to your comment", url="/x/")
    notify(user=UserFactory(), kind="comment_reply", subject="Not theirs")
    records = section(personal_data_export(user=member), "notifications.waiting")
    assert [(r["subject"], r["link"]) for r in records] == [("Sam replied to your comment", "/x/")]


def test_the_downloads_take_the_same_queries_for_one_or_many(member):
    notification_preferences_set(user=member, choices={"comment_reply": "daily"}, actor=member)

    def add(n):
        for i in range(n):
            notify(user=member, kind="comment_reply", subject=f"Reply {i}")

    add(1)
    assert_constant_queries(lambda: waiting_export(member), add, many=5)
    kinds = [kind.key for kind in all_kinds() if not kind.required]

    def choose(n):
        choices = dict.fromkeys(kinds[:n], "off")
        notification_preferences_set(user=member, choices=choices, actor=member)

    assert_constant_queries(lambda: preferences_export(member), choose, many=len(kinds))


def test_deleting_removes_choices_and_waiting_items(member):
    other = UserFactory()
    for person in (member, other):
        notification_preferences_set(user=person, choices={"comment_reply": "daily"}, actor=person)
        notify(user=person, kind="comment_reply", subject="Sam replied to your comment")
    Digest.objects.create(user=member, date="2026-11-20")

    account_delete(user=member)

    assert not NotificationPreference.objects.filter(user=member).exists()
    assert not DigestItem.objects.filter(user=member).exists()
    assert not Digest.objects.filter(user=member).exists()
    assert NotificationPreference.objects.filter(user=other).count() == 1
    assert DigestItem.objects.filter(user=other).count() == 1
