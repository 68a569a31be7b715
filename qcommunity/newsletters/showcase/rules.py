"""Permission predicates for the member showcase. Editors and staff admins (both two-factor
roles) review; members submit their own work."""

import rules

from qcommunity.accounts.rules import is_editor, is_member, is_staff_admin


@rules.predicate
def is_showcase_owner(user, item) -> bool:
    return item is not None and item.submitted_by_id == user.pk


rules.add_perm("newsletters.review_showcase", is_editor | is_staff_admin)
rules.add_perm("newsletters.submit_showcase", is_member)
rules.add_perm("newsletters.resubmit_showcase", is_member & is_showcase_owner)
