"""Permission predicates for panel scoring. Object predicates take a `Panel` or an
`Assignment`; which subjects a person may see is scoped by `scoring.selectors`."""

import rules

from qcommunity.accounts.rules import is_staff_admin

from .enums import PanelRole


def _panel_of(obj):
    return getattr(obj, "panel", obj)


@rules.predicate
def is_on_panel(user, obj) -> bool:
    if obj is None or not (user and user.is_authenticated and user.is_active):
        return False
    return _panel_of(obj).members.filter(user_id=user.pk).exists()


@rules.predicate
def is_panel_chair(user, obj) -> bool:
    if obj is None or not (user and user.is_authenticated and user.is_active):
        return False
    return _panel_of(obj).members.filter(user_id=user.pk, role=PanelRole.CHAIR).exists()


@rules.predicate
def is_assignment_reviewer(user, assignment) -> bool:
    return bool(
        assignment is not None
        and user
        and user.is_authenticated
        and user.is_active
        and assignment.reviewer_id == user.pk
    )


rules.add_perm("scoring.manage_panels", is_staff_admin)
rules.add_perm("scoring.view_panel", is_on_panel | is_staff_admin)
rules.add_perm("scoring.chair_panel", is_panel_chair | is_staff_admin)
rules.add_perm("scoring.review_assignment", is_assignment_reviewer)
