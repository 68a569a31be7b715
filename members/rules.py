"""Permission predicates for the members app."""

import rules

from qcommunity.accounts.rules import is_member, is_staff_admin

rules.add_perm("members.view_directory_insights", is_staff_admin)
rules.add_perm("members.export_directory", is_staff_admin)
rules.add_perm("members.change_own_coffee", is_member)
