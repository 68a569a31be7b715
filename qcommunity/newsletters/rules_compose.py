"""Permission predicates for composing issues and the member showcase. Editors and staff admins
(both two-factor roles) compose and review; members submit their own work."""

import rules

from qcommunity.accounts.rules import is_editor, is_member, is_staff_admin

is_newsletter_editor = is_editor | is_staff_admin

rules.add_perm("newsletters.compose_issues", is_newsletter_editor)
rules.add_perm("newsletters.review_showcase", is_newsletter_editor)
rules.add_perm("newsletters.submit_showcase", is_member)
