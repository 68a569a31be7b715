"""Context every view of a proposal shares."""

from qcommunity.core.taxonomy import Region

from ..enums import Stage
from ..selectors import outcomes_announced, proposal_team, shown_stage

REGION_LABELS = dict(Region.choices)
STAGE_LABELS = dict(Stage.choices)


def proposal_context(proposal, user, now=None) -> dict:
    """What every view of a proposal shows (its page and its printable version). The stage is
    the one this viewer sees (`exchange.proposals.selectors.shown_stage`); `outcome_held` when
    the viewer (the team, moderators, staff) reads an outcome the round has not announced yet."""
    stage = shown_stage(proposal, user=user, now=now)
    return {
        "shown_stage": stage,
        "shown_stage_label": STAGE_LABELS[stage],
        "outcome_held": stage in (Stage.FUNDED, Stage.NOT_FUNDED)
        and not outcomes_announced(proposal.round, now),
        "proposal": proposal,
        "round": proposal.round,
        "team": proposal_team(proposal, viewer=user),
        "region_labels": [REGION_LABELS.get(r, r) for r in proposal.regions],
    }


STAGE_TAG_CLASSES = {
    Stage.IDEA: "nhsuk-tag--white",
    Stage.PROPOSAL: "nhsuk-tag--blue",
    Stage.SHORTLISTED: "nhsuk-tag--purple",
    Stage.FUNDED: "nhsuk-tag--green",
    Stage.NOT_FUNDED: "nhsuk-tag--grey",
    Stage.WITHDRAWN: "nhsuk-tag--grey",
}
