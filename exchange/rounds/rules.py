"""Who may set up rounds, and who moderates Q Exchange (the other features' rules use it)."""

import rules

from qcommunity.accounts.rules import is_exchange_moderator, is_staff_admin

is_moderator = is_exchange_moderator | is_staff_admin

rules.add_perm("exchange.manage_rounds", is_staff_admin)
