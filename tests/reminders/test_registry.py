import datetime as dt

import pytest

from qcommunity.reminders import registry
from qcommunity.reminders.registry import ReminderKind


def test_apps_reminders_modules_are_discovered_at_start_up():
    kinds = {kind.key: kind for kind in registry.all_kinds()}

    assert sorted(kinds) == [
        "exchange.comments_closing",
        "exchange.proposal_deadline",
        "exchange.voting_closing",
        "members.directory_confirm",
        "members.joining_decisions_due",
        "members.joining_draft_closing",
        "members.joining_reviews_due",
        "newsletters.issue_not_approved",
    ]
    directory = kinds["members.directory_confirm"]
    assert (directory.template, directory.lead, directory.grace) == (
        "reminder_directory_confirm",
        dt.timedelta(0),
        dt.timedelta(days=30),
    )
    assert directory.due.__module__ == "members.directory.reminders"
    assert directory.notification_kind == ""  # sent whatever the member chose
    assert kinds["exchange.voting_closing"].notification_kind == "exchange_voting_reminder"
    issue = kinds["newsletters.issue_not_approved"]
    assert (issue.template, issue.lead, issue.grace) == (
        "reminder_newsletter_issue_approve",
        dt.timedelta(hours=24),
        dt.timedelta(hours=1),
    )
    assert issue.due.__module__ == "qcommunity.newsletters.issues.reminders"
    for key, template, module in (
        ("members.joining_draft_closing", "reminder_joining_draft_closing", "joining"),
        ("members.joining_reviews_due", "reminder_joining_reviews_due", "panels"),
        ("members.joining_decisions_due", "reminder_joining_decisions_due", "panels"),
    ):
        joining = kinds[key]
        assert (joining.template, joining.lead, joining.grace) == (
            template,
            dt.timedelta(0),
            dt.timedelta(hours=12),
        )
        assert joining.due.__module__ == f"members.{module}.reminders"


def test_decorator_registers_a_kind_and_returns_the_function():
    def due(*, since, until):
        return []

    try:
        returned = registry.register(
            key="test.decorated",
            description="A test reminder",
            template="reminder_directory_confirm",
            lead=dt.timedelta(days=2),
        )(due)
        kind = registry.get_kind("test.decorated")
    finally:
        registry.unregister("test.decorated")

    assert returned is due
    assert (kind.due, kind.lead, kind.grace) == (due, dt.timedelta(days=2), dt.timedelta(days=1))
    assert kind.send_at(dt.datetime(2026, 1, 3, tzinfo=dt.UTC)) == dt.datetime(
        2026, 1, 1, tzinfo=dt.UTC
    )
    with pytest.raises(LookupError):
        registry.get_kind("test.decorated")


def test_a_key_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="already registered"):
        registry.register(
            ReminderKind(
                key="members.directory_confirm",
                description="Again",
                template="x",
                lead=dt.timedelta(0),
                due=lambda **_: [],
            )
        )


def test_a_notification_kind_that_is_not_registered_is_refused():
    def due(*, since, until):
        return []

    with pytest.raises(LookupError, match="no_such_kind"):
        registry.register(
            key="test.misspelt",
            description="A test reminder",
            template="reminder_directory_confirm",
            notification_kind="no_such_kind",
        )(due)
    with pytest.raises(LookupError):
        registry.get_kind("test.misspelt")
