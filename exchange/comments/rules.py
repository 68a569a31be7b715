"""Who may comment on proposals and moderate comments."""

import rules

from qcommunity.accounts.rules import is_signed_in

from ..rounds.rules import is_moderator

rules.add_perm("exchange.moderate_comments", is_moderator)
# Signed-in people who are not members comment as guests.
rules.add_perm("exchange.comment", is_signed_in)
