"""What Q Exchange holds about a person as a proposal's lead or team member: the proposals, the
progress updates and edits they made, and the files they attached (see `exchange.personal_data`)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from qcommunity.privacy.registry import PersonalData, register

from ..rounds.page_cache import exchange_changed
from .enums import EDITABLE_STAGES, AttachmentKind, Stage, TeamRole
from .models import Attachment, ProgressUpdate, Proposal, ProposalEdit, TeamMember
from .services import PROPOSALS

STAGE_LABELS = dict(Stage.choices)
ROLE_LABELS = dict(TeamRole.choices)
KIND_LABELS = dict(AttachmentKind.choices)


# Ideas and proposals still open: not yet shortlisted, decided or withdrawn.


def proposal_url(slug: str) -> str:
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
                "address": proposal_url(p.slug),
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
                "address": proposal_url(p.slug),
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


# What stays: progress updates, edits and attachments ------------------------------------------


def project_records_export(user) -> list[dict]:
    updates = [
        {
            "type": "Progress update",
            "proposal": u.proposal.title,
            "address": proposal_url(u.proposal.slug),
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
            "address": proposal_url(e.proposal.slug),
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
            "address": proposal_url(a.proposal.slug),
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
