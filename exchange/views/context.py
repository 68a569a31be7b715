"""Context every view of a proposal shares."""

from members.enums import Region

from ..selectors import proposal_team

REGION_LABELS = dict(Region.choices)


def proposal_context(proposal, user) -> dict:
    """What every view of a proposal shows (its page and its printable version)."""
    return {
        "proposal": proposal,
        "round": proposal.round,
        "team": proposal_team(proposal, viewer=user),
        "region_labels": [REGION_LABELS.get(r, r) for r in proposal.regions],
    }
