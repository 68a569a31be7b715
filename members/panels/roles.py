"""A seat on one of joining Q's regional panels, as a role staff give on a person's account
page ("Panel member (joining Q): Regional wave 3, Wessex panel"). A round's region without a
panel yet is offered too: giving that seat makes the region's panel first."""

from qcommunity.core.taxonomy import Region
from qcommunity.scoring.models import Panel
from qcommunity.scoring.roles import PanelSeat

from ..joining.enums import RoundStatus
from ..joining.models import Round
from .kind import APPLICATION_PANELS
from .selectors import round_panels
from .services import round_panel_create

# Rounds whose panels still take reviewers: published and not yet decided.
SEATED_STATUSES = (RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.REVIEWING)


class JoiningPanelSeat(PanelSeat):
    panel_kind = APPLICATION_PANELS

    def open_owner_ids(self):
        return Round.objects.filter(status__in=SEATED_STATUSES).values("pk")

    def open_scopes(self) -> list[tuple[str, str]]:
        rounds = list(
            Round.objects.filter(status__in=SEATED_STATUSES)
            .order_by("opens_at", "pk")
            .only("pk", "name", "regions")
        )
        taken = set(
            Panel.objects.filter(
                owner_type=self.owner_type(), owner_id__in=[r.pk for r in rounds]
            ).values_list("owner_id", "region")
        )
        labels = dict(Region.choices)
        return [
            (f"region:{round_.pk}:{region}", f"{round_.name}: {labels[region]} panel (new)")
            for round_ in rounds
            for region in round_.regions
            if (round_.pk, region) not in taken
        ]

    def panel_for_scope(self, *, actor, scope: str):
        kind, _, rest = scope.partition(":")
        if kind != "region":
            return super().panel_for_scope(actor=actor, scope=scope)
        round_id, _, region = rest.partition(":")
        round_ = (
            Round.objects.filter(status__in=SEATED_STATUSES, pk=int(round_id)).first()
            if round_id.isdigit()
            else None
        )
        if round_ is None or region not in round_.regions:
            return super().panel_for_scope(actor=actor, scope="")
        existing = round_panels(round_).filter(region=region).first()
        return existing or round_panel_create(actor=actor, round_=round_, region=region)


JOINING_PANEL_SEAT = JoiningPanelSeat(
    key="joining_panel",
    label="Panel member (joining Q)",
    description=(
        "Reviews applications to join Q from one region of a round, on the panel's pages at "
        "/panels/. Sees applicants' answers, so two-factor authentication is required."
    ),
    order=40,
)
