import rules

from qcommunity.accounts.rules import is_staff_admin

# Imports write history in every app (accounts, memberships, rounds): staff admins only.
rules.add_perm("imports.manage_imports", is_staff_admin)
