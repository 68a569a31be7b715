"""Permission predicates for composing issues: editors and staff admins (both two-factor
roles)."""

import rules

from qcommunity.accounts.rules import is_editor, is_staff_admin

rules.add_perm("newsletters.compose_issues", is_editor | is_staff_admin)
