"""Writes behind a proposal's editing pages that the core services leave out: inviting a member
to co-author by their email address (with the invitation email), and handing the lead role to
another team member, who confirms it. The team rules themselves live in `exchange.services`."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.audit.services import audit_record
from qcommunity.outbox.services import email_queue_template

from .enums import TeamRole
from .models import Proposal, TeamMember
from .rules import proposal_edit_window
from .services import ExchangeError, _lock, _require_editable, team_member_add


def member_find_by_email(email: str):
    """The member with this email address, or None (people who are not members cannot be
    found, so the form says the same for both)."""
    email = email.strip()
    if not email:
        return None
    return (
        get_user_model()
        .objects.filter(email__iexact=email, is_active=True, roles__role=Role.MEMBER)
        .first()
    )


@transaction.atomic
def team_invite(
    *,
    actor,
    proposal: Proposal,
    email: str,
    role_line: str = "",
    co_author: bool = True,
    now=None,
) -> TeamMember:
    """Add the member with `email` to the team, while the proposal can be edited. As a
    co-author (the default) they are sent an invitation with a link to accept; once they
    accept they can edit the proposal."""
    _require_editable(actor, proposal, now)
    if not email.strip():
        raise ExchangeError("Enter their email address.", {"email": "Enter an email address"})
    user = member_find_by_email(email)
    if user is None:
        message = (
            "There is no member of Q with that email address. Check it, or add them as a named "
            "person instead"
        )
        raise ExchangeError(message + ".", {"email": message})
    if len(role_line) > 200:
        raise ExchangeError(
            "The role must be 200 characters or fewer.",
            {"role_line": "The role must be 200 characters or fewer"},
        )
    try:
        member = team_member_add(
            actor=actor,
            proposal=proposal,
            user=user,
            role_line=role_line,
            co_author=co_author,
            now=now,
        )
    except ExchangeError as error:
        raise ExchangeError(str(error), {"email": str(error).rstrip(".")}) from None
    if co_author:
        _email_invitation(member, inviter=actor)
    return member


def _email_invitation(member: TeamMember, *, inviter) -> None:
    proposal = member.proposal
    email_queue_template(
        to=member.user.email,
        kind="exchange_co_author_invitation",
        related=proposal,
        context={
            "name": member.user.display_name,
            "inviter": inviter.get_full_name(),
            "title": proposal.title,
            "round_name": proposal.round.name,
            "accept_path": reverse("exchange:team-accept", kwargs={"slug": proposal.slug}),
            "proposal_path": reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}),
        },
    )


# Handing over the lead ---------------------------------------------------------------------------


def lead_candidates(proposal: Proposal) -> list[TeamMember]:
    """Team members who could take over as lead: people in the team with an active member's
    account, other than the lead (from the team already fetched, plus one query for their
    roles, however large the team)."""
    eligible = set(
        TeamMember.objects.filter(
            proposal_id=proposal.pk, user__is_active=True, user__roles__role=Role.MEMBER
        )
        .exclude(user_id=proposal.lead_id)
        .values_list("pk", flat=True)
    )
    return [m for m in proposal.team.all() if m.pk in eligible]


def _require_window(proposal: Proposal, now) -> None:
    window = proposal_edit_window(proposal, now)
    if not window:
        raise ExchangeError(window.reason)


def _handover_email(kind: str, *, to, proposal: Proposal, **context) -> None:
    email_queue_template(
        to=to.email,
        kind=kind,
        related=proposal,
        context={
            "name": to.display_name,
            "title": proposal.title,
            "round_name": proposal.round.name,
            "handover_path": reverse("exchange:lead-handover", kwargs={"slug": proposal.slug}),
            "proposal_path": reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}),
            **context,
        },
    )


@transaction.atomic
def lead_handover_offer(*, actor, proposal: Proposal, member: TeamMember, now=None) -> Proposal:
    """The lead asks a team member with a member's account to take over as lead, while the
    proposal's edit window is open. Nothing changes until they accept; a new offer replaces a
    waiting one. Audited; the proposed lead is emailed."""
    proposal = _lock(proposal)
    _require_editable(actor, proposal, now)
    if proposal.lead_id != actor.pk:
        raise ExchangeError("Only the lead can hand over the lead.")
    member = {m.pk: m for m in lead_candidates_for(proposal)}.get(member.pk)
    if member is None:
        raise ExchangeError(
            "Choose someone in the team who is a member of Q.",
            {"member": "Choose a team member who is a member of Q"},
        )
    proposal.lead_offered_to = member.user
    proposal.lead_offered_at = now or timezone.now()
    proposal.save(update_fields=["lead_offered_to", "lead_offered_at"])
    audit_record(
        actor=actor,
        action="exchange_proposal.lead_offer",
        target=proposal,
        data={"to": member.user_id},
    )
    _handover_email(
        "exchange_lead_handover_offer",
        to=member.user,
        proposal=proposal,
        lead=actor.get_full_name(),
    )
    return proposal


def lead_candidates_for(proposal: Proposal) -> list[TeamMember]:
    return lead_candidates(Proposal.objects.prefetch_related("team__user").get(pk=proposal.pk))


def _require_offer_to(actor, proposal: Proposal) -> None:
    if (
        actor is None
        or proposal.lead_offered_to_id is None
        or (proposal.lead_offered_to_id != actor.pk)
    ):
        raise ExchangeError("There is no handover of the lead waiting for you.")


@transaction.atomic
def lead_handover_accept(*, actor, proposal: Proposal, now=None) -> Proposal:
    """The proposed lead accepts, while the edit window is open: they lead the proposal from
    now on and the old lead stays in the team as a co-author (so can still change it).
    Audited with the old and new lead; the old lead is emailed."""
    proposal = _lock(proposal)
    _require_offer_to(actor, proposal)
    now = now or timezone.now()
    _require_window(proposal, now)
    mine = TeamMember.objects.select_for_update().filter(proposal=proposal, user=actor).first()
    if mine is None or not actor.has_role(Role.MEMBER):
        raise ExchangeError("Only a member of Q in the team can lead it.")
    old_lead = proposal.lead
    # One lead at a time (a constraint): the old lead's row changes first.
    for row in TeamMember.objects.select_for_update().filter(proposal=proposal, role=TeamRole.LEAD):
        row.role = TeamRole.CO_AUTHOR
        row.accepted_at = row.accepted_at or now
        row.save(update_fields=["role", "accepted_at"])
    mine.role = TeamRole.LEAD
    mine.accepted_at = mine.accepted_at or now
    mine.save(update_fields=["role", "accepted_at"])
    proposal.lead = actor
    proposal.lead_offered_to, proposal.lead_offered_at = None, None
    proposal.updated_at = now
    proposal.save(update_fields=["lead", "lead_offered_to", "lead_offered_at", "updated_at"])
    audit_record(
        actor=actor,
        action="exchange_proposal.lead_handover",
        target=proposal,
        data={"from": old_lead.pk, "to": actor.pk},
    )
    _handover_email(
        "exchange_lead_handover_accepted",
        to=old_lead,
        proposal=proposal,
        new_lead=actor.get_full_name(),
    )
    return proposal


@transaction.atomic
def lead_handover_decline(*, actor, proposal: Proposal) -> Proposal:
    """The proposed lead declines (at any time): the lead stays as it is. Audited; the lead
    is emailed."""
    proposal = _lock(proposal)
    _require_offer_to(actor, proposal)
    proposal.lead_offered_to, proposal.lead_offered_at = None, None
    proposal.save(update_fields=["lead_offered_to", "lead_offered_at"])
    audit_record(actor=actor, action="exchange_proposal.lead_decline", target=proposal)
    _handover_email(
        "exchange_lead_handover_declined",
        to=proposal.lead,
        proposal=proposal,
        declined_by=actor.get_full_name(),
    )
    return proposal


@transaction.atomic
def lead_handover_cancel(*, actor, proposal: Proposal) -> Proposal:
    """The lead withdraws a waiting handover (at any time). Audited."""
    proposal = _lock(proposal)
    if actor is None or proposal.lead_id != actor.pk:
        raise ExchangeError("Only the lead can cancel the handover.")
    if proposal.lead_offered_to_id is None:
        return proposal
    to = proposal.lead_offered_to_id
    proposal.lead_offered_to, proposal.lead_offered_at = None, None
    proposal.save(update_fields=["lead_offered_to", "lead_offered_at"])
    audit_record(
        actor=actor, action="exchange_proposal.lead_cancel", target=proposal, data={"to": to}
    )
    return proposal
