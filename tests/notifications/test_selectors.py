import pytest

from qcommunity.accounts.models import User
from qcommunity.notifications import kinds
from qcommunity.notifications.enums import Delivery
from qcommunity.notifications.kinds import NotificationKind
from qcommunity.notifications.selectors import notification_delivery_for, notification_wanted
from qcommunity.notifications.services import notification_preferences_set
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def choosing(kind_key: str, delivery: str | None):
    person = UserFactory()
    if delivery is not None:
        notification_preferences_set(user=person, choices={kind_key: delivery}, actor=person)
    return person


def wanting(kind_key: str) -> set[int]:
    return set(User.objects.filter(notification_wanted(kind_key)).values_list("pk", flat=True))


def test_notification_wanted_keeps_everyone_but_those_who_turned_the_kind_off():
    default, summary, straight_away, opted_out = (
        choosing("comment_reply", delivery) for delivery in (None, "daily", "immediately", "off")
    )
    off_elsewhere = choosing("proposal_comment", "off")

    assert wanting("comment_reply") == {default.pk, summary.pk, straight_away.pk, off_elsewhere.pk}
    for person in (default, summary, straight_away, opted_out, off_elsewhere):
        assert (person.pk in wanting("comment_reply")) == (
            notification_delivery_for(person, "comment_reply") != Delivery.OFF
        )


def test_notification_wanted_keeps_everyone_for_a_required_kind():
    person = UserFactory()

    assert person.pk in wanting("account_security")


def test_notification_wanted_keeps_only_those_who_turned_on_a_kind_that_is_off_by_default():
    kinds.register(
        NotificationKind(
            key="test_off_by_default",
            label="Off by default",
            description="",
            group="Q Exchange",
            default=Delivery.OFF,
        )
    )
    try:
        default = choosing("test_off_by_default", None)
        summary = choosing("test_off_by_default", "daily")
        wanted = wanting("test_off_by_default")
    finally:
        kinds.unregister("test_off_by_default")

    assert default.pk not in wanted
    assert summary.pk in wanted
