"""Writes of joining Q's panels that only they have, on top of the scoring kit (whose rules
they do not change): a round's panels, one a region; putting someone on one (their
organisation defaults to their directory entry's); starting review, which sends every submitted
application to its region's panel. The rest (inviting by email, sharing out, the conflict
question, reassigning, submitting a review) is the workspace's (`qcommunity.scoring.services`),
called with `kind.APPLICATION_PANELS`."""

from collections.abc import Sequence

from django.db import transaction

from qcommunity.core.taxonomy import Region
from qcommunity.scoring import services as scoring
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import Panel, PanelMember
from qcommunity.scoring.services import Distribution

from ..joining.enums import ApplicationStatus
from ..joining.models import Application, Round
from ..joining.services import JoiningError, application_transition, round_transition
from .kind import APPLICATION_PANELS
from .selectors import in_review_applications, round_panels


@transaction.atomic
def round_panel_create(*, actor, round_: Round, region: str, name: str = "") -> Panel:
    """The panel that reviews the round's applications from `region`."""
    if region not in round_.regions:
        raise JoiningError(
            "This round is not open to that region.", {"region": "Choose a region of this round"}
        )
    label = dict(Region.choices)[region]
    try:
        return scoring.panel_create(
            actor=actor,
            scheme=round_.scheme,
            owner=round_,
            name=name or f"{label} panel",
            region=region,
            reviews_needed=round_.reviews_needed,
        )
    except scoring.ScoringError as error:
        raise JoiningError(str(error), error.errors) from error


@transaction.atomic
def round_panel_member_add(
    *, actor, panel: Panel, user, role: str = PanelRole.REVIEWER, organisation: str | None = None
) -> PanelMember:
    """Put someone on a round's panel, without an email (demo data, tests). Their organisation
    (for excluding applications from it) defaults to the one on their directory entry."""
    if organisation is None:
        organisation = APPLICATION_PANELS.default_organisation(user)
    return scoring.panel_member_add(
        actor=actor, panel=panel, user=user, role=role, organisation=organisation
    )


def panel_member_invite(*, actor, panel: Panel, email: str, role=PanelRole.REVIEWER, **more):
    """Staff put someone on a panel by email, and they are told (`workspace_member_invite`)."""
    return scoring.workspace_member_invite(
        APPLICATION_PANELS, actor=actor, panel=panel, email=email, role=role, **more
    )


@transaction.atomic
def application_assignments_distribute(
    *, actor, panel: Panel, applications: Sequence[Application] | None = None, rng=None
) -> Distribution:
    """Give the panel's applications (default: the round's applications in review from the
    panel's region) to its reviewers evenly, never to a reviewer from the applicant's
    organisation or one who declared a conflict; each reviewer given some is told once."""
    if applications is None:
        applications = in_review_applications(panel)
    return scoring.workspace_distribute(
        APPLICATION_PANELS, actor=actor, panel=panel, subjects=applications, rng=rng
    )


@transaction.atomic
def round_start_review(*, actor, round_: Round) -> dict[str, Distribution]:
    """After closing: every submitted application goes to review and to its region's panel.
    Refused when a region with applications has no panel. Returns each region's distribution."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    panels = {p.region: p for p in round_panels(round_)}
    submitted = list(
        Application.objects.filter(round=round_, status=ApplicationStatus.SUBMITTED).order_by(
            "submitted_at", "id"
        )
    )
    missing = sorted({a.region for a in submitted} - set(panels))
    if missing:
        labels = ", ".join(dict(Region.choices)[r] for r in missing)
        raise JoiningError(f"Set up a panel for {labels} first.")
    round_transition(actor=actor, round_=round_, action="start_review")
    for application in submitted:
        application_transition(actor=actor, application=application, action="start_review")
    return {
        region: application_assignments_distribute(
            actor=actor, panel=panel, applications=[a for a in submitted if a.region == region]
        )
        for region, panel in panels.items()
    }
