"""Permission predicates of random coffee."""

import rules

from qcommunity.accounts.rules import is_member, is_staff_admin

rules.add_perm("members.change_own_coffee", is_member)
rules.add_perm("members.run_coffee", is_staff_admin)
