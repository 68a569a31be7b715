import rules

from qcommunity.accounts.rules import is_staff_admin

rules.add_perm("reminders.view_reminders", is_staff_admin)
