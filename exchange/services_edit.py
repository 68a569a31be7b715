"""Writes behind a proposal's editing pages that the core services leave out: inviting a member
to co-author by their email address (with the invitation email), and naming someone without
an account. The team rules themselves live in `exchange.services`."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.outbox.services import email_queue_template

from .models import Proposal, TeamMember
from .services import ExchangeError, _require_editable, team_member_add


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
