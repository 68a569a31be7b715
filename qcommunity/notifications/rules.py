import rules

from qcommunity.accounts.rules import is_signed_in

rules.add_perm("notifications.change_own_preferences", is_signed_in)
