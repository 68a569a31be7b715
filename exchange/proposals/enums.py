"""Choices and transition tables for Q Exchange: rounds, proposals, comments, plan timelines.

State machines are data. `exchange.proposals.services.proposal_transition` is the only place a
proposal's stage is assigned; it checks `PROPOSAL_TRANSITIONS` and the permission rule named
there. Pages ask the same table which buttons to show."""

from django.db import models

from qcommunity.core.workflow import Transition, transitions


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    PROPOSAL = "proposal", "Proposal"
    SHORTLISTED = "shortlisted", "Shortlisted"
    FUNDED = "funded", "Funded"
    NOT_FUNDED = "not_funded", "Not funded"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Stages a member can see on the public pages (a withdrawn idea stays readable at its address,
# marked withdrawn, so links to it do not break).
DECIDED_STAGES = frozenset({Stage.FUNDED, Stage.NOT_FUNDED})
# Stages in which the team can still change the proposal's answers. Funded projects keep
# their page alive through updates and the timeline, not by rewriting the proposal.
EDITABLE_STAGES = frozenset({Stage.IDEA, Stage.PROPOSAL})
# Stages that take part in voting and shortlisting.
IN_COMPETITION_STAGES = frozenset({Stage.PROPOSAL, Stage.SHORTLISTED})
# Stages before a decision: the team may still withdraw, and comments are still wanted.
UNDECIDED_STAGES = frozenset({Stage.IDEA, Stage.PROPOSAL, Stage.SHORTLISTED})


class TimelineStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"
    MOVED = "moved", "Moved"
    DROPPED = "dropped", "Dropped"


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead"
    # Can edit the proposal once they accept the invitation.
    CO_AUTHOR = "co_author", "Co-author"
    # Named on the page; cannot edit. May be someone without an account.
    MEMBER = "member", "Team member"


class AttachmentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    WORD = "word", "Word document"
    EXCEL = "excel", "Excel spreadsheet"
    IMAGE = "image", "Image"


# Moves of a proposal (`services.PROPOSALS`, the kit in `qcommunity.core.workflow`); the
# permission each names is checked against the proposal.
PROPOSAL_TRANSITIONS = transitions(
    Transition("develop", frozenset({Stage.IDEA}), Stage.PROPOSAL,
               "Turn your idea into a full proposal", "exchange.change_proposal"),
    Transition("shortlist", frozenset({Stage.PROPOSAL}), Stage.SHORTLISTED,
               "Shortlist", "exchange.decide_proposal"),
    Transition("fund", frozenset({Stage.SHORTLISTED}), Stage.FUNDED,
               "Fund", "exchange.decide_proposal"),
    Transition("not_fund", frozenset({Stage.PROPOSAL, Stage.SHORTLISTED}), Stage.NOT_FUNDED,
               "Do not fund", "exchange.decide_proposal"),
    Transition("withdraw", UNDECIDED_STAGES, Stage.WITHDRAWN, "Withdraw",
               "exchange.change_proposal"),
)  # fmt: skip
