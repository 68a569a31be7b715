import importlib

import pytest

from qcommunity.notifications import kinds
from qcommunity.notifications.enums import Delivery
from qcommunity.notifications.kinds import NotificationKind


def test_the_registry_holds_the_kinds_each_app_declares_in_its_own_module():
    assert [kind.key for kind in kinds.all_kinds()] == [
        "account_security",
        "application_decision",
        "panel_assignment",
        "proposal_comment",
        "comment_reply",
        "proposal_decision",
        "proposal_progress_update",
        "exchange_voting_reminder",
        "exchange_review_assignment",
        "showcase_decision",
    ]
    declared = {
        "qcommunity.accounts.notifications": {"account_security"},
        "members.notifications": {"application_decision", "panel_assignment"},
        "qcommunity.newsletters.notifications": {"showcase_decision"},
    }
    for module, keys in declared.items():
        source = importlib.import_module(module)
        assert {v for k, v in vars(source).items() if k.isupper() and k != "GROUP"} == keys


def test_required_kinds_are_security_and_decisions_about_the_person():
    assert sorted(kind.key for kind in kinds.all_kinds() if kind.required) == [
        "account_security",
        "application_decision",
        "proposal_decision",
    ]


def test_kinds_are_grouped_in_page_order():
    groups = kinds.kinds_by_group()

    assert [group for group, _ in groups] == [
        "Your account",
        "Membership and panels",
        "Q Exchange",
        "Newsletter showcase",
    ]
    assert [kind.key for kind in dict(groups)["Q Exchange"]] == [
        "proposal_comment",
        "comment_reply",
        "proposal_decision",
        "proposal_progress_update",
        "exchange_voting_reminder",
        "exchange_review_assignment",
    ]


def test_a_kind_may_default_to_the_daily_summary(daily_kind):
    assert kinds.get_kind(daily_kind).default == Delivery.DAILY
    assert kinds.get_kind("comment_reply").default == Delivery.IMMEDIATELY
    assert [group for group, _ in kinds.kinds_by_group()][-1] == "Test area"


def test_reminders_to_vote_default_to_straight_away_and_say_a_summary_will_not_hold_them():
    kind = kinds.get_kind("exchange_voting_reminder")

    assert (kind.label, kind.group, kind.default, kind.required) == (
        "Reminders to vote",
        "Q Exchange",
        Delivery.IMMEDIATELY,
        False,
    )
    assert kind.description.startswith("Two days before voting closes in a Q Exchange round")
    assert "in its own email even if you choose the daily summary" in kind.description


def test_review_assignments_on_exchange_panels_default_to_straight_away():
    kind = kinds.get_kind("exchange_review_assignment")

    assert (kind.label, kind.group, kind.default, kind.required) == (
        "Proposals given to you to review",
        "Q Exchange",
        Delivery.IMMEDIATELY,
        False,
    )
    assert kind.description == (
        "When you are asked to review Q Exchange proposals as a shortlisting panel member."
    )


def test_registering_a_key_twice_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        kinds.register(
            NotificationKind(key="comment_reply", label="Again", description="", group="Q Exchange")
        )


def test_an_unknown_kind_is_not_found():
    with pytest.raises(LookupError):
        kinds.get_kind("lab_activity")  # labs do not send notifications yet
