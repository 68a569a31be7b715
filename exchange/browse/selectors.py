"""Reads for browsing Q Exchange: the rounds on `/exchange/`, one round's page with its proposal
cards (filtered, searched, counted in SQL), its feed, the staff's list of rounds, and the home
page's "waiting for you" (`exchange.browse.home`). Every read starts from
`exchange.rounds.selectors` and `exchange.proposals.selectors`, so unpublished rounds stay with
staff.

Each page costs a fixed number of queries however many proposals a round holds. The cards of a
page are read first (walking exchange_prop_round_new_idx, or ranked by the search), then their
counts of visible comments and of supporters in one more query for those cards only, using the
indexes on exchange_comment (proposal_id) and exchange_support (proposal, user): counting in the
page query itself would count every row skipped by OFFSET on a deep page too."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from members.models import Topic
from qcommunity.core.formatting import uk_date
from qcommunity.core.taxonomy import Region

from ..comments.models import Comment
from ..proposals.enums import DECIDED_STAGES, Stage, TeamRole
from ..proposals.models import ProgressUpdate, Proposal, TeamMember
from ..proposals.selectors import (
    outcomes_announced,
    proposals_visible_to,
    sees_outcomes_early,
    with_shown_stage,
)
from ..rounds.models import Round
from ..rounds.selectors import rounds_visible_to
from ..voting.models import Ballot, BallotChoice, Support
from ..voting.selectors import RESULT_STAGES, results_visible

# What a card shows, and nothing else (answers and descriptions are long).
CARD_FIELDS = (
    "slug",
    "title",
    "summary",
    "stage",
    "created_at",
    "updated_at",
    "round_id",
    "theme__name",
    "theme__position",
    "lead__full_name",
    "lead__preferred_name",
    "lead__email",
)


def _count_subquery(model, **filters) -> Coalesce:
    counted = (
        model.objects.filter(proposal_id=OuterRef("pk"), **filters)
        .order_by()
        .values("proposal_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_card_counts(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """`comment_count` (comments not hidden by a moderator nor removed with their author's
    account) and `supporter_count`."""
    return qs.annotate(
        comment_count=_count_subquery(Comment, hidden_at__isnull=True, removed_at__isnull=True),
        supporter_count=_count_subquery(Support),
    )


def proposal_cards(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Shape a filtered proposal queryset for cards: one query for a page of them. Their
    counts come from `card_counts_attach` once the page is cut."""
    return qs.select_related("theme", "lead").only(*CARD_FIELDS)


def card_counts_attach(proposals: list[Proposal]) -> list[Proposal]:
    """Set `comment_count` and `supporter_count` on a page of cards, in one query."""
    if not proposals:
        return proposals
    counts = {
        pk: (comments, supporters)
        for pk, comments, supporters in with_card_counts(
            Proposal.objects.filter(pk__in=[p.pk for p in proposals]).order_by()
        ).values_list("pk", "comment_count", "supporter_count")
    }
    for proposal in proposals:
        proposal.comment_count, proposal.supporter_count = counts.get(proposal.pk, (0, 0))
    return proposals


def proposal_search(qs: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """Full-text search on `search_vector` (titles, summaries, topics, answers) in web-search
    syntax: words, "a phrase", or, -not. Annotates `rank`."""
    text = " ".join(text.split())[:200]
    if not text:
        return qs
    query = SearchQuery(text, config="english", search_type="websearch")
    return qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


# Rounds ----------------------------------------------------------------------------------------


@dataclass
class RoundGroups:
    current: list[Round] = field(default_factory=list)
    past: list[Round] = field(default_factory=list)
    future: list[Round] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.current or self.past or self.future)


def _with_round_counts(qs: QuerySet[Round], *, early: bool, now) -> QuerySet[Round]:
    """Counts of proposals, ideas and funded projects; funded ones only once the round has
    announced its decisions, unless `early` (moderators and staff)."""
    live = ~Q(proposals__stage=Stage.WITHDRAWN)
    funded = Q(proposals__stage=Stage.FUNDED)
    if not early:
        funded &= Q(decisions_at__lte=now)
    return with_round_history(qs).annotate(
        proposal_count=Count("proposals", filter=live),
        idea_count=Count("proposals", filter=Q(proposals__stage=Stage.IDEA)),
        funded_count=Count("proposals", filter=funded),
    )


def with_round_history(qs: QuerySet[Round]) -> QuerySet[Round]:
    """`had_ballots` and `had_decisions` (a proposal funded or not funded): what happened in the
    round, so its status sentence follows it (no "Decisions were announced" for a round that
    made none)."""
    return qs.annotate(
        had_ballots=Exists(Ballot.objects.filter(round_id=OuterRef("pk")))
        | Exists(Proposal.objects.filter(round_id=OuterRef("pk"), imported_votes__isnull=False)),
        had_decisions=Exists(
            Proposal.objects.filter(
                round_id=OuterRef("pk"), stage__in=[Stage.FUNDED, Stage.NOT_FUNDED]
            )
        ),
    )


def round_groups_for_viewer(user, now=None) -> RoundGroups:
    """The rounds on `/exchange/` in one query: current ones (opened, decisions not yet made)
    first, newest year first; then past rounds, newest first; then rounds announced for the
    future, soonest first. Each carries its counts of proposals (withdrawn ones left out),
    ideas and funded projects."""
    now = now or timezone.now()
    groups = RoundGroups()
    rounds = _with_round_counts(rounds_visible_to(user), early=sees_outcomes_early(user), now=now)
    for round_ in rounds.order_by("-year"):
        if round_.opens_at > now:
            groups.future.append(round_)
        elif round_.decisions_at <= now:
            groups.past.append(round_)
        else:
            groups.current.append(round_)
    groups.future.sort(key=lambda r: r.opens_at)
    return groups


def round_get_for_viewer(*, user, year: int) -> Round:
    """The round of `year` with its themes (two queries), or 404 if `user` may not see it."""
    round_ = (
        with_round_history(rounds_visible_to(user))
        .prefetch_related("themes")
        .filter(year=year)
        .first()
    )
    if round_ is None:
        raise Http404
    return round_


def round_topics(round_: Round) -> list[Topic]:
    """The topics the round's proposals use, by name: the choices of the topic filter."""
    return list(
        Topic.objects.filter(proposals__round=round_)
        .distinct()
        .order_by("name")
        .only("name", "slug")
    )


def round_proposals(round_: Round, *, user=None, now=None) -> QuerySet[Proposal]:
    """The proposals of a round the viewer may see: all of them, since `round_` came from
    `round_get_for_viewer`, each with the stage `user` sees at `now` (`shown_stage`, which the
    stage filter uses: a funding outcome stays out of filters until it is announced)."""
    return with_shown_stage(
        Proposal.objects.filter(round=round_), user=user, now=now, round_=round_
    )


def round_feed_items(round_: Round, limit: int = 50, *, user=None) -> list[Proposal]:
    """The round's newest ideas and proposals for its feed (withdrawn ones left out), with the
    stage `user` sees."""
    return list(
        with_shown_stage(Proposal.objects.filter(round=round_), user=user, round_=round_)
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("theme", "lead")
        .only(*CARD_FIELDS)
        .order_by("-created_at", "-id")[:limit]
    )


def round_feed_updates(round_: Round, limit: int = 50, *, user=None) -> list[ProgressUpdate]:
    """The newest progress updates of the round's funded projects for its feed, each with its
    proposal; none while the round still holds its funding outcomes back (unless `user` is a
    moderator or staff). One query."""
    if not (outcomes_announced(round_) or sees_outcomes_early(user)):
        return []
    return list(
        ProgressUpdate.objects.filter(proposal__round=round_, proposal__stage=Stage.FUNDED)
        .select_related("proposal", "proposal__theme", "author")
        .order_by("-created_at", "-id")[:limit]
    )


# Staff -----------------------------------------------------------------------------------------


def round_list_for_staff() -> QuerySet[Round]:
    """Every round, newest year first, with its counts (one query)."""
    return _with_round_counts(Round.objects.all(), early=True, now=timezone.now()).order_by("-year")


# A round's proposals, votes and outcomes as a CSV (staff) ----------------------------------------
#
# One row per idea or proposal, with only what the privacy notice ("Selecting members and running
# Q Exchange") says staff may download to run the programme. Each column and why it is allowed:
#
# - Title, Stage, Theme, Regions, Team lead, Proposal page: what the proposal's public page shows
#   (the stage as recorded, so staff see outcomes before the round announces them, as they do on
#   the site).
# - Team size: people on the team (lead, named members, co-authors who accepted), not who they are.
# - Supporters, Comments: counts, as on the round's cards (comments hidden or removed left out).
# - Votes: the total only, once voting has closed and for proposals that stood on the ballot, as
#   the results page shows it. A ballot is secret: nothing says who voted, or for what.
# - Shortlisted, Shortlisted on, Funding decision, Decided on: the moderators' decisions and
#   their dates.
#
# Never in it: anyone's email address, team members' names, supporters, commenters or voters,
# the answers, comments or the moderators' reasons, or who made a decision.

PROPOSAL_EXPORT_COLUMNS = [
    "Title",
    "Stage",
    "Theme",
    "Regions",
    "Team lead",
    "Team size",
    "Supporters",
    "Comments",
    "Votes",
    "Shortlisted",
    "Shortlisted on",
    "Funding decision",
    "Decided on",
    "Proposal page",
]
_EXPORT_FIELDS = (
    "title", "slug", "stage", "regions", "shortlisted_at", "decided_at",
    "theme__name", "lead__full_name", "lead__preferred_name",
)  # fmt: skip


def round_export_proposals(round_: Round) -> QuerySet[Proposal]:
    """Every idea and proposal of `round_` (withdrawn ones too), oldest first: what
    `ProposalExportFilter` narrows."""
    return Proposal.objects.filter(round=round_).order_by("created_at", "id")


def round_export_rows(round_: Round, proposals: QuerySet[Proposal]) -> Iterator[list]:
    """One row per proposal of `proposals` (from `round_export_proposals`, maybe filtered)
    under `PROPOSAL_EXPORT_COLUMNS`. One query, whatever the number of proposals: the counts are
    subqueries on indexed columns (exchange_comment_prop_idx, exchange_support_once,
    exchange_choice_proposal_idx, the team's proposal key)."""
    team = (
        TeamMember.objects.filter(proposal_id=OuterRef("pk"))
        .exclude(role=TeamRole.CO_AUTHOR, accepted_at__isnull=True)
        .order_by()
        .values("proposal_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    counted = with_card_counts(proposals).annotate(
        team_size=Coalesce(Subquery(team, output_field=IntegerField()), Value(0)),
        vote_count=_count_subquery(BallotChoice),
    )
    votes_shown = results_visible(round_)
    stages = dict(Stage.choices)
    regions = dict(Region.choices)
    site = settings.SITE_URL.rstrip("/")
    rows = counted.values_list(
        *_EXPORT_FIELDS, "team_size", "supporter_count", "comment_count", "vote_count"
    )
    for (
        title, slug, stage, proposal_regions, shortlisted_at, decided_at, theme, full_name,
        preferred_name, team_size, supporters, comments, votes,
    ) in rows.iterator(chunk_size=500):  # fmt: skip
        decided = stage in DECIDED_STAGES
        yield [
            title,
            stages.get(stage, stage),
            theme,
            "; ".join(regions.get(code, code) for code in proposal_regions),
            full_name or preferred_name,
            team_size,
            supporters,
            comments,
            votes if votes_shown and stage in RESULT_STAGES else "",
            "Yes" if shortlisted_at else "No",
            uk_date(shortlisted_at) if shortlisted_at else "",
            stages[stage] if decided else "",
            uk_date(decided_at) if decided and decided_at else "",
            site + reverse("exchange:proposal-detail", kwargs={"slug": slug}),
        ]


def idea_action_for(user, round_: Round, now=None) -> str:
    """What a round's pages offer this viewer about posting an idea: "post" (a member, while the
    round takes ideas), "join" (signed in but not a member), "sign_in" (a visitor), or "" when
    the round takes no ideas now. Pages cached for visitors only ever hold "sign_in" or ""."""
    if not round_.accepts_ideas(now):
        return ""
    if not (user and user.is_authenticated):
        return "sign_in"
    return "post" if user.has_perm("exchange.create_proposal") else "join"


def proposals_of_member(user, limit: int = 20) -> list[Proposal]:
    """The ideas and proposals `user` leads or co-authors (accepted), newest round first, each
    with its round, for the Exchange home's "Your ideas and proposals" (withdrawn ones left out).
    One query, whatever the number."""
    if not user.is_authenticated:
        return []
    on_team = Q(lead_id=user.pk) | Exists(
        TeamMember.objects.filter(
            proposal_id=OuterRef("pk"), user_id=user.pk, accepted_at__isnull=False
        )
    )
    return list(
        proposals_visible_to(user)
        .filter(on_team)
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("round")
        .order_by("-round__year", "title", "pk")[:limit]
    )


# Comments older than this are not "new", whatever the team last did.
NEW_COMMENT_DAYS = 30


def rounds_ahead(user, now: dt.datetime) -> QuerySet[Round]:
    """Published rounds whose decisions are still to come (running or announced), soonest
    first, each with `has_ballot`: whether `user` has a ballot in it."""
    return (
        rounds_visible_to(user)
        .filter(published_at__isnull=False, decisions_at__gt=now)
        .annotate(
            has_ballot=Exists(Ballot.objects.filter(round_id=OuterRef("pk"), voter_id=user.pk))
        )
        .order_by("opens_at", "year")
    )


def team_proposals_with_news(user, now: dt.datetime) -> list[Proposal]:
    """The ideas and proposals `user` leads or co-authors (accepted), in rounds still running,
    each with its round and `new_comment_count`: comments by other people, not hidden or
    removed, posted in the last NEW_COMMENT_DAYS days and after `user`'s own latest comment on
    it (a reply answers what came before)."""
    my_last = (
        Comment.objects.filter(proposal_id=OuterRef("pk"), author_id=user.pk)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    editor = Q(lead_id=user.pk) | Exists(
        TeamMember.objects.filter(
            proposal_id=OuterRef("pk"),
            user_id=user.pk,
            role=TeamRole.CO_AUTHOR,
            accepted_at__isnull=False,
        )
    )
    news = (
        Q(comments__created_at__gte=now - dt.timedelta(days=NEW_COMMENT_DAYS))
        & ~Q(comments__author_id=user.pk)
        & Q(comments__hidden_at__isnull=True, comments__removed_at__isnull=True)
        & (Q(last_mine__isnull=True) | Q(comments__created_at__gt=F("last_mine")))
    )
    return list(
        Proposal.objects.filter(editor, round__decisions_at__gt=now)
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("round")
        .annotate(last_mine=Subquery(my_last))
        .annotate(new_comment_count=Count("comments", filter=news))
        .order_by("round__year", "title", "pk")
    )
