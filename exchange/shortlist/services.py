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

Kit refusals (`ScoringError`) become `ExchangeError`s with the same field errors."""

import random
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.panels.selectors import NO_CONFLICT_ACTION, assignment_conflict_confirmed
from qcommunity.audit.services import audit_record
from qcommunity.core.formatting import uk_datetime
from qcommunity.notifications.services import notify
from qcommunity.outbox.services import email_queue_template
from qcommunity.scoring import services as scoring
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, Panel, PanelMember, Review, Scheme
from qcommunity.scoring.services import (
    CriterionSpec,
    Distribution,
    ScalePointSpec,
    ScoreInput,
    ScoringError,
)

from ..proposals.enums import Stage
from ..proposals.models import Proposal, TeamMember
from ..rounds.models import Round
from ..rounds.services import ExchangeError, require_exchange_perm
from .notifications import EXCHANGE_REVIEW_ASSIGNMENT

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


@transaction.atomic
def shortlist_panel_member_invite(
    *, actor, panel: Panel, email: str, role: str = PanelRole.REVIEWER
) -> PanelMember:
    """Put the person with the account `email` on the panel as reviewer or chair, and email
    them (once, when first added) that they must set up two-factor authentication to start.
    Staff only. Proposals their own team wrote are never given to them."""
    require_exchange_perm(actor, "exchange.manage_rounds")
    round_ = panel_round(panel)
    email = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise ExchangeError(
            "No one has an account with that email address. Ask them to create an account "
            "first, then add them.",
            {"email": "Enter the email address of someone with an account"},
        )
    already = panel.members.filter(user=user).exists()
    try:
        member = scoring.panel_member_add(actor=actor, panel=panel, user=user, role=role)
    except (ScoringError, ValueError) as error:
        raise ExchangeError(str(error)) from error
    if not already:
        email_queue_template(
            to=user.email,
            kind="exchange_panel_invitation",
            related=panel,
            context={
                "name": user.display_name,
                "panel_name": panel.name,
                "round_name": round_.name,
                "role": "its chair" if member.role == PanelRole.CHAIR else "a reviewer",
                "proposals_close_at": uk_datetime(round_.proposals_close_at),
                "panels_url": f"{settings.SITE_URL}{reverse('exchange:shortlist-panels')}",
            },
        )
    return member


# Assignments -----------------------------------------------------------------------------------


def proposal_exclusion(proposal_ids: Collection[int]) -> Callable[[int, int], bool]:
    """Pairs never assigned: a reviewer and a proposal whose team they are on (lead, co-author,
    invited or not, or named member). One query, however many pairs are asked. Declared
    conflicts are kept out by the kit itself."""
    team: dict[int, set[int]] = defaultdict(set)
    for proposal_id, user_id in TeamMember.objects.filter(
        proposal_id__in=list(proposal_ids), user__isnull=False
    ).values_list("proposal_id", "user_id"):
        team[proposal_id].add(user_id)
    for proposal_id, lead_id in Proposal.objects.filter(pk__in=list(proposal_ids)).values_list(
        "pk", "lead_id"
    ):
        team[proposal_id].add(lead_id)

    def excluded(reviewer_id: int, proposal_id: int) -> bool:
        return reviewer_id in team.get(proposal_id, ())

    return excluded


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
    try:
        result = scoring.assignments_distribute(
            actor=actor,
            panel=panel,
            subjects=proposals,
            excluded=proposal_exclusion([p.pk for p in proposals]),
            rng=rng,
        )
    except ScoringError as error:
        raise _from_scoring(error) from error
    _notify_reviewers_given(panel=panel, round_=round_, assignments=result.created)
    return result


def _notify_reviewers_given(*, panel: Panel, round_: Round, assignments: list[Assignment]):
    """One message per reviewer with new assignments, saying how many, linking to their page
    for the panel. The reviewers come with the assignments (the kit loads them once), so this
    costs only what notify() needs for each reviewer."""
    url = reverse("exchange:shortlist-panel", kwargs={"pk": panel.pk})
    for reviewer, count in scoring.reviewers_given(assignments):
        notify(
            user=reviewer,
            kind=EXCHANGE_REVIEW_ASSIGNMENT,
            subject=f"{count} Q Exchange proposal{'' if count == 1 else 's'} given to you to "
            "review",
            template="exchange/notifications/review_assignment.txt",
            context={"count": count, "panel": panel, "round": round_},
            related=panel,
            url=url,
        )


def _notify_review_handed_over(*, new: Assignment, proposal: Proposal) -> None:
    """The reviewer who takes over someone else's review (staff reassigned it, or the reviewer
    declared a conflict) is told, naming the proposal and linking to the review."""
    notify(
        user=new.reviewer,
        kind=EXCHANGE_REVIEW_ASSIGNMENT,
        subject=f"\u201c{proposal.title}\u201d given to you to review",
        template="exchange/notifications/review_reassign.txt",
        context={"proposal": proposal, "panel": new.panel},
        related=new,
        url=reverse("exchange:shortlist-assignment", kwargs={"pk": new.pk}),
    )


@transaction.atomic
def proposal_assignment_confirm_no_conflict(*, actor, assignment: Assignment) -> None:
    """The reviewer says they have no conflict of interest with the proposal's team, which opens
    it for scoring. Recorded once as an audit row; saying it again changes nothing."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if actor is None or assignment.reviewer_id != actor.pk:
        raise ExchangeError("Only the reviewer it was given to can do that.")
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise ExchangeError("This review is no longer yours to start.")
    if not assignment_conflict_confirmed(assignment):
        audit_record(
            actor=actor,
            action=NO_CONFLICT_ACTION,
            target=assignment,
            data={"subject": assignment.subject_id},
        )


@transaction.atomic
def proposal_assignment_declare_conflict(
    *, actor, assignment: Assignment, reason: str
) -> Assignment | None:
    """The reviewer declares a conflict; the proposal goes to the least-loaded other eligible
    reviewer (never one on its team), who is told. None when nobody is left (staff then add a
    reviewer)."""
    try:
        new = scoring.assignment_declare_conflict(
            actor=actor,
            assignment=assignment,
            reason=reason,
            excluded=proposal_exclusion([assignment.subject_id]),
        )
    except ScoringError as error:
        raise _from_scoring(error) from error
    if new is not None:
        _notify_review_handed_over(new=new, proposal=Proposal.objects.get(pk=new.subject_id))
    return new


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
    try:
        new = scoring.assignment_reassign(
            actor=actor,
            assignment=assignment,
            to_user=to_user,
            excluded=proposal_exclusion([assignment.subject_id]),
        )
    except ScoringError as error:
        raise _from_scoring(error) from error
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
    _notify_review_handed_over(new=new, proposal=proposal)
    return new


@transaction.atomic
def proposal_review_submit(
    *, actor, assignment: Assignment, scores: Sequence[ScoreInput], recommendation: str, comment=""
) -> Review:
    """The reviewer submits their scores (the kit checks the scale, completeness and that it
    is theirs and not sent before), once they have said they have no conflict."""
    if assignment.status == AssignmentStatus.ASSIGNED and not assignment_conflict_confirmed(
        assignment
    ):
        raise ExchangeError("Answer the conflict of interest question first.")
    try:
        return scoring.review_submit(
            actor=actor,
            assignment=assignment,
            scores=scores,
            recommendation=recommendation,
            comment=comment,
        )
    except ScoringError as error:
        raise _from_scoring(error) from error
