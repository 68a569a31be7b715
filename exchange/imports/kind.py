"""Past Q Exchange rounds: the import kind (`qcommunity.imports.kinds.ImportKind`).

What it makes, each under its own key so a second import of the same file, or of one that
overlaps it, creates nothing twice:
- a round per year ("round:2018"), published, marked imported, with its themes (early rounds
  had none) and the sections its proposals answer, in the order first met;
- each proposal ("proposal:2018:<address>") with its answers, team (people whose email matches
  an account here join the team with that account, the lead as lead; everyone else is named
  with their role line), "how you can contribute" points, dated plan, outcome (shortlisted,
  funded, not funded, with the date decided) and historic vote total (a stored number, not
  ballots);
- each comment and reply ("comment:2018:<address>:<digest of author, date and text>") with its
  original author (matched by email, otherwise shown by name as a guest) and date.

It writes the rows with the features' models directly: it sends no email and no notification
(the notifying services are never called), and the kit audits the import once. It keeps what
the site derives in step: the proposals' search columns and the Exchange pages' cache version.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from qcommunity.core.formatting import uk_date
from qcommunity.core.markdown import render_markdown
from qcommunity.core.words import word_count
from qcommunity.imports.enums import FileFormat
from qcommunity.imports.kinds import ApplyContext, ImportKind, PlanItem, RowError
from qcommunity.imports.selectors import imported_ids

from ..comments.models import Comment
from ..proposals.enums import Stage, TeamRole
from ..proposals.models import (
    ContributionPoint,
    Proposal,
    SectionAnswer,
    TeamMember,
    TimelineItem,
)
from ..proposals.services import _unique_slug, proposal_refresh_search
from ..rounds.models import Round, Section, Theme
from ..rounds.page_cache import exchange_changed
from .reading import (
    STAGES,
    CommentIn,
    PastRounds,
    ProposalIn,
    RoundIn,
    parse_moment,
    read_csv_rounds,
    read_json_rounds,
)

KEY = "exchange-rounds"
DEFAULT_FUNDING_CAP = 30000
VOTED_STAGES = {Stage.PROPOSAL, Stage.SHORTLISTED, Stage.FUNDED, Stage.NOT_FUNDED}
DECIDED = {Stage.SHORTLISTED, Stage.FUNDED, Stage.NOT_FUNDED}


def round_key(round_in: RoundIn) -> str:
    return f"round:{round_in.year}"


def proposal_slug(proposal: ProposalIn) -> str:
    return slugify(proposal.slug or proposal.title)[:100].strip("-")


def proposal_key(round_in: RoundIn, proposal: ProposalIn) -> str:
    return f"proposal:{round_in.year}:{proposal_slug(proposal)}"


def comment_key(parent_key: str, comment: CommentIn) -> str:
    who = (comment.author_email or comment.author_name).lower()
    when = comment.posted.isoformat() if comment.posted else ""
    digest = hashlib.sha256(f"{who}\n{when}\n{comment.body}".encode()).hexdigest()[:16]
    return (
        f"{parent_key}:{digest}"
        if parent_key.startswith("comment:")
        else (f"comment:{parent_key.removeprefix('proposal:')}:{digest}")
    )


def _walk(comments: list[CommentIn], parent_key: str):
    """(comment, key, parent key) for every comment and reply, parents first."""
    for comment in comments:
        key = comment_key(parent_key, comment)
        yield comment, key, parent_key
        yield from _walk(comment.replies, key)


def round_dates(round_in: RoundIn) -> dict:
    """The six dates: those the file gives, the rest from the year (the round runs through it:
    ideas open on 1 January, everything else closes on 31 December)."""
    year = round_in.year
    start = parse_moment(f"{year}-01-01T00:00")
    end = parse_moment(f"{year}-12-31T00:00")
    last = parse_moment(f"{year}-12-31T23:59")
    given = round_in.dates
    return {
        "opens_at": given.get("opens", start),
        "proposals_close_at": given.get("proposals_close", end),
        "comments_close_at": given.get("comments_close", given.get("proposals_close", end)),
        "voting_opens_at": given.get("voting_opens", given.get("proposals_close", end)),
        "voting_closes_at": given.get("voting_closes", last),
        "decisions_at": given.get("decisions", given.get("voting_closes", last)),
    }


def _dates_in_order(dates: dict) -> bool:
    return (
        dates["opens_at"] < dates["proposals_close_at"] <= dates["comments_close_at"]
        and dates["proposals_close_at"] <= dates["voting_opens_at"] < dates["voting_closes_at"]
        and dates["comments_close_at"] <= dates["voting_closes_at"] <= dates["decisions_at"]
    )


class PastRoundsImport(ImportKind):
    key = KEY
    label = "Past Q Exchange rounds"
    description = (
        "Rounds of Q Exchange from the earlier site: each round's year, name and themes, its "
        "ideas and proposals with their answers, team, plan, outcome and votes, and (in JSON) "
        "their comments and replies with the original authors and dates."
    )
    guide = (
        "JSON: a list of rounds, each with its year, name, themes (if it had any) and its "
        "proposals: title, summary, stage, date posted, theme, team, sections, plan, outcome, "
        "votes, and comments with their replies. CSV: one row per proposal, with its round, "
        "without comments. Every field is described, with an example file, in docs/imports "
        "in the site's code."
    )
    formats = (FileFormat.JSON, FileFormat.CSV)
    types = ("Round", "Proposal", "Comment")
    order = 20

    # parse ------------------------------------------------------------------------------------

    def parse(self, data: bytes, file_format: str) -> PastRounds:
        if file_format == FileFormat.CSV:
            return read_csv_rounds(data)
        return read_json_rounds(data)

    # validate ---------------------------------------------------------------------------------

    def validate(self, rows: PastRounds) -> list[RowError]:
        errors = [RowError(where, message) for where, message in rows.problems]
        add = lambda where, message: errors.append(RowError(where, message))  # noqa: E731
        if not rows.rounds:
            add("The file", "The file has no rounds.")
        years = [r.year for r in rows.rounds if r.year]
        made_before = imported_ids(KEY, [f"round:{y}" for y in years])
        existing = set(Round.objects.filter(year__in=years).values_list("year", flat=True))
        seen_years: set[int] = set()
        seen_proposals: set[str] = set()
        for round_in in rows.rounds:
            where = round_in.where
            if round_in.year is None or not 2000 <= round_in.year <= 2100:
                add(where, "Give the round's year, like 2018.")
                continue
            if round_in.year in seen_years:
                add(where, f"Round {round_in.year} is in the file twice.")
            seen_years.add(round_in.year)
            if round_in.year in existing and round_key(round_in) not in made_before:
                add(
                    where,
                    f"This site already has a round for {round_in.year} that was not imported. "
                    "An import never changes rounds made here: leave this round out of the file.",
                )
            if not round_in.name:
                add(where, "Give the round's name.")
            elif len(round_in.name) > 200:
                add(where, "The round's name must be 200 characters or fewer.")
            if not _dates_in_order(round_dates(round_in)):
                add(
                    where,
                    "The round's dates must be in order: opens, proposals close, comments "
                    "close, voting opens, voting closes, decisions.",
                )
            theme_names = set()
            for n, theme in enumerate(round_in.themes, start=1):
                if not theme.name or len(theme.name) > 120:
                    add(f"{where}, theme {n}", "Give the theme's name (120 characters or fewer).")
                if len(theme.question) > 300:
                    add(
                        f"{where}, theme {n}", "The theme question must be 300 characters or fewer."
                    )
                theme_names.add(theme.name)
            if not round_in.proposals:
                add(where, "The round has no proposals.")
            for proposal in round_in.proposals:
                key = proposal_key(round_in, proposal)
                if key in seen_proposals:
                    add(proposal.where, "The same proposal is in the file twice.")
                seen_proposals.add(key)
                self._validate_proposal(proposal, theme_names, add)
        return errors

    def _validate_proposal(self, p: ProposalIn, theme_names: set[str], add) -> None:
        where = p.where
        if not p.title:
            add(where, "Give the proposal's title.")
        elif len(p.title) > 150:
            add(where, "The title must be 150 characters or fewer.")
        elif not proposal_slug(p):
            add(where, "The title (or slug) must contain letters or numbers.")
        if not p.summary:
            add(where, "Give the proposal's one-line summary.")
        elif len(p.summary) > 300:
            add(where, "The summary must be 300 characters or fewer.")
        if p.stage not in STAGES:
            add(where, f"The stage must be one of: {', '.join(STAGES)}.")
        if theme_names and p.theme not in theme_names:
            add(where, "Give the proposal's theme: the name of one of its round's themes.")
        if not theme_names and p.theme:
            add(where, f"The round has no theme called “{p.theme}”.")
        if p.created is None:
            add(where, "Give the date the proposal was posted (“created”).")
        if p.votes is not None and p.stage not in VOTED_STAGES:
            add(where, "Only full proposals that were not withdrawn can have votes.")
        if len(p.team_name) > 100:
            add(where, "The team name must be 100 characters or fewer.")
        if sum(person.lead for person in p.team) > 1:
            add(where, "Only one person can be the lead.")
        self._validate_parts(p, add)
        self._validate_comments(p, add)

    def _validate_parts(self, p: ProposalIn, add) -> None:
        emails = set()
        for n, person in enumerate(p.team, start=1):
            where = p.where
            at = f"{where}, team member {n}"
            if not person.name and not person.email:
                add(at, "Give the team member's name or email address.")
            if person.email:
                if _bad_email(person.email):
                    add(at, f"“{person.email}” is not a valid email address.")
                if person.email.lower() in emails:
                    add(at, "This person is in the team twice.")
                emails.add(person.email.lower())
            if len(person.name) > 150 or len(person.role_line) > 200:
                add(at, "The name must be 150 characters or fewer and the role line 200.")
        for n, (question, answer) in enumerate(p.sections, start=1):
            at = f"{p.where}, section {n}"
            if not question or len(question) > 300:
                add(at, "Give the section's question (300 characters or fewer).")
            if len(answer) > 30000:
                add(at, "The answer must be 30,000 characters or fewer.")
        for n, point in enumerate(p.contributions, start=1):
            if not point or len(point) > 500:
                add(f"{p.where}, contribution {n}", "Each point must be 1 to 500 characters.")
        for n, (_day, title) in enumerate(p.plan, start=1):
            if not title or len(title) > 200:
                add(f"{p.where}, plan step {n}", "Give the step's title (200 characters or fewer).")

    def _validate_comments(self, p: ProposalIn, add) -> None:
        for comment, _key, _parent in _walk(p.comments, "proposal:"):
            if not comment.body:
                add(comment.where, "Give the comment's text.")
            elif len(comment.body) > 10000:
                add(comment.where, "The comment must be 10,000 characters or fewer.")
            if comment.posted is None:
                add(comment.where, "Give the date the comment was posted (“posted”).")
            if comment.author_email and _bad_email(comment.author_email):
                add(comment.where, f"“{comment.author_email}” is not a valid email address.")
            if not comment.author_name:
                add(comment.where, "Give the author's name (shown when no account matches).")
            elif len(comment.author_name) > 150:
                add(comment.where, "The author's name must be 150 characters or fewer.")

    # plan -------------------------------------------------------------------------------------

    def plan(self, rows: PastRounds) -> list[PlanItem]:
        items = []
        for round_in in rows.rounds:
            items.append(
                PlanItem("Round", round_key(round_in), f"{round_in.year}: {round_in.name}")
            )
            for proposal in round_in.proposals:
                key = proposal_key(round_in, proposal)
                items.append(PlanItem("Proposal", key, f"{round_in.year}: {proposal.title}"))
                for comment, ckey, _parent in _walk(proposal.comments, key):
                    items.append(
                        PlanItem(
                            "Comment",
                            ckey,
                            f"On “{proposal.title}” by {comment.author_name}, "
                            f"{uk_date(comment.posted)}",
                        )
                    )
        return items

    # apply ------------------------------------------------------------------------------------

    def apply(self, rows: PastRounds, context: ApplyContext) -> None:
        now = timezone.now()
        accounts = _accounts_by_email(rows)
        new_proposals: list[int] = []
        for round_in in rows.rounds:
            round_ = self._round(round_in, context, now)
            if round_ is None:
                continue
            themes = {t.name: t for t in round_.themes.all()}
            sections = {s.question: s for s in round_.sections.all()}
            for proposal_in in round_in.proposals:
                key = proposal_key(round_in, proposal_in)
                found = context.recorded_id(key)
                if found:
                    # Imported before: left as it is now (deleted since: not brought back).
                    proposal = Proposal.objects.filter(pk=found).first()
                    if proposal is None:
                        continue
                else:
                    proposal = self._proposal(
                        round_=round_,
                        p=proposal_in,
                        themes=themes,
                        sections=sections,
                        accounts=accounts,
                        now=now,
                    )
                    new_proposals.append(proposal.pk)
                    context.made(
                        kind_of="Proposal",
                        key=key,
                        obj=proposal,
                        label=f"{round_.year}: {proposal.title}",
                        href=reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}),
                    )
                self._comments(
                    proposal=proposal,
                    p=proposal_in,
                    key=key,
                    accounts=accounts,
                    context=context,
                    now=now,
                )
        proposal_refresh_search(proposal_ids=new_proposals)
        transaction.on_commit(exchange_changed)

    def _round(self, round_in: RoundIn, context: ApplyContext, now) -> Round | None:
        """The round, made unless an earlier import made it (None if it was deleted since)."""
        key = round_key(round_in)
        found = context.recorded_id(key)
        if found:
            round_ = Round.objects.filter(pk=found).first()
            if round_ is None:
                return None
        else:
            round_ = Round.objects.create(
                year=round_in.year,
                name=round_in.name,
                introduction=round_in.introduction,
                funding_cap=round_in.funding_cap or DEFAULT_FUNDING_CAP,
                choices_per_theme=1,
                published_at=now,
                imported_at=now,
                created_at=now,
                updated_at=now,
                **round_dates(round_in),
            )
            context.made(
                kind_of="Round",
                key=key,
                obj=round_,
                label=f"{round_.year}: {round_.name}",
                href=reverse("exchange:round-detail", kwargs={"year": round_.year}),
            )
        # Themes and sections the file names that the round lacks (an overlapping file may add
        # proposals answering more questions), after those it has.
        themes = {t.name for t in round_.themes.all()}
        position = len(themes)
        for theme in round_in.themes:
            if theme.name not in themes:
                position += 1
                themes.add(theme.name)
                Theme.objects.create(
                    round=round_, position=position, name=theme.name, question=theme.question
                )
        sections = {s.question for s in round_.sections.all()}
        position = len(sections)
        longest: dict[str, int] = {}
        for proposal in round_in.proposals:
            for question, answer in proposal.sections:
                longest[question] = max(longest.get(question, 0), word_count(answer))
        for question, words in longest.items():
            if question not in sections:
                position += 1
                sections.add(question)
                Section.objects.create(
                    round=round_,
                    position=position,
                    question=question,
                    word_limit=max(500, words),
                )
        return round_

    def _proposal(self, *, round_, p: ProposalIn, themes, sections, accounts, now) -> Proposal:
        stage = Stage(p.stage)
        decided = p.decided or round_.decisions_at
        lead_person = next((person for person in p.team if person.lead), None)
        lead = (
            accounts.get(lead_person.email.lower()) if lead_person and lead_person.email else None
        )
        proposal = Proposal.objects.create(
            round=round_,
            theme=themes.get(p.theme),
            slug=_unique_slug(p.slug or p.title),
            title=p.title,
            summary=p.summary,
            stage=stage,
            lead=lead,
            team_name=p.team_name,
            amount_requested=p.amount_requested,
            created_at=p.created,
            updated_at=p.created,
            developed_at=p.created if stage not in (Stage.IDEA,) else None,
            decided_at=decided if stage in DECIDED else None,
            shortlisted_at=decided if stage in (Stage.SHORTLISTED, Stage.FUNDED) else None,
            withdrawn_at=decided if stage == Stage.WITHDRAWN else None,
            imported_at=now,
            imported_votes=p.votes,
        )
        team, on_team = [], set()
        for position, person in enumerate(p.team):
            user = accounts.get(person.email.lower()) if person.email else None
            if user is not None and user.pk in on_team:
                continue
            if user is not None:
                on_team.add(user.pk)
            team.append(
                TeamMember(
                    proposal=proposal,
                    user=user,
                    name="" if user else (person.name or person.email),
                    role_line=person.role_line,
                    role=TeamRole.LEAD if user is not None and user == lead else TeamRole.MEMBER,
                    position=position,
                    accepted_at=p.created if user is not None else None,
                )
            )
        TeamMember.objects.bulk_create(team)
        SectionAnswer.objects.bulk_create(
            SectionAnswer(
                proposal=proposal,
                section=sections_get(sections, round_, question),
                text=answer,
                words=word_count(answer),
                updated_at=p.created,
            )
            for question, answer in p.sections
        )
        ContributionPoint.objects.bulk_create(
            ContributionPoint(proposal=proposal, position=n, text=text)
            for n, text in enumerate(p.contributions)
        )
        TimelineItem.objects.bulk_create(
            TimelineItem(proposal=proposal, on=day, title=title) for day, title in p.plan
        )
        return proposal

    def _comments(self, *, proposal, p: ProposalIn, key, accounts, context, now) -> None:
        # Comments still there (a moderator may have deleted one an earlier import made).
        present = {str(pk) for pk in proposal.comments.values_list("pk", flat=True)}
        for comment_in, ckey, parent_key in _walk(p.comments, key):
            if context.recorded_id(ckey):
                continue
            parent_id = context.recorded_id(parent_key) if parent_key != key else None
            if parent_id is not None and parent_id not in present:
                continue  # its comment is gone, so the reply has nothing to answer
            author = (
                accounts.get(comment_in.author_email.lower()) if comment_in.author_email else None
            )
            comment = Comment.objects.create(
                proposal=proposal,
                parent_id=parent_id,
                author=author,
                guest_name="" if author else comment_in.author_name,
                body=comment_in.body,
                body_html=render_markdown(comment_in.body),
                created_at=comment_in.posted,
                imported_at=now,
            )
            present.add(str(comment.pk))
            context.made(
                kind_of="Comment",
                key=ckey,
                obj=comment,
                label=f"On “{proposal.title}” by {comment.author_name}, "
                f"{uk_date(comment.created_at)}",
                href=reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
                + f"#comment-{comment.pk}",
            )


def sections_get(sections: dict, round_, question: str) -> Section:
    """The round's section for `question` (made by `_round` for every question in the file)."""
    if question not in sections:
        sections.update({s.question: s for s in round_.sections.all()})
    return sections[question]


def _bad_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return True
    return len(email) > 254


def _accounts_by_email(rows: PastRounds) -> dict:
    """{lower-case email: account} for every address in the file that has an active account
    here. One query."""
    emails = set()
    for round_in in rows.rounds:
        for proposal in round_in.proposals:
            emails.update(person.email.lower() for person in proposal.team if person.email)
            emails.update(
                c.author_email.lower()
                for c, _k, _p in _walk(proposal.comments, "proposal:")
                if c.author_email
            )
    if not emails:
        return {}
    users = (
        get_user_model()
        .objects.annotate(address=Lower("email"))
        .filter(address__in=emails, is_active=True, deleted_at__isnull=True)
    )
    return {user.address: user for user in users}
