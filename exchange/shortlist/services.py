"""Shortlisting panels for Q Exchange (issue 6 point 6), on top of the scoring kit
(`qcommunity.scoring.services`), whose rules they do not change:

- staff set the round's criteria and scale (`Round.scheme`), which lock when shortlisting starts
  (the first time proposals are shared out to a panel), so every proposal is judged the same way;
- staff create the round's panels and invite volunteer members by email (the kit grants the
  panel member role, which needs two-factor authentication);
- after proposals close, the round's proposals (stage PROPOSAL) are shared out evenly, never to
  someone on the proposal's team nor to someone who declared a conflict of interest;
- reviewers are told when proposals are given to them (on sharing out, and when staff hand
  them someone else's review), the way they chose for "Proposals given to you to review";
- reviewers say they have no conflict (or declare one: the proposal goes to someone else), then
  score it. Moderators record decisions on the proposal's decision page
  (`exchange.decisions.services`).

The reviewer's side is the shared workspace's, run with `kind.PROPOSAL_PANELS`; kit refusals
(`ScoringError`) become `ExchangeError`s with the same field errors."""

import random
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from qcommunity.audit.services import audit_record
from qcommunity.core.formatting import uk_datetime
from qcommunity.scoring import services as scoring
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, Panel, Review, Scheme
from qcommunity.scoring.services import (
    CriterionSpec,
    Distribution,
    ScalePointSpec,
    ScoreInput,
    ScoringError,
)

from ..proposals.enums import Stage
from ..proposals.models import Proposal
from ..rounds.models import Round
from ..rounds.services import ExchangeError, require_exchange_perm
from .kind import PROPOSAL_PANELS

CRITERIA_LOCKED = (
    "The criteria and scale cannot change now that shortlisting has started, so that every "
    "proposal is judged against the same criteria."
)


def _from_scoring(error: ScoringError) -> ExchangeError:
    return ExchangeError(str(error), error.errors)


def round_type() -> ContentType:
    return ContentType.objects.get_for_model(Round)


def panel_round(panel: Panel) -> Round:
    """The Exchange round that owns `panel` (DoesNotExist for another owner's panel)."""
    if panel.owner_type_id != round_type().pk:
        raise Round.DoesNotExist
    return Round.objects.get(pk=panel.owner_id)


# Criteria --------------------------------------------------------------------------------------


@transaction.atomic
def round_criteria_set(
    *, actor, round_: Round, criteria: Sequence[CriterionSpec], scale: Sequence[ScalePointSpec]
) -> Scheme:
    """Set the criteria panels score the round's proposals against, and the scale. Staff only.
    The first time creates the round's scheme; later times replace its content, until
    shortlisting starts (then refused: `CRITERIA_LOCKED`). Audited by the kit."""
    require_exchange_perm(actor, "exchange.manage_rounds")
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    try:
        if round_.scheme_id is None:
            scheme = scoring.scheme_create(
                actor=actor,
                name=f"{round_.name} shortlisting criteria",
                criteria=criteria,
                scale=scale,
            )
            round_.scheme = scheme
            round_.save(update_fields=["scheme"])
            return scheme
        return scoring.scheme_set_content(
            actor=actor, scheme=round_.scheme, criteria=criteria, scale=scale
        )
    except scoring.SchemeLockedError as error:
        raise ExchangeError(CRITERIA_LOCKED) from error
    except ScoringError as error:
        raise _from_scoring(error) from error


# Panels ----------------------------------------------------------------------------------------


@transaction.atomic
def shortlist_panel_create(*, actor, round_: Round, name: str, reviews_needed: int = 2) -> Panel:
    """A panel that scores the round's proposals against the round's criteria. Staff only;
    the round needs its criteria first."""
    require_exchange_perm(actor, "exchange.manage_rounds")
    if round_.scheme_id is None:
        raise ExchangeError("Set the round's criteria and scale before creating a panel.")
    name = (name or "").strip()
    if not name:
        raise ExchangeError("Enter a name for the panel.", {"name": "Enter a name for the panel"})
    try:
        return scoring.panel_create(
            actor=actor,
            scheme=round_.scheme,
            owner=round_,
            name=name,
            reviews_needed=reviews_needed,
        )
    except ScoringError as error:
        raise _from_scoring(error) from error


def shortlist_panel_member_invite(*, actor, panel: Panel, email: str, role=PanelRole.REVIEWER):
    """Staff put someone on a shortlisting panel by email, and they are told that they must set
    up two-factor authentication to start (`workspace_member_invite`). Proposals their own team
    wrote are never given to them."""
    panel_round(panel)
    return scoring.workspace_member_invite(
        PROPOSAL_PANELS, actor=actor, panel=panel, email=email, role=role
    )


# Assignments -----------------------------------------------------------------------------------


def shortlisting_started(round_: Round) -> bool:
    return round_.scheme_id is not None and round_.scheme.is_locked


@transaction.atomic
def proposal_assignments_distribute(
    *, actor, panel: Panel, now=None, rng: random.Random | None = None
) -> Distribution:
    """Share the round's proposals (stage PROPOSAL) out to the panel's reviewers evenly, each
    to `panel.reviews_needed` of them, never to a reviewer on the proposal's team or one who
    declared a conflict. Only after proposals close. Starts shortlisting: the round's criteria
    lock. Idempotent (proposals already given out are not given again).

    Each reviewer who got new proposals is told once, with how many (not once per proposal),
    as they chose for `EXCHANGE_REVIEW_ASSIGNMENT`; the emails go out only if this commits.
    Queries do not grow with the number of proposals, only with the reviewers told."""
    require_exchange_perm(actor, "exchange.manage_rounds")
    round_ = (
        Round.objects.select_for_update(of=("self",))
        .select_related("scheme")
        .get(pk=panel_round(panel).pk)
    )
    now = now or timezone.now()
    if now < round_.proposals_close_at:
        raise ExchangeError(
            "Proposals close on "
            f"{uk_datetime(round_.proposals_close_at)}. You can share them out after that."
        )
    if not panel.members.filter(role=PanelRole.REVIEWER).exists():
        raise ExchangeError("Add reviewers to the panel first.")
    proposals = list(round_.proposals.filter(stage=Stage.PROPOSAL).order_by("created_at", "id"))
    scoring.scheme_lock(actor=actor, scheme=round_.scheme)
    return scoring.workspace_distribute(
        PROPOSAL_PANELS, actor=actor, panel=panel, subjects=proposals, rng=rng
    )


REASSIGN_REFUSED = {
    AssignmentStatus.SUBMITTED: "This review has been submitted, so it cannot be given to "
    "someone else.",
    AssignmentStatus.CONFLICT: "{reviewer} declared a conflict of interest, so the proposal "
    "has already gone to someone else.",
    AssignmentStatus.WITHDRAWN: "This review has already been given to someone else.",
}


@transaction.atomic
def proposal_assignment_reassign(*, actor, assignment: Assignment, to_user) -> Assignment:
    """Staff give an unfinished review (to review, not yet submitted) to another reviewer of
    the same panel, e.g. when the reviewer is ill or declares a conflict late. Rules:
    - only an Exchange proposal's assignment still to review (a submitted, conflicted or
      already reassigned one is refused, saying which);
    - never to someone who is not a reviewer on the panel, who is on the proposal's team,
      who declared a conflict with it or who already holds it (the kit's rules, with the
      team passed as its exclusion); someone it was taken from before may have it back.
    The kit withdraws the old assignment and creates (or reinstates) the new one, auditing
    both; one more audit row on the proposal records the hand-over in the proposal's own
    terms. The new reviewer is told, naming the proposal and linking to the review, as they
    chose for `EXCHANGE_REVIEW_ASSIGNMENT` (after commit); the reviewer it was taken from is
    not."""
    require_exchange_perm(actor, "exchange.manage_rounds")
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("panel", "reviewer")
        .get(pk=assignment.pk)
    )
    proposal = None
    if (
        assignment.subject_type_id == ContentType.objects.get_for_model(Proposal).pk
        and assignment.panel.owner_type_id == round_type().pk
    ):
        proposal = Proposal.objects.filter(
            pk=assignment.subject_id, round_id=assignment.panel.owner_id
        ).first()
    if proposal is None:
        raise ExchangeError("This is not a review of a Q Exchange proposal.")
    if assignment.status in REASSIGN_REFUSED:
        raise ExchangeError(
            REASSIGN_REFUSED[assignment.status].format(reviewer=assignment.reviewer)
        )
    new = scoring.workspace_reassign(
        PROPOSAL_PANELS, actor=actor, assignment=assignment, to_user=to_user
    )
    audit_record(
        actor=actor,
        action="exchange_proposal.review_reassign",
        target=proposal,
        data={
            "panel": assignment.panel_id,
            "from": assignment.reviewer_id,
            "to": to_user.pk,
            "assignment": assignment.pk,
            "new_assignment": new.pk,
        },
    )
    return new


def proposal_review_submit(
    *, actor, assignment: Assignment, scores: Sequence[ScoreInput], recommendation: str, comment=""
) -> Review:
    return scoring.workspace_review_submit(
        PROPOSAL_PANELS,
        actor=actor,
        assignment=assignment,
        scores=scores,
        recommendation=recommendation,
        comment=comment,
    )
