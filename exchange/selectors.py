"""Reads for Q Exchange rounds and proposals. Proposals of published rounds are public pages:
anyone may read them, withdrawn ones included (marked so), so links never break. Rounds not yet
published, and their proposals, are seen by staff only; everyone else gets 404."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from members.selectors import profiles_visible_to

from .models import ProgressUpdate, Proposal, Round, SectionAnswer, TeamMember


def _is_staff_viewer(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("exchange.manage_rounds"))


def rounds_visible_to(user) -> QuerySet[Round]:
    qs = Round.objects.all()
    if not _is_staff_viewer(user):
        qs = qs.filter(published_at__isnull=False)
    return qs


def proposals_visible_to(user) -> QuerySet[Proposal]:
    qs = Proposal.objects.all()
    if not _is_staff_viewer(user):
        qs = qs.filter(round__published_at__isnull=False)
    return qs


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
            "attachments",
            "topics",
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author")),
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
