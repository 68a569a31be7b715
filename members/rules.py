"""Permission predicates for directory entries and member-to-member contact."""

import rules

from qcommunity.accounts.rules import is_member

# Reaching a particular entry is checked by `profile_get_for_viewer` (404 when it is not
# visible); these say who may use the feature at all.
rules.add_perm("members.contact_member", is_member)
rules.add_perm("members.edit_own_profile", is_member)
