"""Who reaches the shortlisting panel pages."""

import rules

from qcommunity.accounts.rules import is_panel_member

from ..rounds.rules import is_moderator

# The shortlisting panel pages (/exchange/panels/): which panels and assignments each person
# reaches is scoped by `exchange.shortlist.selectors`.
rules.add_perm("exchange.use_shortlisting", is_panel_member | is_moderator)
