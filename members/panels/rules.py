"""Who may open the panel workspace at all. Which panels, assignments and applications each
person reaches inside it is scoped by `members.panels.selectors`; the object permissions are
the scoring kit's (`scoring.view_panel`, `scoring.chair_panel`, `scoring.manage_panels`)."""

import rules

from qcommunity.accounts.rules import is_panel_member, is_staff_admin

rules.add_perm("members.use_panel_workspace", is_panel_member | is_staff_admin)
