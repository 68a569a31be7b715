"""Writes for Q Exchange proposals: a proposal's content, team, "how you can contribute" points,
plan timeline, attachments, and its stage.

Every service takes the acting user, runs in one transaction and writes an audit row where a
decision or a change of stage is involved. A proposal's stage changes only in
`proposal_transition`, which checks `PROPOSAL_TRANSITIONS` and the permission each move names.
Rounds, comments, supports, ballots and updates have their own features
(`exchange.<feature>.services`).

The team: inviting a member to co-author by their email address (with the invitation email),
and handing the lead role to another team member, who confirms it.

Files attached to a proposal: checked by their content (never their name or the type the
browser claims), kept under a random name, listed with their type and size, and removed by the
team. PDF, Word (.docx and the older .doc), Excel (.xlsx) and pictures (PNG, JPEG, GIF, WebP).

- PDF: starts with the `%PDF-` header and ends with an `%%EOF` marker.
- .docx / .xlsx: a zip whose `[Content_Types].xml` declares the Word document (or Excel
  workbook) main part, and that part is in the zip. Macro-enabled files declare other types and
  are refused.
- .doc: an OLE2 compound file holding a `WordDocument` stream.
- Pictures: Pillow reads and verifies them (as for profile photos), and they must be one of
  the four formats."""

import datetime as dt
import io
import re
import secrets
import zipfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from qcommunity.accounts.enums import Role
from qcommunity.audit.services import audit_record
from qcommunity.core.formatting import uk_date
from qcommunity.core.taxonomy import Region
from qcommunity.core.words import word_count
from qcommunity.core.workflow import Move, Workflow
from qcommunity.outbox.services import email_queue_template

from ..rounds.models import Round, Section, Theme
from ..rounds.page_cache import exchange_changed
from ..rounds.services import ExchangeError, require_exchange_perm
from . import rules  # noqa: F401 (registers the permissions the services check)
from .enums import PROPOSAL_TRANSITIONS, AttachmentKind, Stage, TeamRole, TimelineStatus
from .models import (
    Attachment,
    ContributionPoint,
    Proposal,
    ProposalEdit,
    SectionAnswer,
    TeamMember,
    TimelineItem,
)
from .rules import proposal_edit_window

# Proposals -------------------------------------------------------------------------------------

SEARCH_REFRESH_SQL = """
UPDATE exchange_proposal AS p SET search_vector =
    setweight(to_tsvector('english', p.title), 'A') ||
    setweight(to_tsvector('english', p.summary), 'B') ||
    setweight(to_tsvector('english', coalesce((
        SELECT string_agg(t.name, ' ') FROM exchange_proposal_topics pt
        JOIN members_topic t ON t.id = pt.topic_id WHERE pt.proposal_id = p.id), '')), 'B') ||
    setweight(to_tsvector('english', coalesce((
        SELECT string_agg(a.text, ' ') FROM exchange_sectionanswer a
        WHERE a.proposal_id = p.id), '')), 'C')
WHERE p.id = ANY(%s)
"""


def proposal_refresh_search(*, proposal_ids: Collection[int]) -> None:
    if proposal_ids:
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_REFRESH_SQL, [list(proposal_ids)])
        exchange_changed()  # a bulk UPDATE sends no signal (nor do the answers' bulk writes)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100].strip("-") or "proposal"
    taken = set(
        Proposal.objects.filter(slug__regex=rf"^{re.escape(base)}(-[0-9]+)?$").values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_title(title: str, summary: str) -> dict[str, str]:
    problems = {}
    if not title.strip():
        problems["title"] = "Enter a title"
    elif len(title) > 150:
        problems["title"] = "Title must be 150 characters or fewer"
    if not summary.strip():
        problems["summary"] = "Enter a one-line summary"
    elif len(summary) > 300 or "\n" in summary.strip():
        problems["summary"] = "The summary must be one line of 300 characters or fewer"
    return problems


@transaction.atomic
def proposal_create(
    *, actor, round_: Round, theme: Theme, title: str, summary: str, now=None
) -> Proposal:
    """Post an idea in a round that accepts ideas now. Members only. The actor leads it; its
    address is made from the title and never changes."""
    require_exchange_perm(actor, "exchange.create_proposal")
    now = now or timezone.now()
    if not round_.accepts_ideas(now):
        raise ExchangeError(f"{round_.name} is not taking new ideas now.")
    if theme.round_id != round_.pk:
        raise ExchangeError("Choose one of this round's themes.", {"theme": "Choose a theme"})
    if problems := _check_title(title, summary):
        raise ExchangeError("The idea was not saved. Check the answers.", problems)
    for attempt in range(3):
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    round=round_,
                    theme=theme,
                    slug=_unique_slug(title),
                    title=title.strip(),
                    summary=summary.strip(),
                    lead=actor,
                    created_at=now,
                    updated_at=now,
                )
            break
        except IntegrityError:  # two ideas with the same title at once: take the next slug
            if attempt == 2:
                raise
    TeamMember.objects.create(proposal=proposal, user=actor, role=TeamRole.LEAD, accepted_at=now)
    proposal_refresh_search(proposal_ids=[proposal.pk])
    audit_record(actor=actor, action="exchange_proposal.create", target=proposal)
    return proposal


def _require_editable(actor, proposal: Proposal, now=None) -> None:
    """The actor edits the proposal, and its edit window is open (`rules.proposal_edit_window`:
    the stage and the round's dates)."""
    require_exchange_perm(actor, "exchange.change_proposal", proposal)
    window = proposal_edit_window(proposal, now)
    if not window:
        raise ExchangeError(window.reason)


def answer_problems(sections: Sequence[Section], answers: Mapping[int, str]) -> dict[str, str]:
    """Word limits, in the words the page shows (the live count uses the same rule)."""
    problems = {}
    for section in sections:
        words = word_count(answers.get(section.pk, ""))
        if words > section.word_limit:
            limit = ngettext(
                "%(num)d word or fewer", "%(num)d words or fewer", section.word_limit
            ) % {"num": section.word_limit}
            problems[f"answer_{section.pk}"] = (
                f"Your answer to “{section.question}” must be {limit}. It has {words}."
            )
    return problems


@transaction.atomic
def proposal_update(
    *,
    actor,
    proposal: Proposal,
    title: str,
    summary: str,
    theme: Theme,
    answers: Mapping[int, str],
    regions: Collection[str] = (),
    topic_ids: Collection[int] | None = None,
    amount_requested: int | None = None,
    now=None,
) -> Proposal:
    """Save the proposal's content. The lead and accepted co-authors, while it is an idea or a
    proposal. Nothing is saved if any answer is over its word limit (the form shows every
    problem at once and keeps what was typed). Answers keep their word counts."""
    proposal = proposal_lock(proposal)
    _require_editable(actor, proposal, now)
    round_ = proposal.round
    sections = list(round_.sections.all())
    problems = _check_title(title, summary) | answer_problems(sections, answers)
    if theme.round_id != round_.pk:
        problems["theme"] = "Choose one of this round's themes"
    unknown = set(regions) - set(Region.values)
    if unknown:
        problems["regions"] = "Choose regions from the list"
    if amount_requested is not None and amount_requested > round_.funding_cap:
        problems["amount_requested"] = (
            f"The most a project can ask for in this round is £{round_.funding_cap:,}"
        )
    if problems:
        raise ExchangeError("Your changes were not saved. Check the answers.", problems)
    now = now or timezone.now()
    before = (proposal.title, proposal.summary, proposal.theme_id, sorted(proposal.regions),
              proposal.amount_requested)  # fmt: skip
    proposal.title, proposal.summary, proposal.theme = title.strip(), summary.strip(), theme
    proposal.regions = sorted(set(regions))
    proposal.amount_requested = amount_requested
    proposal.updated_at = now
    proposal.save(
        update_fields=["title", "summary", "theme", "regions", "amount_requested", "updated_at"]
    )
    existing = {a.section_id: a for a in proposal.answers.all()}
    changed, created = [], []
    for section in sections:
        text = answers.get(section.pk, "")
        answer = existing.get(section.pk)
        if answer is None:
            if text:
                created.append(
                    SectionAnswer(
                        proposal=proposal,
                        section=section,
                        text=text,
                        words=word_count(text),
                        updated_at=now,
                    )
                )
        elif answer.text != text:
            answer.text, answer.words, answer.updated_at = text, word_count(text), now
            changed.append(answer)
    SectionAnswer.objects.bulk_create(created)
    SectionAnswer.objects.bulk_update(changed, ["text", "words", "updated_at"])
    after = (proposal.title, proposal.summary, proposal.theme_id, proposal.regions,
             proposal.amount_requested)  # fmt: skip
    if changed or created or before != after:
        # The edit log behind "edits after feedback" on the shortlisting overview.
        ProposalEdit.objects.create(
            proposal=proposal, at=now, by=actor, sections=len(changed) + len(created)
        )
    if topic_ids is not None:
        proposal.topics.set(topic_ids)
    proposal_refresh_search(proposal_ids=[proposal.pk])
    return proposal


def develop_problems(proposal: Proposal) -> dict[str, str]:
    """What stops an idea becoming a full proposal: every section answered."""
    answered = set(proposal.answers.exclude(text="").values_list("section_id", flat=True))
    return {
        f"answer_{section.pk}": f"Answer “{section.question}”"
        for section in proposal.round.sections.all()
        if section.pk not in answered
    }


def proposal_lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)


# Every stage change of a proposal: the table is `enums.PROPOSAL_TRANSITIONS`.
PROPOSALS = Workflow(
    model=Proposal,
    field="stage",
    transitions=PROPOSAL_TRANSITIONS,
    audit="exchange_proposal",
    error=ExchangeError,
    noun="proposal",
    lock=proposal_lock,
)


@PROPOSALS.effect("develop")
def _develop(move: Move) -> None:
    """The team, before the round's proposal deadline, with every section answered."""
    window = proposal_edit_window(move.obj, move.now)
    if not window:
        raise ExchangeError(window.reason)
    if problems := develop_problems(move.obj):
        raise ExchangeError(
            "Answer every question before you turn your idea into a proposal.", problems
        )
    move.set(developed_at=move.now)


@PROPOSALS.effect("withdraw")
def _withdraw(move: Move) -> None:
    move.set(withdrawn_at=move.now)


@PROPOSALS.effect("shortlist", "fund", "not_fund")
def _decide(move: Move) -> None:
    """Moderators, with a reason told to the team; funding either way only once voting has
    closed (a proposal declined while voting is open would leave the ballot and so reveal the
    outcome before its announcement)."""
    reason = move.params.get("reason", "").strip()
    if not reason:
        raise ExchangeError("Give a reason for the decision.", {"reason": "Enter a reason"})
    round_ = move.obj.round
    if move.transition.action in ("fund", "not_fund") and move.now < round_.voting_closes_at:
        raise ExchangeError(
            f"Funding is decided after voting closes on {uk_date(round_.voting_closes_at)}."
        )
    move.set(decided_at=move.now, decided_by=move.actor, decision_reason=reason)
    if move.transition.action == "shortlist":
        move.set(shortlisted_at=move.now)
    move.data["reason"] = reason


def proposal_transition(
    *, actor, proposal: Proposal, action: str, reason: str = "", now=None
) -> Proposal:
    """Move a proposal by `action` through `PROPOSALS` (its rules are the effects above)."""
    return PROPOSALS.move(actor=actor, obj=proposal, action=action, now=now, reason=reason)


# Team ------------------------------------------------------------------------------------------


@transaction.atomic
def team_member_add(
    *,
    actor,
    proposal: Proposal,
    user=None,
    name: str = "",
    role_line: str = "",
    co_author: bool = False,
    now=None,
) -> TeamMember:
    """Name someone in the team: a member (linked to their directory entry; invited to co-author
    if `co_author`) or a person without an account (`name`, with a role line)."""
    proposal = proposal_lock(proposal)
    _require_editable(actor, proposal, now)
    if user is None and not name.strip():
        raise ExchangeError("Enter the person's name.", {"name": "Enter a name"})
    if co_author and user is None:
        raise ExchangeError("Only members can co-author a proposal.")
    if user is not None and proposal.team.filter(user=user).exists():
        raise ExchangeError("They are already in the team.")
    now = now or timezone.now()
    position = (proposal.team.order_by("-position").values_list("position", flat=True).first()
                or 0) + 1  # fmt: skip
    member = TeamMember.objects.create(
        proposal=proposal,
        user=user,
        name="" if user is not None else name.strip(),
        role_line=role_line.strip(),
        role=TeamRole.CO_AUTHOR if co_author else TeamRole.MEMBER,
        position=position,
        invited_at=now if co_author else None,
    )
    if co_author:
        audit_record(
            actor=actor,
            action="exchange_proposal.invite_co_author",
            target=proposal,
            data={"user": user.pk},
        )
    return member


@transaction.atomic
def team_name_set(*, actor, proposal: Proposal, team_name: str, now=None) -> Proposal:
    """Name the team (or clear its name), while the proposal can be edited."""
    proposal = proposal_lock(proposal)
    _require_editable(actor, proposal, now)
    team_name = team_name.strip()
    if len(team_name) > 100:
        raise ExchangeError(
            "The team name was not saved.",
            {"team_name": "The team name must be 100 characters or fewer"},
        )
    proposal.team_name = team_name
    proposal.save(update_fields=["team_name"])
    return proposal


@transaction.atomic
def team_invitation_accept(*, actor, member: TeamMember, now=None) -> TeamMember:
    """The invited member accepts: they can edit the proposal from now on. Only while its edit
    window is open (declining, `team_member_remove`, is always possible)."""
    proposal = proposal_lock(member.proposal)
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if actor is None or member.user_id != actor.pk or member.role != TeamRole.CO_AUTHOR:
        raise ExchangeError("This invitation is not yours.")
    if member.accepted_at is None:
        window = proposal_edit_window(proposal, now)
        if not window:
            raise ExchangeError(window.reason)
        member.accepted_at = now or timezone.now()
        member.save(update_fields=["accepted_at"])
        audit_record(actor=actor, action="exchange_proposal.join_team", target=member.proposal)
    return member


@transaction.atomic
def team_member_remove(*, actor, member: TeamMember, now=None) -> None:
    """Take someone off the team, while the proposal can be edited. The lead stays (hand the
    lead over first). A member may leave a team (or decline an invitation) themselves at any
    time: nobody stays named against their wish."""
    proposal = proposal_lock(member.proposal)
    if member.role == TeamRole.LEAD:
        raise ExchangeError("The lead cannot be removed from the team.")
    if not (actor is not None and member.user_id == actor.pk):
        _require_editable(actor, proposal, now)
    if member.user_id and proposal.lead_offered_to_id == member.user_id:
        # The lead cannot pass to someone no longer in the team.
        proposal.lead_offered_to, proposal.lead_offered_at = None, None
        proposal.save(update_fields=["lead_offered_to", "lead_offered_at"])
    member.delete()


# Contribution points and the plan timeline -----------------------------------------------------


@transaction.atomic
def contributions_set(*, actor, proposal: Proposal, points: Sequence[str], now=None) -> None:
    """Replace the "how you can contribute" points with `points` (blank lines dropped), while
    the proposal can be edited."""
    proposal = proposal_lock(proposal)
    _require_editable(actor, proposal, now)
    points = [p.strip() for p in points if p.strip()]
    if any(len(p) > 500 for p in points):
        raise ExchangeError(
            "Each point must be 500 characters or fewer.",
            {"points": "Each point must be 500 characters or fewer"},
        )
    proposal.contributions.all().delete()
    ContributionPoint.objects.bulk_create(
        ContributionPoint(proposal=proposal, position=i, text=p)
        for i, p in enumerate(points, start=1)
    )
    exchange_changed()  # bulk_create sends no signal


@transaction.atomic
def timeline_item_add(
    *, actor, proposal: Proposal, on: dt.date, title: str, now=None
) -> TimelineItem:
    """Add a dated step to the plan, while the proposal can be edited."""
    proposal = proposal_lock(proposal)
    _require_editable(actor, proposal, now)
    if not title.strip():
        raise ExchangeError("Say what happens on that date.", {"title": "Enter what happens"})
    return TimelineItem.objects.create(proposal=proposal, on=on, title=title.strip()[:200])


@transaction.atomic
def timeline_item_remove(*, actor, item: TimelineItem, now=None) -> None:
    """Delete a step while the proposal can be edited. Once funded, steps are dropped with a
    reason instead (`timeline_item_change`), so the record stays."""
    proposal = proposal_lock(item.proposal)
    _require_editable(actor, proposal, now)
    item.delete()


@transaction.atomic
def timeline_item_change(
    *,
    actor,
    item: TimelineItem,
    status: str,
    on: dt.date | None = None,
    reason: str = "",
    now=None,
) -> TimelineItem:
    """A funded team keeps its plan honest: mark a step done, move it to a new date (the first
    planned date is kept) or drop it; moving and dropping need a reason. Audited."""
    proposal = proposal_lock(item.proposal)
    require_exchange_perm(actor, "exchange.change_proposal", proposal)
    if proposal.stage != Stage.FUNDED:
        raise ExchangeError("Only a funded project's plan is marked done, moved or dropped.")
    item = TimelineItem.objects.select_for_update().get(pk=item.pk)
    if status not in TimelineStatus.values or status == TimelineStatus.PLANNED:
        raise ExchangeError("Choose done, moved or dropped.", {"status": "Choose what happened"})
    if status in (TimelineStatus.MOVED, TimelineStatus.DROPPED) and not reason.strip():
        raise ExchangeError("Give a reason.", {"reason": "Say why the plan changed"})
    if status == TimelineStatus.MOVED:
        if on is None or on == item.on:
            raise ExchangeError("Choose the new date.", {"on": "Enter the new date"})
        item.planned_on = item.planned_on or item.on
        item.on = on
    item.status, item.change_reason = status, reason.strip()
    item.changed_at = now or timezone.now()
    item.save(update_fields=["status", "on", "planned_on", "change_reason", "changed_at"])
    audit_record(
        actor=actor,
        action=f"exchange_timeline.{status}",
        target=proposal,
        data={"item": item.pk, "on": item.on.isoformat(), "reason": item.change_reason},
    )
    return item


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
    proposal = proposal_lock(proposal)
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
    proposal = proposal_lock(proposal)
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
    proposal = proposal_lock(proposal)
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
    proposal = proposal_lock(proposal)
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


MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20


# The `accept` attribute of the file input: a hint for the browser's file picker only.
ACCEPT_ATTRIBUTE = ",".join(
    [
        ".pdf",
        ".doc",
        ".docx",
        ".xlsx",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
    ]
)


WRONG_TYPE = "The selected file must be a PDF, Word document, Excel spreadsheet or picture"


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
IMAGE_FORMATS = {
    "PNG": (".png", "image/png"),
    "JPEG": (".jpg", "image/jpeg"),
    "GIF": (".gif", "image/gif"),
    "WEBP": (".webp", "image/webp"),
}


@dataclass(frozen=True)
class FileType:
    kind: str
    extension: str
    content_type: str


PDF = FileType(AttachmentKind.PDF, ".pdf", "application/pdf")
DOCX = FileType(
    AttachmentKind.WORD,
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)


DOC = FileType(AttachmentKind.WORD, ".doc", "application/msword")
XLSX = FileType(
    AttachmentKind.EXCEL,
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class AttachmentError(ExchangeError):
    """The file cannot be attached; the message is written for the member."""

    def __init__(self, message: str):
        super().__init__(message, {"file": message})


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _claims(upload, *extensions: str) -> bool:
    name = (getattr(upload, "name", "") or "").lower()
    return name.endswith(extensions)


def _office_type(data: bytes) -> FileType | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None
    with archive:
        names = set(archive.namelist())
        try:
            info = archive.getinfo("[Content_Types].xml")
        except KeyError:
            return None
        if info.file_size > 1024 * 1024:
            return None
        try:
            root = ElementTree.fromstring(archive.read(info))  # noqa: S314 (small, from a zip we size-checked)
        except (ElementTree.ParseError, zipfile.BadZipFile, RuntimeError, OSError):
            return None
        for override in root.iter(f"{CONTENT_TYPES_NS}Override"):
            content_type = override.get("ContentType", "")
            part = override.get("PartName", "").lstrip("/")
            if part not in names:
                continue
            if content_type == WORD_MAIN:
                return DOCX
            if content_type == EXCEL_MAIN:
                return XLSX
    return None


def _image_type(upload) -> FileType | None:
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        return None
    extension, content_type = IMAGE_FORMATS[image_format]
    return FileType(AttachmentKind.IMAGE, extension, content_type)


def _image_without_metadata(upload) -> bytes:
    """The picture re-encoded from its pixels, in its own format and size, so what the camera
    wrote into it (EXIF: GPS position, device, time) is not published with the proposal."""
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format
        buffer = io.BytesIO()
        if image_format == "GIF":
            original.save(buffer, format="GIF", save_all=True)  # keeps every frame, no EXIF
        else:
            image = ImageOps.exif_transpose(original)
            options = {"quality": 90} if image_format in {"JPEG", "WEBP"} else {}
            image.save(buffer, format=image_format, **options)
    upload.seek(0)
    return buffer.getvalue()


def attachment_check(upload) -> FileType:
    """What `upload` (a Django UploadedFile) really is, or AttachmentError saying why it
    cannot be attached."""
    if upload is None:
        raise AttachmentError("Select a file to attach")
    if upload.size == 0:
        raise AttachmentError("The selected file is empty")
    if upload.size > MAX_BYTES:
        raise AttachmentError("The selected file must be smaller than 10 MB")
    data = _read_all(upload)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" in data[-1024:]:
            return PDF
        raise AttachmentError("The selected file looks like a PDF but is damaged or incomplete")
    if data.startswith(b"PK\x03\x04"):
        if found := _office_type(data):
            return found
    elif data.startswith(OLE2_MAGIC):
        if "WordDocument".encode("utf-16-le") in data:
            return DOC
    elif found := _image_type(upload):
        return found
    if _claims(upload, ".pdf"):
        raise AttachmentError("The selected file is not a PDF, although its name ends in .pdf")
    if _claims(upload, ".doc", ".docx"):
        raise AttachmentError(
            "The selected file is not a Word document, although it is named as one"
        )
    if _claims(upload, ".xlsx", ".xls"):
        raise AttachmentError(
            "The selected file is not an Excel spreadsheet (.xlsx), although it is named as one"
        )
    raise AttachmentError(WRONG_TYPE)


def _clean_name(name: str) -> str:
    name = (name or "attachment").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[:200] or "attachment"


@transaction.atomic
def attachment_add(*, actor, proposal: Proposal, upload, title: str = "", now=None) -> Attachment:
    """Attach `upload` to the proposal: the team, while it can be edited. The file is stored
    under a random name with the extension its content shows."""
    proposal = proposal_lock(proposal)
    _require_editable(actor, proposal, now)
    if len(title) > 200:
        raise ExchangeError(
            "The title must be 200 characters or fewer.",
            {"title": "The title must be 200 characters or fewer"},
        )
    if proposal.attachments.filter(update__isnull=True).count() >= MAX_ATTACHMENTS:
        raise AttachmentError(
            f"A proposal can have up to {MAX_ATTACHMENTS} attachments. Remove one first."
        )
    return attachment_store(
        actor=actor, proposal=proposal, upload=upload, found=attachment_check(upload), title=title
    )


def attachment_store(
    *, actor, proposal: Proposal, upload, found: FileType, title: str = "", update=None
) -> Attachment:
    """Store `upload`, already checked (`found`), for the proposal or one of its progress
    updates: under a random name with the extension its content shows, a picture re-encoded
    without its metadata. The caller holds the rules of who may attach."""
    attachment = Attachment(
        proposal=proposal,
        update=update,
        token=secrets.token_hex(16),
        extension=found.extension,
        original_name=_clean_name(upload.name),
        title=title.strip(),
        kind=found.kind,
        content_type=found.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    try:
        data = (
            _image_without_metadata(upload)
            if found.kind == AttachmentKind.IMAGE
            else _read_all(upload)
        )
    except (OSError, ValueError, Image.DecompressionBombError):
        raise AttachmentError("The selected picture could not be read") from None
    attachment.size = len(data)
    attachment.file.save("upload", ContentFile(data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment, now=None) -> None:
    """Remove the file and its entry: the team, while the proposal can be edited."""
    proposal = proposal_lock(attachment.proposal)
    _require_editable(actor, proposal, now)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
