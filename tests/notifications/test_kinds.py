import pytest

from qcommunity.notifications import kinds
from qcommunity.notifications.enums import Delivery
from qcommunity.notifications.kinds import NotificationKind


def test_registry_holds_the_kinds_later_issues_use():
    assert [kind.key for kind in kinds.all_kinds()] == [
        "account_security",
        "application_decision",
        "panel_assignment",
        "proposal_comment",
        "comment_reply",
        "proposal_decision",
        "lab_activity",
        "accreditation_case_change",
        "accreditation_case_decision",
        "showcase_decision",
    ]


def test_required_kinds_are_security_and_decisions_about_the_person():
    assert sorted(kind.key for kind in kinds.all_kinds() if kind.required) == [
        "account_security",
        "accreditation_case_decision",
        "application_decision",
    ]


def test_kinds_are_grouped_in_page_order():
    groups = kinds.kinds_by_group()

    assert [group for group, _ in groups] == kinds.GROUPS
    assert [kind.key for kind in dict(groups)["Q Exchange"]] == [
        "proposal_comment",
        "comment_reply",
        "proposal_decision",
    ]


def test_lab_activity_defaults_to_the_daily_summary():
    assert kinds.get_kind("lab_activity").default == Delivery.DAILY
    assert kinds.get_kind("comment_reply").default == Delivery.IMMEDIATELY


def test_registering_a_key_twice_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        kinds.register(
            NotificationKind(
                key="comment_reply", label="Again", description="", group=kinds.GROUP_EXCHANGE
            )
        )


def test_registering_an_unknown_group_is_refused():
    with pytest.raises(ValueError, match="unknown group"):
        kinds.register(
            NotificationKind(key="test_new_kind", label="New", description="", group="Nowhere")
        )
    with pytest.raises(LookupError):
        kinds.get_kind("test_new_kind")
