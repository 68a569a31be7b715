"""What Q Exchange holds about a person (qcommunity.privacy.registry): the proposals they lead
or are on the team of, their comments and reports, the proposals they support, their ballots,
their shortlisting reviews, the progress updates and edits they made, and the files they attached.

Deleting the account (qcommunity.privacy.services.account_delete) runs each `erase` below inside
its one transaction, before the account becomes the "Former member" tombstone. A proposal is a
shared public record (co-authors, comments, decisions, funding), so it stays; so do a ballot
already counted, a submitted review, progress updates and attachments, all shown as by "Former
member" from then on. Every erase is a few set-based statements, whatever the amounts."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone

from qcommunity.privacy.registry import PersonalData, register
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import PanelMember
from qcommunity.scoring.selectors import reviewer_assignment_record, reviewer_assignments
from qcommunity.scoring.services import assignments_withdraw_for_reviewer

from .enums import EDITABLE_STAGES, AttachmentKind, Stage, TeamRole
from .models import (
    Attachment,
    Ballot,
    BallotChoice,
    Comment,
    CommentReport,
    ProgressUpdate,
    Proposal,
    ProposalEdit,
    Round,
    Support,
    TeamMember,
)
from .page_cache import exchange_changed
from .services import PROPOSALS

STAGE_LABELS = dict(Stage.choices)
ROLE_LABELS = dict(TeamRole.choices)
PANEL_ROLE_LABELS = dict(PanelRole.choices)
KIND_LABELS = dict(AttachmentKind.choices)
# Ideas and proposals still open: not yet shortlisted, decided or withdrawn.


def _proposal_url(slug: str) -> str:
    return reverse("exchange:proposal-detail", kwargs={"slug": slug})


def _on_team_besides(user):
    """Team rows of the proposal at OuterRef("pk") for someone other than `user`: named people,
    members and accepted co-authors (an invitation not yet accepted is not a place on the team).
    """
    return (
        TeamMember.objects.filter(proposal_id=OuterRef("pk"))
        .exclude(user_id=user.pk)
        .exclude(role=TeamRole.CO_AUTHOR, accepted_at__isnull=True)
    )


# Proposals and teams ---------------------------------------------------------------------------


def proposals_export(user) -> list[dict]:
    rows = TeamMember.objects.filter(user=user).select_related("proposal__round")
    records = []
    seen = set()
    for m in rows.order_by("proposal__created_at", "proposal_id"):
        p = m.proposal
        seen.add(p.pk)
        pending = m.role == TeamRole.CO_AUTHOR and m.accepted_at is None
        records.append(
            {
                "title": p.title,
                "summary": p.summary,
                "address": _proposal_url(p.slug),
                "round": p.round.name,
                "round_year": p.round.year,
                "stage": STAGE_LABELS.get(p.stage, p.stage),
                "your_role": ROLE_LABELS.get(m.role, m.role),
                "your_role_line": m.role_line,
                "lead": p.lead_id == user.pk,
                "invited_to_co_author_at": m.invited_at,
                "invitation_pending": pending,
                "joined_at": m.accepted_at,
            }
        )
    # A proposal they lead without a team row (not made by the services, but possible).
    for p in (
        Proposal.objects.filter(lead=user)
        .exclude(pk__in=seen)
        .select_related("round")
        .order_by("created_at", "id")
    ):
        records.append(
            {
                "title": p.title,
                "summary": p.summary,
                "address": _proposal_url(p.slug),
                "round": p.round.name,
                "round_year": p.round.year,
                "stage": STAGE_LABELS.get(p.stage, p.stage),
                "your_role": ROLE_LABELS[TeamRole.LEAD],
                "your_role_line": "",
                "lead": True,
                "invited_to_co_author_at": None,
                "invitation_pending": False,
                "joined_at": p.created_at,
            }
        )
    return records


def proposals_erase(user) -> None:
    now = timezone.now()
    # Pending invitations to co-author are deleted.
    TeamMember.objects.filter(user=user, role=TeamRole.CO_AUTHOR, accepted_at__isnull=True).delete()
    # An idea or proposal still open that nobody else is on is withdrawn, so it leaves the
    # public lists (its page stays, marked withdrawn, like any withdrawn idea).
    solo = Proposal.objects.filter(lead=user, stage__in=EDITABLE_STAGES).exclude(
        Exists(_on_team_besides(user))
    )
    PROPOSALS.move_many(
        actor=user,
        objects=solo,
        action="withdraw",
        now=now,
        values={"withdrawn_at": now},
        data={"reason": "Account deleted."},
        authorised=True,  # the person leaving withdraws their own, whatever roles remain
    )
    # Off every team, except where they lead: the lead field and row keep pointing at the
    # account, which shows as "Former member".
    TeamMember.objects.filter(user=user).exclude(role=TeamRole.LEAD).delete()
    # A handover of the lead waiting for them goes with them (they are off the team).
    Proposal.objects.filter(lead_offered_to=user).update(lead_offered_to=None, lead_offered_at=None)
    exchange_changed()


# Comments and reports --------------------------------------------------------------------------


def comments_export(user) -> list[dict]:
    comments = (
        Comment.objects.filter(author=user).select_related("proposal").order_by("created_at", "id")
    )
    return [
        {
            "proposal": c.proposal.title,
            "address": f"{_proposal_url(c.proposal.slug)}#comment-{c.pk}",
            "reply": c.parent_id is not None,
            "text": c.body,
            "posted_at": c.created_at,
            "edited_at": c.edited_at,
            "hidden_by_a_moderator": c.hidden_at is not None,
            "hidden_reason": c.hidden_reason,
        }
        for c in comments
    ]


def comments_erase(user) -> None:
    now = timezone.now()
    mine = Comment.objects.filter(author=user)
    # Nothing is left to moderate in a removed comment: other people's open reports on it close.
    CommentReport.objects.filter(comment__author=user, resolved_at__isnull=True).update(
        resolved_at=now
    )
    mine.filter(removed_at__isnull=True).update(body="", body_html="", removed_at=now)
    exchange_changed()


def reports_export(user) -> list[dict]:
    reports = (
        CommentReport.objects.filter(reporter=user)
        .select_related("comment__proposal")
        .order_by("created_at", "id")
    )
    return [
        {
            "proposal": r.comment.proposal.title,
            "address": f"{_proposal_url(r.comment.proposal.slug)}#comment-{r.comment_id}",
            "reason": r.reason,
            "reported_at": r.created_at,
            "dealt_with_at": r.resolved_at,
        }
        for r in reports
    ]


def reports_erase(user) -> None:
    CommentReport.objects.filter(reporter=user).delete()


# Support ---------------------------------------------------------------------------------------


def supports_export(user) -> list[dict]:
    supports = (
        Support.objects.filter(user=user)
        .select_related("proposal__round")
        .order_by("created_at", "id")
    )
    return [
        {
            "proposal": s.proposal.title,
            "address": _proposal_url(s.proposal.slug),
            "round": s.proposal.round.name,
            "supported_since": s.created_at,
        }
        for s in supports
    ]


def supports_erase(user) -> None:
    Support.objects.filter(user=user).delete()
    exchange_changed()


# Ballots ---------------------------------------------------------------------------------------


def ballots_export(user) -> list[dict]:
    ballots = (
        Ballot.objects.filter(voter=user)
        .select_related("round")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=BallotChoice.objects.select_related("proposal", "theme").order_by(
                    "theme__position", "proposal__title", "id"
                ),
            )
        )
        .order_by("round__year", "id")
    )
    return [
        {
            "round": b.round.name,
            "round_year": b.round.year,
            "cast_at": b.created_at,
            "last_changed_at": b.updated_at,
            "voting_closed": b.round.voting_closed(),
            "choices": [
                {
                    "theme": c.theme.name,
                    "proposal": c.proposal.title,
                    "address": _proposal_url(c.proposal.slug),
                }
                for c in b.choices.all()
            ],
        }
        for b in ballots
    ]


def ballots_erase(user) -> None:
    """A ballot in a round whose voting has closed was counted: it stays, the tombstone's. A
    ballot in a round still open for voting is deleted with its choices. The deferred ballot
    triggers (exchange migration 0002) then find no ballot to check, which they allow."""
    still_open = Ballot.objects.filter(voter=user, round__voting_closes_at__gt=timezone.now())
    BallotChoice.objects.filter(ballot__in=still_open).delete()
    still_open.delete()
    exchange_changed()


# Shortlisting reviews --------------------------------------------------------------------------


def reviews_export(user) -> list[dict]:
    assignments = reviewer_assignments(
        user=user, owner_type=ContentType.objects.get_for_model(Round)
    )
    rounds = Round.objects.in_bulk({a.panel.owner_id for a in assignments})
    proposals = Proposal.objects.in_bulk({a.subject_id for a in assignments})
    records = []
    for a in assignments:
        round_ = rounds.get(a.panel.owner_id)
        proposal = proposals.get(a.subject_id)
        records.append(
            {
                "round": round_.name if round_ else "",
                "panel": a.panel.name,
                "proposal": proposal.title if proposal else "",
                **reviewer_assignment_record(a),
            }
        )
    return records


def reviews_erase(user) -> None:
    """Submitted reviews stay (every proposal was judged the same way); unfinished ones are
    withdrawn, so staff can give them to another reviewer; the person leaves the panels of rounds
    not yet decided, so no more proposals are given to them."""
    now = timezone.now()
    round_type = ContentType.objects.get_for_model(Round)
    assignments_withdraw_for_reviewer(user=user, owner_type=round_type)
    undecided = Round.objects.filter(decisions_at__gt=now).values("pk")
    PanelMember.objects.filter(
        user=user, panel__owner_type=round_type, panel__owner_id__in=undecided
    ).delete()


# What stays: progress updates, edits and attachments ------------------------------------------


def project_records_export(user) -> list[dict]:
    updates = [
        {
            "type": "Progress update",
            "proposal": u.proposal.title,
            "address": _proposal_url(u.proposal.slug),
            "title": u.title,
            "text": u.body,
            "posted_at": u.created_at,
        }
        for u in ProgressUpdate.objects.filter(author=user)
        .select_related("proposal")
        .order_by("created_at", "id")
    ]
    edits = [
        {
            "type": "Changes saved to the proposal",
            "proposal": e.proposal.title,
            "address": _proposal_url(e.proposal.slug),
            "answers_changed": e.sections,
            "saved_at": e.at,
        }
        for e in ProposalEdit.objects.filter(by=user)
        .select_related("proposal")
        .order_by("at", "id")
    ]
    return updates + edits


def attachments_export(user) -> list[dict]:
    return [
        {
            "proposal": a.proposal.title,
            "address": _proposal_url(a.proposal.slug),
            "file_name": a.original_name,
            "title": a.title,
            "kind": KIND_LABELS.get(a.kind, a.kind),
            "size_bytes": a.size,
            "uploaded_at": a.uploaded_at,
        }
        for a in Attachment.objects.filter(uploaded_by=user)
        .select_related("proposal")
        .order_by("uploaded_at", "id")
    ]


register(
    PersonalData(
        key="exchange.proposals",
        label="Q Exchange ideas and proposals you lead or are on the team of, and invitations "
        "to co-author",
        on_delete="You are taken off every team except where you are the lead: a proposal stays, "
        'with its lead shown as "Former member". An open idea or proposal with no one else on '
        "its team is withdrawn. Invitations to co-author are deleted.",
        export=proposals_export,
        erase=proposals_erase,
        order=40,
    )
)
register(
    PersonalData(
        key="exchange.comments",
        label="Your comments on Q Exchange proposals",
        on_delete="Their text is removed. Each comment keeps its place, so replies still make "
        "sense, with a note that it was removed when you deleted your account.",
        export=comments_export,
        erase=comments_erase,
        order=41,
    )
)
register(
    PersonalData(
        key="exchange.comment_reports",
        label="Comments you reported to the moderators",
        on_delete="Your reports are deleted.",
        export=reports_export,
        erase=reports_erase,
        order=42,
    )
)
register(
    PersonalData(
        key="exchange.supports",
        label="Q Exchange proposals you support",
        on_delete="Deleted.",
        export=supports_export,
        erase=supports_erase,
        order=43,
    )
)
register(
    PersonalData(
        key="exchange.ballots",
        label="Your Q Exchange ballots",
        on_delete="A ballot in a round where voting is still open is deleted. A ballot in a "
        'round where voting has closed was counted, so it stays, as "Former member".',
        export=ballots_export,
        erase=ballots_erase,
        order=44,
    )
)
register(
    PersonalData(
        key="exchange.reviews",
        label="Your shortlisting reviews on Q Exchange panels: your scores and comments",
        on_delete="Reviews you submitted stay, so every proposal is judged the same way. "
        "Reviews you had not finished are given back to be reassigned, and you leave the panels "
        "of rounds not yet decided.",
        export=reviews_export,
        erase=reviews_erase,
        order=45,
    )
)
register(
    PersonalData(
        key="exchange.project_records",
        label="Progress updates you posted and changes you saved to Q Exchange proposals",
        on_delete='They stay as part of the project\'s public record, shown as by "Former member".',
        export=project_records_export,
        order=46,
    )
)
register(
    PersonalData(
        key="exchange.attachments",
        label="Files you attached to Q Exchange proposals",
        on_delete="They stay with the proposal, which its whole team shares.",
        export=attachments_export,
        order=47,
    )
)
