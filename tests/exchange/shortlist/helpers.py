"""Builders for the shortlisting tests: a round whose proposals have closed, with criteria, a
panel of two-factor reviewers and a chair, through the real services."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from exchange.comments.models import Comment
from exchange.proposals.enums import Stage
from exchange.proposals.models import Proposal
from exchange.rounds.models import Round
from exchange.shortlist.forms import DEFAULT_SCALE
from exchange.shortlist.kind import PROPOSAL_PANELS
from exchange.shortlist.services import (
    round_criteria_set,
    shortlist_panel_create,
)
from qcommunity.accounts.enums import Role
from qcommunity.core.markdown import render_markdown
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import Assignment, Panel
from qcommunity.scoring.services import (
    CriterionSpec,
    ScoreInput,
    assignment_confirm_no_conflict,
    panel_member_add,
)
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.factories.panels import staff_user, two_factor_user

CRITERIA = [
    CriterionSpec("Impact", "How much difference it will make to care."),
    CriterionSpec("Feasibility", "Whether the team can do it with the money asked for."),
]


@dataclass
class Shortlisting:
    staff: object
    round: Round
    panel: Panel
    chair: object
    reviewers: list
    proposals: list[Proposal] = field(default_factory=list)


def add_proposals(round_: Round, n: int) -> list[Proposal]:
    return [
        make_proposal(round_, lead=UserFactory(roles=[Role.MEMBER]), stage=Stage.PROPOSAL)
        for _ in range(n)
    ]


def shortlisting(*, proposals: int = 3, reviewers: int = 3, reviews_needed: int = 2):
    """A round whose proposals closed 10 days ago (voting open now), its criteria set, a panel
    with `reviewers` reviewers and a chair (all with two-factor authentication)."""
    staff = staff_user()
    round_ = make_exchange_round(voting_open=True)
    round_criteria_set(actor=staff, round_=round_, criteria=CRITERIA, scale=DEFAULT_SCALE)
    round_.refresh_from_db()
    panel = shortlist_panel_create(
        actor=staff, round_=round_, name="Panel A", reviews_needed=reviews_needed
    )
    people = [
        two_factor_user(roles=[Role.MEMBER], full_name=f"Reviewer {i}") for i in range(reviewers)
    ]
    for person in people:
        panel_member_add(actor=staff, panel=panel, user=person)
    chair = two_factor_user(roles=[Role.MEMBER], full_name="Chair Person")
    panel_member_add(actor=staff, panel=panel, user=chair, role=PanelRole.CHAIR)
    return Shortlisting(staff, round_, panel, chair, people, add_proposals(round_, proposals))


def score(assignment: Assignment, values, recommendation="support"):
    """Submit `values` (one per criterion, in order) for the assignment, as its reviewer."""
    from exchange.shortlist.services import proposal_review_submit

    reviewer = assignment.reviewer
    assignment_confirm_no_conflict(PROPOSAL_PANELS, actor=reviewer, assignment=assignment)
    criteria = list(assignment.panel.scheme.criteria.order_by("position"))
    return proposal_review_submit(
        actor=reviewer,
        assignment=assignment,
        scores=[ScoreInput(c.pk, v) for c, v in zip(criteria, values, strict=True)],
        recommendation=recommendation,
    )


def comment(proposal, author, *, parent=None, hidden=False, at=None):
    now = at or timezone.now()
    return Comment.objects.create(
        proposal=proposal,
        author=author,
        parent=parent,
        body="A comment",
        body_html=str(render_markdown("A comment")),
        created_at=now,
        hidden_at=now + dt.timedelta(seconds=1) if hidden else None,
        hidden_reason="Off topic" if hidden else "",
    )
