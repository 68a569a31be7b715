"""Permission predicates for the members app. Reaching a particular entry is checked by
`profile_get_for_viewer` (404 when it is not visible); these say who may use a feature at all."""

import rules

from qcommunity.accounts.rules import is_member, is_staff_admin

rules.add_perm("members.contact_member", is_member)
rules.add_perm("members.edit_own_profile", is_member)
rules.add_perm("members.view_directory_insights", is_staff_admin)
rules.add_perm("members.export_directory", is_staff_admin)
