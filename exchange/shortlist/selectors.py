"""Reads for Q Exchange shortlisting panels. Each selector owns its scoping: a reviewer reaches
only their own assignments on Exchange panels they sit on; the overview only the panel's own
proposals; anything else is DoesNotExist, which the views turn into 404. Who sees which scores
is decided once, in `qcommunity.scoring.selectors.subject_reviews_for_viewer`.

Engagement, as the panel sees it beside the scores (`with_engagement`), counts only comments
still shown:
- comments received: comments and replies on the proposal by people outside its team;
- team replies: replies by the team (lead, named members, co-authors who accepted) to a
  comment by someone outside the team;
- edits after feedback: saves of the proposal's content by its team (`ProposalEdit`) after the
  first comment from someone outside the team;
- supporters and votes: shown once voting has closed."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, Panel, PanelMember
from qcommunity.scoring.selectors import (
    memberships_with_counts,
    owner_panel_get,
    owner_panels_with_counts,
)

from ..comments.models import Comment
from ..proposals.enums import TeamRole
from ..proposals.models import Proposal, ProposalEdit, TeamMember
from ..rounds.models import Round
from ..voting.models import BallotChoice, Support


def _round_type() -> ContentType:
    return ContentType.objects.get_for_model(Round)


def _proposal_type() -> ContentType:
    return ContentType.objects.get_for_model(Proposal)


def _attach_rounds(panels) -> None:
    rounds = Round.objects.in_bulk({p.owner_id for p in panels})
    for panel in panels:
        panel.round = rounds.get(panel.owner_id)


def attach_proposals(assignments) -> list[Assignment]:
    """Each assignment with `.proposal` (round and theme loaded). One query."""
    assignments = list(assignments)
    proposals = Proposal.objects.select_related("round", "theme").in_bulk(
        {a.subject_id for a in assignments}
    )
    for assignment in assignments:
        assignment.proposal = proposals.get(assignment.subject_id)
    return assignments


# Engagement ------------------------------------------------------------------------------------


def _by_the_team(author_field: str) -> Q:
    """The comment's `author_field` (a user id) is on the comment's proposal's team."""
    on_team = TeamMember.objects.filter(
        proposal_id=OuterRef("proposal_id"), user_id=OuterRef(author_field)
    ).exclude(role=TeamRole.CO_AUTHOR, accepted_at__isnull=True)
    return Q(**{author_field: F("proposal__lead_id")}) | Q(Exists(on_team))


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("proposal_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_engagement(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """`proposals` annotated with `n_comments_received`, `n_team_replies`, `first_feedback_at`,
    `n_edits_after_feedback`, `n_supporters` and `n_votes` (definitions above): one query."""
    shown = Comment.objects.filter(proposal_id=OuterRef("pk"), hidden_at__isnull=True)
    from_outside = shown.exclude(_by_the_team("author_id"))
    team_replies = (
        shown.filter(parent__isnull=False, parent__hidden_at__isnull=True)
        .filter(_by_the_team("author_id"))
        .exclude(_by_the_team("parent__author_id"))
    )
    first_feedback = (
        from_outside.order_by().values("proposal_id").annotate(first=Min("created_at"))
    ).values("first")
    return proposals.annotate(
        n_comments_received=_count(from_outside),
        n_team_replies=_count(team_replies),
        first_feedback_at=Subquery(first_feedback),
        n_edits_after_feedback=_count(
            ProposalEdit.objects.filter(
                proposal_id=OuterRef("pk"), at__gt=OuterRef("first_feedback_at")
            )
        ),
        n_supporters=_count(Support.objects.filter(proposal_id=OuterRef("pk"))),
        n_votes=_count(BallotChoice.objects.filter(proposal_id=OuterRef("pk"))),
    )


# Staff -----------------------------------------------------------------------------------------


def round_panels_for_staff(round_: Round) -> list[Panel]:
    """A round's panels with member, chair and assignment counts, in one query."""
    return owner_panels_with_counts(round_)


def panel_get_for_staff(*, round_: Round, pk: int) -> Panel:
    return owner_panel_get(owner=round_, pk=pk)


def panel_assignments_for_staff(panel: Panel) -> list[Assignment]:
    """Every assignment on the panel with its reviewer and proposal. Two queries."""
    return attach_proposals(
        panel.assignments.select_related("reviewer").order_by("subject_id", "created_at", "id")
    )


def assignment_get_for_staff(*, panel: Panel, pk: int) -> Assignment:
    """One assignment of a proposal on `panel` (a panel staff reached through its round), with
    its reviewer and `.proposal`. DoesNotExist for an assignment of another panel."""
    assignment = panel.assignments.select_related("reviewer", "panel").get(
        pk=pk, subject_type=_proposal_type()
    )
    attach_proposals([assignment])
    return assignment


def reassign_candidates(assignment: Assignment) -> list[PanelMember]:
    """The panel's reviewers who could take `assignment`'s proposal: not anyone who holds it
    (to review or submitted) or declared a conflict with it, nor anyone on its team (the rules
    of `services.proposal_assignment_reassign`). Someone it was taken from before
    may have it back, but never an account that can no longer sign in. Ordered by name, with the
    user. One query whatever the number."""
    rows = Assignment.objects.filter(
        panel_id=assignment.panel_id,
        subject_type_id=assignment.subject_type_id,
        subject_id=assignment.subject_id,
        reviewer_id=OuterRef("user_id"),
    ).exclude(status=AssignmentStatus.WITHDRAWN)
    on_team = TeamMember.objects.filter(
        proposal_id=assignment.subject_id, user_id=OuterRef("user_id")
    )
    leads = Proposal.objects.filter(pk=assignment.subject_id, lead_id=OuterRef("user_id"))
    return list(
        PanelMember.objects.filter(
            panel_id=assignment.panel_id, role=PanelRole.REVIEWER, user__is_active=True
        )
        .exclude(Exists(rows))
        .exclude(Exists(on_team))
        .exclude(Exists(leads))
        .select_related("user")
        .order_by("user__full_name", "id")
    )


def proposals_to_shortlist_count(round_: Round) -> int:
    return round_.proposals.filter(stage="proposal").count()


# Reviewers -------------------------------------------------------------------------------------


def shortlist_memberships_for_user(user) -> list[PanelMember]:
    """The Exchange panels `user` sits on, newest round first, with their role and their own
    assignment counts (`n_outstanding`, `n_done`). Two queries whatever the number."""
    memberships = memberships_with_counts(user=user, owner_type=_round_type())
    _attach_rounds([m.panel for m in memberships])
    return memberships


def panel_get_for_member(*, user, pk: int) -> tuple[Panel, PanelMember]:
    """An Exchange panel `user` sits on (with `.round`) and their membership; DoesNotExist
    otherwise (staff included: reviewers' pages are the panel's own)."""
    panel = Panel.objects.select_related("scheme").get(pk=pk, owner_type=_round_type())
    membership = panel.members.filter(user_id=user.pk).first()
    if membership is None:
        raise Panel.DoesNotExist
    _attach_rounds([panel])
    return panel, membership


def panel_get_for_overview(*, user, pk: int) -> Panel:
    """An Exchange panel for its overview: the panel's chair, and moderators (who record the
    decisions); DoesNotExist for anyone else."""
    panel = Panel.objects.select_related("scheme").get(pk=pk, owner_type=_round_type())
    if not (
        user.has_perm("exchange.decide_proposal")
        or panel.members.filter(user_id=user.pk, role=PanelRole.CHAIR).exists()
    ):
        raise Panel.DoesNotExist
    _attach_rounds([panel])
    return panel


def reviewer_assignments(*, user, panel: Panel) -> list[Assignment]:
    """The reviewer's assignments on `panel`, oldest first, each with `.proposal`: live ones
    (to review, submitted) and those that left their list (a conflict they declared, with its
    reason, or given to someone else by staff). Two queries whatever the number."""
    return attach_proposals(
        Assignment.objects.filter(panel=panel, reviewer_id=user.pk).order_by("created_at", "id")
    )


def panel_conflicts(panel: Panel) -> list[Assignment]:
    """The conflicts of interest declared on the panel, oldest first, each with its reviewer,
    reason and `.proposal`: what the conflict form promises "staff and the panel chair see".
    Two queries whatever the number."""
    return attach_proposals(
        Assignment.objects.filter(panel=panel, status=AssignmentStatus.CONFLICT)
        .select_related("reviewer")
        .order_by("updated_at", "id")
    )


def assignment_get_for_reviewer(*, user, pk: int) -> Assignment:
    """One of `user`'s own assignments of a proposal on an Exchange panel they still sit on,
    with the panel, scheme, and `.proposal` (its answers loaded). DoesNotExist otherwise."""
    assignment = (
        Assignment.objects.select_related("panel", "panel__scheme")
        .filter(
            reviewer_id=user.pk,
            subject_type=_proposal_type(),
            panel__owner_type=_round_type(),
            panel__members__user_id=user.pk,
        )
        .get(pk=pk)
    )
    assignment.proposal = (
        Proposal.objects.select_related("round", "theme", "lead")
        .prefetch_related("answers__section")
        .get(pk=assignment.subject_id)
    )
    return assignment


def panel_proposals(panel: Panel) -> list[Proposal]:
    """The proposals given to the panel (any assignment), with engagement figures, in order
    of creation. One query."""
    given = Assignment.objects.filter(
        panel=panel, subject_type=_proposal_type(), subject_id=OuterRef("pk")
    )
    return list(
        with_engagement(Proposal.objects.filter(Exists(given)))
        .select_related("theme")
        .order_by("created_at", "id")
    )
