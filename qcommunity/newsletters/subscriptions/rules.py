"""Permission predicates for newsletters. Subscribing and unsubscribing are open to anyone
(the signed link is the authority); managing subscribers is for editors and staff admins, both
two-factor roles."""

import rules

from qcommunity.accounts.rules import is_editor, is_staff_admin

rules.add_perm("newsletters.manage_subscribers", is_editor | is_staff_admin)
