"""Reads for Q Exchange rounds and proposals. Proposals of published rounds are public pages:
anyone may read them, withdrawn ones included (marked so), so links never break. Rounds not yet
published, and their proposals, are seen by staff only; everyone else gets 404."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from members.directory.selectors import profiles_visible_to

from ..rounds.models import Round
from ..rounds.selectors import is_staff_viewer
from .enums import DECIDED_STAGES, Stage, TeamRole
from .models import Attachment, ProgressUpdate, Proposal, SectionAnswer, TeamMember


def proposals_visible_to(user) -> QuerySet[Proposal]:
    qs = Proposal.objects.all()
    if not is_staff_viewer(user):
        qs = qs.filter(round__published_at__isnull=False)
    return qs


# Outcomes ---------------------------------------------------------------------------------------
#
# A funding decision (funded, not funded) is recorded when the moderators make it and told to the
# team at once, but the round announces its outcomes together on `decisions_at`. Until then
# everyone else (visitors, members, the round's pages, filters, counts and feed) sees a decided
# proposal as it stood before the decision: shortlisted if it was, otherwise a proposal.
# Shortlisting is not held back: it is the stage on the way (shortlisted proposals stand on the
# ballot under that name), not an outcome.


def sees_outcomes_early(user) -> bool:
    """Moderators and staff read outcomes as soon as they are recorded."""
    return bool(user and user.is_authenticated and user.has_perm("exchange.decide_proposal"))


def outcomes_announced(round_: Round, now=None) -> bool:
    return (now or timezone.now()) >= round_.decisions_at


def _stage_before_decision(proposal: Proposal) -> str:
    return Stage.SHORTLISTED if proposal.shortlisted_at else Stage.PROPOSAL


def shown_stage(proposal: Proposal, *, user, now=None) -> str:
    """The stage `user` sees for `proposal` (its round loaded; its team prefetched or one
    query). The stored stage, except a funding outcome before the round announces it, which
    only the team, moderators and staff see."""
    if (
        proposal.stage not in DECIDED_STAGES
        or outcomes_announced(proposal.round, now)
        or sees_outcomes_early(user)
    ):
        return proposal.stage
    if user and user.is_authenticated and any(m.user_id == user.pk for m in proposal.team.all()):
        return proposal.stage
    return _stage_before_decision(proposal)


def with_shown_stage(
    qs: QuerySet[Proposal], *, user, now=None, round_: Round | None = None
) -> QuerySet[Proposal]:
    """Annotate `shown_stage`, the stage `user` sees (as `shown_stage` above), in SQL so that
    filters and counts use it too. With `round_` (every proposal of `qs` is in it) the round's
    date is read from it instead of joining the rounds."""
    now = now or timezone.now()
    if sees_outcomes_early(user) or (round_ is not None and outcomes_announced(round_, now)):
        return qs.annotate(shown_stage=F("stage"))
    held = Q(stage__in=DECIDED_STAGES)
    if round_ is None:
        held &= Q(round__decisions_at__gt=now)
    if user and user.is_authenticated:
        in_team = TeamMember.objects.filter(proposal_id=OuterRef("pk"), user_id=user.pk)
        held &= ~Exists(in_team)
    return qs.annotate(
        shown_stage=Case(
            When(held & Q(shortlisted_at__isnull=False), then=Value(Stage.SHORTLISTED.value)),
            When(held, then=Value(Stage.PROPOSAL.value)),
            default=F("stage"),
            output_field=CharField(),
        )
    )


def proposal_get_for_viewer(*, user, slug: str) -> Proposal:
    """The proposal at `slug` with everything its page shows, in a fixed number of queries, or
    404 if `user` may not see it."""
    proposal = (
        proposals_visible_to(user)
        .select_related("round", "theme", "lead")
        .prefetch_related(
            Prefetch("team", queryset=TeamMember.objects.select_related("user")),
            Prefetch(
                "answers",
                queryset=SectionAnswer.objects.select_related("section").order_by(
                    "section__position"
                ),
            ),
            "contributions",
            "timeline",
            # The proposal's own files; a progress update's come with the update.
            Prefetch("attachments", queryset=Attachment.objects.filter(update__isnull=True)),
            "topics",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("author").prefetch_related(
                    "attachments"
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def proposal_get_public_heading(*, slug: str) -> Proposal:
    """The proposal at `slug` with its round only (one query), if visitors may see it; 404
    otherwise. For pages whose content comes from the shared cache."""
    proposal = (
        Proposal.objects.filter(slug=slug, round__published_at__isnull=False)
        .select_related("round")
        .only("pk", "slug", "title", "round")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


@dataclass(frozen=True)
class TeamEntry:
    name: str
    role_line: str
    role: str
    profile_slug: str | None
    pending: bool


def proposal_team(proposal: Proposal, *, viewer) -> list[TeamEntry]:
    """The team as the viewer sees it: members linked to their directory entries where the
    viewer may see the entry (one query), named people with their role line. Co-authors who
    have not accepted yet are shown to the team only (`pending`)."""
    members = [m for m in proposal.team.all() if m.user_id]
    slugs = dict(
        profiles_visible_to(viewer)
        .filter(user_id__in=[m.user_id for m in members])
        .values_list("user_id", "slug")
    ) if members else {}  # fmt: skip
    viewer_in_team = bool(viewer and viewer.is_authenticated) and any(
        m.user_id == viewer.pk for m in members
    )
    entries = []
    for m in proposal.team.all():
        pending = m.role == "co_author" and m.accepted_at is None
        if pending and not viewer_in_team:
            continue
        entries.append(
            TeamEntry(
                name=m.user.get_full_name() if m.user_id else m.name,
                role_line=m.role_line,
                role=m.role,
                profile_slug=slugs.get(m.user_id),
                pending=pending,
            )
        )
    return entries


def team_invitations_waiting(user) -> list[TeamMember]:
    """Invitations to co-author that `user` has not answered yet, with their proposals."""
    return list(
        TeamMember.objects.filter(
            user_id=user.pk, role=TeamRole.CO_AUTHOR, accepted_at__isnull=True
        )
        .exclude(proposal__stage=Stage.WITHDRAWN)
        .select_related("proposal")
        .order_by("invited_at", "pk")
    )
