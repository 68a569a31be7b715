"""Writes for Q Exchange rounds and proposals: the round's set-up, a proposal's content, team,
"how you can contribute" points and plan timeline, and its stage.

Every service takes the acting user, runs in one transaction and writes an audit row where a
decision or a change of stage is involved. A proposal's stage changes only in
`proposal_transition`, which checks `PROPOSAL_TRANSITIONS` and the permission each move names.
Comments, supports, ballots and updates have their own modules (`services_*`)."""

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import ngettext

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError, require_perm
from qcommunity.core.formatting import uk_date
from qcommunity.core.taxonomy import Region
from qcommunity.core.words import word_count
from qcommunity.core.workflow import Move, Workflow

from . import rules  # noqa: F401 (registers the permissions the services check)
from .enums import PROPOSAL_TRANSITIONS, Stage, TeamRole, TimelineStatus
from .models import (
    ContributionPoint,
    Proposal,
    ProposalEdit,
    Round,
    Section,
    SectionAnswer,
    TeamMember,
    Theme,
    TimelineItem,
)
from .page_cache import exchange_changed
from .rules import proposal_edit_window


class ExchangeError(ServiceError):
    """An Exchange service refused (see `ServiceError`); answers are named
    "answer_<section id>"."""


def _require_perm(actor, perm: str, obj=None) -> None:
    require_perm(actor, perm, obj, error=ExchangeError)


# Rounds ----------------------------------------------------------------------------------------

ROUND_DATE_FIELDS = (
    "opens_at",
    "proposals_close_at",
    "comments_close_at",
    "voting_opens_at",
    "voting_closes_at",
    "decisions_at",
)


@dataclass(frozen=True)
class ThemeSpec:
    name: str
    question: str
    description: str = ""


@dataclass(frozen=True)
class SectionSpec:
    question: str
    guidance: str = ""
    word_limit: int = 500
    required_for_idea: bool = False


def _check_round_dates(dates: Mapping[str, dt.datetime]) -> dict[str, str]:
    problems = {}
    d = dates
    if not d["opens_at"] < d["proposals_close_at"]:
        problems["proposals_close_at"] = "Proposals must close after ideas open"
    if not d["proposals_close_at"] <= d["comments_close_at"]:
        problems["comments_close_at"] = "Comments must close on or after the proposal deadline"
    if not d["proposals_close_at"] <= d["voting_opens_at"]:
        problems["voting_opens_at"] = "Voting must open on or after the proposal deadline"
    if not d["voting_opens_at"] < d["voting_closes_at"]:
        problems["voting_closes_at"] = "Voting must close after it opens"
    elif not d["comments_close_at"] <= d["voting_closes_at"]:
        problems["comments_close_at"] = "Comments must close before voting closes"
    if not d["voting_closes_at"] <= d["decisions_at"]:
        problems["decisions_at"] = "Decisions must come after voting closes"
    return problems


def round_content_problems(
    *, year: int, themes, sections, choices_per_theme: int, current: Round | None = None
) -> dict[str, str]:
    """What is wrong with a round's year, themes, sections and ballot rule (`current`: the
    round being changed, whose own year is not a clash)."""
    problems = {}
    taken = Round.objects.filter(year=year)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        problems["year"] = f"There is already a round for {year}"
    if not themes:
        problems["themes"] = "Add at least one theme question"
    if not sections:
        problems["sections"] = "Add at least one section question"
    if choices_per_theme < 1:
        problems["choices_per_theme"] = "Members must choose at least one proposal per theme"
    return problems


@transaction.atomic
def round_create(
    *,
    actor,
    year: int,
    name: str,
    dates: Mapping[str, dt.datetime],
    funding_cap: int,
    choices_per_theme: int,
    themes: Sequence[ThemeSpec],
    sections: Sequence[SectionSpec],
    introduction: str = "",
) -> Round:
    """An unpublished round with its themes and sections, in the order given. Staff only.
    One round a year; at least one theme and one section."""
    _require_perm(actor, "exchange.manage_rounds")
    problems = _check_round_dates(dates) | round_content_problems(
        year=year, themes=themes, sections=sections, choices_per_theme=choices_per_theme
    )
    if problems:
        raise ExchangeError("The round was not saved. Check the answers.", problems)
    round_ = Round.objects.create(
        year=year,
        name=name,
        introduction=introduction,
        funding_cap=funding_cap,
        choices_per_theme=choices_per_theme,
        **{key: dates[key] for key in ROUND_DATE_FIELDS},
    )
    Theme.objects.bulk_create(
        Theme(round=round_, position=i, name=t.name, question=t.question, description=t.description)
        for i, t in enumerate(themes, start=1)
    )
    Section.objects.bulk_create(
        Section(
            round=round_,
            position=i,
            question=s.question,
            guidance=s.guidance,
            word_limit=s.word_limit,
            required_for_idea=s.required_for_idea,
        )
        for i, s in enumerate(sections, start=1)
    )
    exchange_changed()  # bulk_create sends no signal
    audit_record(
        actor=actor,
        action="exchange_round.create",
        target=round_,
        data={"year": year, **{key: dates[key].isoformat() for key in ROUND_DATE_FIELDS}},
    )
    return round_


@transaction.atomic
def round_update_dates(*, actor, round_: Round, dates: Mapping[str, dt.datetime]) -> Round:
    """Move a round's dates. Allowed at any time (a deadline may be extended) and audited with
    the old and new dates. Themes, sections and the ballot rule are changed only before the
    round is published (`round_update_content`)."""
    _require_perm(actor, "exchange.manage_rounds", round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    merged = {key: dates.get(key, getattr(round_, key)) for key in ROUND_DATE_FIELDS}
    if problems := _check_round_dates(merged):
        raise ExchangeError("The dates were not changed. Check the answers.", problems)
    changed = {
        key: {"from": getattr(round_, key).isoformat(), "to": value.isoformat()}
        for key, value in merged.items()
        if value != getattr(round_, key)
    }
    if not changed:
        return round_
    for key, value in merged.items():
        setattr(round_, key, value)
    round_.updated_at = timezone.now()
    round_.save(update_fields=[*ROUND_DATE_FIELDS, "updated_at"])
    audit_record(actor=actor, action="exchange_round.dates", target=round_, data=changed)
    return round_


@transaction.atomic
def round_publish(*, actor, round_: Round) -> Round:
    """Publish the round: it appears on /exchange/ and accepts ideas from its opening date. Its
    themes, sections and ballot rule are fixed from now on (proposals answer them)."""
    _require_perm(actor, "exchange.manage_rounds", round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.published_at is not None:
        return round_
    round_.published_at = timezone.now()
    round_.save(update_fields=["published_at"])
    audit_record(actor=actor, action="exchange_round.publish", target=round_)
    return round_


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
    _require_perm(actor, "exchange.create_proposal")
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
    _require_perm(actor, "exchange.change_proposal", proposal)
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
    proposal = _lock(proposal)
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


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)


# Every stage change of a proposal: the table is `enums.PROPOSAL_TRANSITIONS`.
PROPOSALS = Workflow(
    model=Proposal,
    field="stage",
    transitions=PROPOSAL_TRANSITIONS,
    audit="exchange_proposal",
    error=ExchangeError,
    noun="proposal",
    lock=_lock,
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
    proposal = _lock(proposal)
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
    proposal = _lock(proposal)
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
    proposal = _lock(member.proposal)
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
    proposal = _lock(member.proposal)
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
    proposal = _lock(proposal)
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
    proposal = _lock(proposal)
    _require_editable(actor, proposal, now)
    if not title.strip():
        raise ExchangeError("Say what happens on that date.", {"title": "Enter what happens"})
    return TimelineItem.objects.create(proposal=proposal, on=on, title=title.strip()[:200])


@transaction.atomic
def timeline_item_remove(*, actor, item: TimelineItem, now=None) -> None:
    """Delete a step while the proposal can be edited. Once funded, steps are dropped with a
    reason instead (`timeline_item_change`), so the record stays."""
    proposal = _lock(item.proposal)
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
    proposal = _lock(item.proposal)
    _require_perm(actor, "exchange.change_proposal", proposal)
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
