"""Permission predicates for Q Exchange. Which proposals and rounds a person may reach is scoped
by `exchange.selectors` (404 otherwise); these say who may take each action."""

import rules

from qcommunity.accounts.rules import (
    is_exchange_moderator,
    is_member,
    is_panel_member,
    is_signed_in,
    is_staff_admin,
)

from .enums import TeamRole


@rules.predicate
def is_proposal_editor(user, proposal) -> bool:
    """The lead, or a co-author who accepted the invitation."""
    if proposal is None or not (user and user.is_authenticated and user.is_active):
        return False
    if proposal.lead_id == user.pk:
        return True
    return proposal.team.filter(
        user_id=user.pk, role=TeamRole.CO_AUTHOR, accepted_at__isnull=False
    ).exists()


is_moderator = is_exchange_moderator | is_staff_admin

rules.add_perm("exchange.manage_rounds", is_staff_admin)
rules.add_perm("exchange.create_proposal", is_member)
rules.add_perm("exchange.change_proposal", is_member & is_proposal_editor)
rules.add_perm("exchange.decide_proposal", is_moderator)
rules.add_perm("exchange.moderate_comments", is_moderator)
# Signed-in people who are not members comment as guests.
rules.add_perm("exchange.comment", is_signed_in)
rules.add_perm("exchange.support_proposal", is_member)
rules.add_perm("exchange.vote", is_member)


def may_vote(user) -> bool:
    """Only members vote. Asked of the role itself, never through `has_perm`, which answers
    yes to a superuser for every permission (a staff administrator is not thereby a member)."""
    return bool(user is not None and is_member(user))


rules.add_perm("exchange.view_turnout", is_moderator)
# The shortlisting panel pages (/exchange/panels/): which panels and assignments each person
# reaches is scoped by `exchange.selectors_shortlist`.
rules.add_perm("exchange.use_shortlisting", is_panel_member | is_moderator)
