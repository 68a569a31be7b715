"""Q Exchange shortlisting on the staff home (`qcommunity.core.attention`): panels past their
deadline (the close of voting) with reviews still to do."""

import datetime as dt

from django.utils.translation import ngettext

from qcommunity.core.attention import (
    DEADLINE_SECONDS,
    AttentionLine,
    AttentionProvider,
    register,
)
from qcommunity.core.formatting import uk_datetime

from .kind import PROPOSAL_PANELS
from .selectors import panels_overdue

GROUP = "Q Exchange"


def overdue_panel_lines(now: dt.datetime) -> list[AttentionLine]:
    return [
        AttentionLine(
            panel.outstanding,
            ngettext(
                "%(panel)s (%(round)s) has %(num)d review still to do, due when voting closed "
                "on %(deadline)s.",
                "%(panel)s (%(round)s) has %(num)d reviews still to do, due when voting closed "
                "on %(deadline)s.",
                panel.outstanding,
            )
            % {
                "panel": panel.name,
                "round": panel.round.name,
                "deadline": uk_datetime(panel.round.voting_closes_at),
                "num": panel.outstanding,
            },
            GROUP,
            PROPOSAL_PANELS.url("staff-panel", panel.round.pk, panel.pk),
            f"Reassign reviews on {panel.name}",
            order=20,
        )
        for panel in panels_overdue(now)
    ]


register(AttentionProvider(
    key="exchange.panels_overdue", lines=overdue_panel_lines,
    permission=PROPOSAL_PANELS.staff_permission,
    models=("exchange.Round", "scoring.Panel", "scoring.Assignment"), order=50,
    expires=DEADLINE_SECONDS,
))  # fmt: skip
