"""Who may watch an issue go out and start it: editors and staff admins (both two-factor roles)."""

import rules

from qcommunity.accounts.rules import is_editor, is_staff_admin

can_send_issues = is_editor | is_staff_admin

rules.add_perm("newsletters.view_issue_sending", can_send_issues)
rules.add_perm("newsletters.send_issue", can_send_issues)
