"""Who may support proposals, vote and read turnout."""

import rules

from qcommunity.accounts.rules import is_member

from ..rounds.rules import is_moderator

rules.add_perm("exchange.support_proposal", is_member)
rules.add_perm("exchange.vote", is_member)


def may_vote(user) -> bool:
    """Only members vote. Asked of the role itself, never through `has_perm`, which answers
    yes to a superuser for every permission (a staff administrator is not thereby a member)."""
    return bool(user is not None and is_member(user))


def may_support(user) -> bool:
    """Only members support proposals ("N members support this"): asked of the role, like
    voting, so a superuser who is not a member does not swell the count."""
    return may_vote(user)


rules.add_perm("exchange.view_turnout", is_moderator)
