"""Reads of Q Exchange shortlisting that only it has: who may not review which proposal (its
team), the proposals a panel scores with their engagement, and counts for staff. The
workspace's reads (a reviewer's panels and assignments, the overview's table, the staff panel
page) are the kit's (`qcommunity.scoring.selectors`, with `kind.PROPOSAL_PANELS`).

Engagement, as the panel sees it beside the scores (`with_engagement`), counts only comments
still shown:
- comments received: comments and replies on the proposal by people outside its team;
- team replies: replies by the team (lead, named members, co-authors who accepted) to a
  comment by someone outside the team;
- edits after feedback: saves of the proposal's content by its team (`ProposalEdit`) after the
  first comment from someone outside the team;
- supporters and votes: shown once voting has closed."""

from collections import defaultdict
from collections.abc import Callable, Collection

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

from qcommunity.scoring.models import Assignment, Panel

from ..comments.models import Comment
from ..proposals.enums import TeamRole
from ..proposals.models import Proposal, ProposalEdit, TeamMember
from ..rounds.models import Round
from ..voting.models import BallotChoice, Support


def _proposal_type() -> ContentType:
    return ContentType.objects.get_for_model(Proposal)


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


def proposals_to_shortlist_count(round_: Round) -> int:
    return round_.proposals.filter(stage="proposal").count()


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


def proposal_exclusion(proposal_ids: Collection[int]) -> Callable[[int, int], bool]:
    """Pairs never assigned: a reviewer and a proposal whose team they are on (lead, co-author,
    invited or not, or named member). Two queries, however many pairs are asked. Declared
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


def panels_before_announcement(now) -> list[Panel]:
    """The shortlisting panels of rounds whose decisions are not announced yet, with how many
    reviews are done (`done`) and still to do (`outstanding`), for moderators' home page. One
    query, plus one for the rounds."""
    rounds = Round.objects.filter(decisions_at__gt=now)
    panels = list(
        Panel.objects.filter(
            owner_type=ContentType.objects.get_for_model(Round),
            owner_id__in=rounds.values("pk"),
        )
        .annotate(
            done=Count("assignments", filter=Q(assignments__status="submitted")),
            outstanding=Count("assignments", filter=Q(assignments__status="assigned")),
        )
        .order_by("owner_id", "name")
    )
    by_id = Round.objects.in_bulk({p.owner_id for p in panels})
    for panel in panels:
        panel.round = by_id[panel.owner_id]
    return panels


def panels_overdue(now) -> list[Panel]:
    """Shortlisting panels past their deadline with reviews still to do (`outstanding`), each
    with `.round`. A panel's reviews are due when voting closes (the moderators' funding
    decisions weigh the scores beside the votes); once the round's decisions are announced
    they are no longer waited for. Two queries."""
    rounds = Round.objects.filter(voting_closes_at__lte=now, decisions_at__gt=now)
    panels = list(
        Panel.objects.filter(
            owner_type=ContentType.objects.get_for_model(Round),
            owner_id__in=rounds.values("pk"),
        )
        .annotate(outstanding=Count("assignments", filter=Q(assignments__status="assigned")))
        .filter(outstanding__gt=0)
        .order_by("owner_id", "name")
    )
    by_id = Round.objects.in_bulk({p.owner_id for p in panels}) if panels else {}
    for panel in panels:
        panel.round = by_id[panel.owner_id]
    return panels
