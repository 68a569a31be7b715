"""Who may post and change proposals, and the edit window. Which proposals a person may reach is
scoped by `exchange.proposals.selectors` (404 otherwise); these say who may take each action."""

from dataclasses import dataclass

import rules
from django.utils import timezone

from qcommunity.accounts.rules import is_member
from qcommunity.core.formatting import uk_datetime

from ..rounds.rules import is_moderator
from .enums import EDITABLE_STAGES, Stage, TeamRole


@rules.predicate
def is_proposal_editor(user, proposal) -> bool:
    """The lead, or a co-author who accepted the invitation."""
    if proposal is None or not (user and user.is_authenticated and user.is_active):
        return False
    if proposal.lead_id == user.pk:
        return True
    return proposal.team.filter(
        user_id=user.pk, role=TeamRole.CO_AUTHOR, accepted_at__isnull=False
    ).exists()


@dataclass(frozen=True)
class EditWindow:
    """Whether a proposal's team may change it now and, when not, the sentence that says why
    (shown on the pages and raised by the services)."""

    open: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.open


def proposal_edit_window(proposal, now=None) -> EditWindow:
    """The one rule for changing a proposal's content: its answers and details, team (and the
    lead), "how you can contribute" points, plan steps and attachments; and turning an idea
    into a full proposal. Open only while the proposal is an idea or a proposal AND the round
    still takes full proposals (before `proposals_close_at`: the date its pages promise). After
    shortlisting or a decision, or once withdrawn, it stays closed. Not governed here: withdrawing
    (any time before a decision, `PROPOSAL_TRANSITIONS`), a funded team keeping its plan's
    steps up to date and posting progress updates, and a person leaving a team or declining an
    invitation (nobody is kept named against their wish)."""
    now = now or timezone.now()
    stage = proposal.stage
    noun = (
        "idea"
        if stage == Stage.IDEA or (stage == Stage.WITHDRAWN and proposal.developed_at is None)
        else "proposal"
    )
    if stage == Stage.WITHDRAWN:
        return EditWindow(False, f"This {noun} was withdrawn, so it can no longer be changed.")
    if stage == Stage.SHORTLISTED:
        return EditWindow(
            False, "This proposal has been shortlisted, so it can no longer be changed."
        )
    if stage == Stage.FUNDED:
        return EditWindow(
            False,
            "This proposal has been funded, so its answers, team and attachments can no longer "
            "be changed. You can still keep its plan up to date and post progress updates.",
        )
    if stage == Stage.NOT_FUNDED:
        return EditWindow(False, "This proposal was not funded, so it can no longer be changed.")
    if stage not in EDITABLE_STAGES:  # a stage added later stays closed until decided here
        return EditWindow(False, f"This {noun} can no longer be changed.")
    round_ = proposal.round
    closes = round_.proposals_close_at
    if now >= closes:
        if stage == Stage.IDEA:
            return EditWindow(
                False,
                f"Full proposals for {round_.name} had to be ready by {uk_datetime(closes)}, so "
                "this idea can no longer be changed.",
            )
        return EditWindow(
            False,
            f"Proposals for {round_.name} closed on {uk_datetime(closes)}, so this proposal "
            "can no longer be changed.",
        )
    return EditWindow(True)


rules.add_perm("exchange.create_proposal", is_member)
rules.add_perm("exchange.change_proposal", is_member & is_proposal_editor)
rules.add_perm("exchange.decide_proposal", is_moderator)
