"""Who may use the staff people pages. Staff administrators find accounts, change their roles
and suspend them; staff-level roles (`RoleKind.staff_level`) are a separate permission so that
a later role that may give some roles cannot give those."""

import rules

from qcommunity.accounts.rules import is_staff_admin

rules.add_perm("people.manage_people", is_staff_admin)
rules.add_perm("people.give_staff_roles", is_staff_admin)
