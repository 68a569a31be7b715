"""The kinds of notification the site sends. Each app declares its own in its `notifications.py`
(found when the site starts, as `reminders.py` and `home.py` are) and calls `notify(kind=...)`
with one of their keys; members choose how they get each one at /me/notifications/.

    register(NotificationKind(
        key="proposal_comment", label="Comments on your proposals", description="...",
        group="Q Exchange", order=30,
    ))

A kind is `required` when the service must send it whatever the member chooses (account
security, decisions on their own application or Q Exchange proposal): such kinds are always
sent straight away and shown as "Always sent" on the preferences page. Kinds are listed by
`order` (which also orders their groups on the page), then `place` within the group, then in
the order they were declared.
"""

from dataclasses import dataclass

from qcommunity.core.registry import Registry

from .enums import Delivery


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    description: str
    # The heading the preferences page lists it under ("Q Exchange").
    group: str
    default: Delivery = Delivery.IMMEDIATELY
    required: bool = False
    # Where its group comes on the page: kinds of one group share an order.
    order: int = 100
    # Where it comes within its group (apps of one group declare theirs in separate modules,
    # found in no fixed order).
    place: int = 0


KINDS: Registry[NotificationKind] = Registry(
    "Notification kind", order=lambda kind: (kind.order, kind.place, _declared.index(kind.key))
)
_declared: list[str] = []


def register(kind: NotificationKind) -> NotificationKind:
    KINDS.register(kind)
    _declared.append(kind.key)
    return kind


def unregister(key: str) -> None:
    KINDS.unregister(key)
    if key in _declared:
        _declared.remove(key)


get_kind = KINDS.get
all_kinds = KINDS.all


def kinds_by_group() -> list[tuple[str, list[NotificationKind]]]:
    """(heading, kinds) for each group that has at least one kind, in order."""
    groups: dict[str, list[NotificationKind]] = {}
    for kind in all_kinds():
        groups.setdefault(kind.group, []).append(kind)
    return list(groups.items())
