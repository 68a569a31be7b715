"""A seat on a Q Exchange shortlisting panel, as a role staff give on a person's account page
("Panel member (Q Exchange shortlisting): Q Exchange 2026: Shortlisting panel"). Panels of rounds
whose decisions date has not passed take reviewers."""

from django.utils import timezone

from qcommunity.scoring.roles import PanelSeat

from ..rounds.models import Round
from .kind import PROPOSAL_PANELS


class ShortlistPanelSeat(PanelSeat):
    panel_kind = PROPOSAL_PANELS

    def open_owner_ids(self):
        return Round.objects.filter(decisions_at__gt=timezone.now()).values("pk")


SHORTLIST_PANEL_SEAT = ShortlistPanelSeat(
    key="exchange_panel",
    label="Panel member (Q Exchange shortlisting)",
    description=(
        "Scores a round's proposals against its criteria on the panel's pages at "
        "/exchange/panels/, after saying whether they have a conflict of interest."
    ),
    order=45,
)
