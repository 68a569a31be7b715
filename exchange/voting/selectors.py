"""Reads for supporting and voting in Q Exchange: supporters, a member's ballot, the results
(only once voting has closed: before that nobody, staff included, sees counts) and turnout."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User

from ..proposals.enums import Stage
from ..proposals.models import Proposal
from ..proposals.selectors import proposals_visible_to, with_shown_stage
from ..rounds.models import Round
from ..rounds.selectors import rounds_visible_to
from .models import Ballot, BallotChoice, Support
from .rules import may_vote

# Proposals that appear in the results: every full proposal that was not withdrawn.
RESULT_STAGES = (Stage.PROPOSAL, Stage.SHORTLISTED, Stage.FUNDED, Stage.NOT_FUNDED)


def round_get_for_year(*, user, year: int) -> Round:
    """The round of `year` if `user` may see it, with its themes; 404 otherwise."""
    round_ = rounds_visible_to(user).filter(year=year).prefetch_related("themes").first()
    if round_ is None:
        raise Http404
    return round_


def _is_member(user) -> bool:
    return may_vote(user)


# Supporting ------------------------------------------------------------------------------------


def supported_proposals_for(user) -> QuerySet[Proposal]:
    """The proposals `user` supports that they may still see, most recently supported first,
    each with the stage `user` sees (`shown_stage`)."""
    mine = Support.objects.filter(user=user, proposal=OuterRef("pk")).values("created_at")[:1]
    return (
        with_shown_stage(proposals_visible_to(user), user=user)
        .annotate(supported_at=Subquery(mine))
        .filter(supported_at__isnull=False)
        .select_related("round", "theme")
        # Counted apart from the viewer's own support, so every supporter counts.
        .annotate(supporters=Count("supports"))
        .order_by("-supported_at", "-id")
    )


# Ballots ---------------------------------------------------------------------------------------


def ballot_for(*, user, round_: Round) -> Ballot | None:
    """`user`'s ballot in `round_` with its choices (proposal and theme), or None. Two queries."""
    if not (user and user.is_authenticated):
        return None
    return (
        Ballot.objects.filter(round=round_, voter=user)
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=BallotChoice.objects.select_related("proposal").order_by(
                    "proposal__title", "proposal_id"
                ),
            )
        )
        .first()
    )


def ballot_by_theme(round_: Round, ballot: Ballot | None) -> list[tuple]:
    """(theme, [proposals chosen]) for every theme of the round, in order (themes prefetched)."""
    chosen: dict[int, list[Proposal]] = {}
    if ballot is not None:
        for choice in ballot.choices.all():
            chosen.setdefault(choice.theme_id, []).append(choice.proposal)
    return [(theme, chosen.get(theme.pk, [])) for theme in round_.themes.all()]


# Results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    proposal: Proposal
    votes: int
    rank: int


def results_visible(round_: Round, now=None) -> bool:
    """Counts are shown only once voting has closed, to everyone alike."""
    return round_.is_published() and round_.voting_closed(now)


def round_results(round_: Round, *, user=None) -> list[tuple]:
    """(theme, [ResultRow]) for each theme: its proposals by votes, most first, with ranks that
    share a place on a tie, each with the stage `user` sees (`shown_stage`). Empty until voting
    closes. One query (themes prefetched). An imported proposal's votes are its stored total
    (plus any ballot here); proposals of an imported round without themes come under None."""
    if not results_visible(round_):
        return []
    proposals = (
        with_shown_stage(
            Proposal.objects.filter(round=round_, stage__in=RESULT_STAGES),
            user=user,
            round_=round_,
        )
        .annotate(n_votes=Count("votes") + Coalesce(F("imported_votes"), 0))
        .only("id", "slug", "title", "summary", "stage", "theme_id", "round_id")
        .order_by("-n_votes", "title", "id")
    )
    rows: dict[int | None, list[ResultRow]] = {}
    for proposal in proposals:
        theme_rows = rows.setdefault(proposal.theme_id, [])
        if theme_rows and theme_rows[-1].votes == proposal.n_votes:
            rank = theme_rows[-1].rank
        else:
            rank = len(theme_rows) + 1
        theme_rows.append(ResultRow(proposal=proposal, votes=proposal.n_votes, rank=rank))
    themed = [(theme, rows.get(theme.pk, [])) for theme in round_.themes.all()]
    return themed + ([(None, rows[None])] if None in rows else [])


def proposal_votes(proposal: Proposal) -> int | None:
    """The proposal's votes once voting in its round has closed; None before, for ideas and
    withdrawn proposals (they were not on the ballot), and in a round where nobody voted (it
    never had a vote to count). One query."""
    if proposal.stage not in RESULT_STAGES or not results_visible(proposal.round):
        return None
    counts = Ballot.objects.filter(round_id=proposal.round_id).aggregate(
        ballots=Count("id", distinct=True),
        votes=Count("choices", filter=Q(choices__proposal_id=proposal.pk)),
    )
    if proposal.imported_votes is not None:  # the total it had on the earlier site
        return proposal.imported_votes + counts["votes"]
    return counts["votes"] if counts["ballots"] else None


def round_had_ballots(round_: Round) -> bool:
    """Whether anyone voted: a ballot here, or votes imported from the earlier site."""
    return (
        Ballot.objects.filter(round=round_).exists()
        or Proposal.objects.filter(round=round_, imported_votes__isnull=False).exists()
    )


# Turnout ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turnout:
    ballots: int
    eligible: int
    percentage: float | None
    by_day: list[tuple[dt.date, int, int]]  # (day, ballots first cast that day, running total)


def eligible_voters() -> QuerySet[User]:
    """Members who may vote: active accounts with the member role."""
    return User.objects.filter(is_active=True, roles__role=Role.MEMBER).distinct()


def round_turnout(round_: Round) -> Turnout:
    """Ballots cast in `round_` by members who may vote now, those members, the percentage, and
    those ballots by the day they were first cast. One population: a ballot whose voter has
    since stopped being a member counts in neither number. Three queries."""
    ballots = Ballot.objects.filter(round=round_, voter__in=eligible_voters())
    total = ballots.count()
    eligible = eligible_voters().count()
    days = (
        ballots.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    running, by_day = 0, []
    for row in days:
        running += row["n"]
        by_day.append((row["day"], row["n"], running))
    percentage = round(100 * total / eligible, 1) if eligible else None
    return Turnout(ballots=total, eligible=eligible, percentage=percentage, by_day=by_day)


# The proposal page -----------------------------------------------------------------------------


def voting_context(proposal: Proposal, user) -> dict:
    """What the proposal page shows of supporting and voting: the supporters count, whether the
    viewer supports it and may, and the votes once voting has closed. Two or three queries."""
    is_member = _is_member(user)
    counts = Support.objects.filter(proposal=proposal).aggregate(
        total=Count("id"),
        mine=Count("id", filter=Q(user_id=user.pk) if is_member else Q(user__isnull=True)),
    )
    return {
        "supporters": counts["total"],
        "viewer_supports": bool(counts["mine"]),
        "can_support": is_member and proposal.stage != Stage.WITHDRAWN,
        "votes": proposal_votes(proposal),
        "voting_open": proposal.round.voting_open(),
        "can_vote": is_member,
    }
