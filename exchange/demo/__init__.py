"""Demo Q Exchange rounds, for local development: last year's round (decided: funded projects
with progress updates and a plan kept up to date, proposals not funded, some withdrawn), this
year's round (voting open now, comments closing in two days, some ballots cast) and next year's
round (taking ideas now: opened 5 days ago, full proposals due in 100 days; three ideas so far).
About 60 proposals in all, in every stage.

Everyone and everything here is invented. The words are hand-written parts
(`exchange.demo.content`) combined with a fixed random seed, so each run writes the same
proposals. Everything is made through the real services (rounds, proposals, teams, plans,
attachments, comments, supports, ballots, decisions, updates), passing the time (`now=`) to
the services that check a window, so the data passes every rule the site holds. Last year's
ballots are cast while its voting dates are moved around today, then the dates are moved back
(`round_update_dates`, audited as staff would be).

`seed_exchange` is idempotent: a round whose year exists is left exactly as it is. It needs the
demo accounts and the demo directory (its members lead, join, comment, support and vote) and
refuses production settings.

The demo member (member@demo.q.example) leads a proposal standing in this year's vote, is a
co-author of one of last year's funded projects (so they can post updates and mark the plan)
and leads an idea in next year's round with every section answered and a co-author, so its
editing pages, the lead handover and "Turn your idea into a full proposal" are open to them.
The demo moderator has an open report to handle; one comment is hidden with a reason. This
year's shortlisting panel has the demo panel member part way through their reviews, chaired by
the demo chair."""

import datetime as dt
import io
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from members.demo.directory import PLACES
from members.models import Topic
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.core.demo import refuse_in_production
from qcommunity.core.taxonomy import Region
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment
from qcommunity.scoring.services import (
    CriterionSpec,
    ScalePointSpec,
    ScoreInput,
    assignment_confirm_no_conflict,
)

from ..comments.models import Comment
from ..comments.services import comment_hide, comment_post, comment_report
from ..decisions.services import progress_update_post, proposal_decide
from ..proposals.enums import Stage, TimelineStatus
from ..proposals.models import Proposal
from ..proposals.services import (
    attachment_add,
    contributions_set,
    proposal_transition,
    proposal_update,
    team_invitation_accept,
    team_member_add,
    team_name_set,
    timeline_item_add,
    timeline_item_change,
)
from ..proposals.services import proposal_create as _proposal_create
from ..rounds.models import Round
from ..rounds.services import (
    SectionSpec,
    ThemeSpec,
    round_create,
    round_publish,
    round_update_dates,
)
from ..shortlist.kind import PROPOSAL_PANELS
from ..shortlist.services import (
    proposal_assignments_distribute,
    proposal_review_submit,
    round_criteria_set,
    shortlist_panel_create,
    shortlist_panel_member_invite,
)
from ..voting.models import Ballot
from ..voting.services import ballot_cast, ballot_rules, ballot_rules_check_now, support_add
from . import content as words

DAY = dt.timedelta(days=1)
SEED = 20261207
ADMIN_EMAIL = "admin@demo.q.example"
MODERATOR_EMAIL = "moderator@demo.q.example"
MEMBER_EMAIL = "member@demo.q.example"
GUEST_EMAIL = "user@demo.q.example"
PANEL_EMAIL = "panel@demo.q.example"
CHAIR_EMAIL = "chair@demo.q.example"
DEMO_ACCOUNT_DOMAIN = "@demo.q.example"

# Stages, in the order proposals are made: "F" funded, "N" not funded, "SN" shortlisted then
# not funded, "S" shortlisted, "P" proposal, "I" idea, "WP" withdrawn proposal, "WI" withdrawn
# idea. The first of last year's funded projects has the demo member as a co-author; the first
# of this year's proposals is led by the demo member.
PAST_STAGES = ["F"] * 5 + ["N"] * 10 + ["SN"] * 3 + ["WP", "WP", "WI"] + ["I"] * 5
CURRENT_STAGES = ["P"] * 20 + ["S"] * 6 + ["I"] * 5 + ["WP", "WP", "WI"]
PAST_VOTERS = 40
CURRENT_VOTERS = 15

FUNDING_CAP = 30000


def round_name(year: int) -> str:
    return f"Q Exchange {year}"


# Round set-up --------------------------------------------------------------------------------

PAST_THEMES = (
    ThemeSpec(
        "Across boundaries",
        "How can we improve care across the boundaries between organisations?",
        "Projects that bring together teams that do not usually work together: hospital and "
        "home, health and social care, NHS and voluntary sector.",
    ),
    ThemeSpec(
        "Fairer health",
        "How can we reduce unfair differences in health and care?",
        "Projects that reach the people services serve least well.",
    ),
)
PAST_SECTIONS = (
    SectionSpec(
        "What problem will your project tackle, and how does it link to the theme?",
        "Say who is affected and how you know.",
        300,
        True,
    ),
    SectionSpec("What will your project achieve?", "Be specific about the change.", 250, True),
    SectionSpec("How will you do it?", "The main steps, and who does what.", 400),
    SectionSpec("How will you know it has worked?", "Your measures, and how often.", 250),
    SectionSpec("How will you share what you learn with Q members?", "", 200),
)
CURRENT_THEMES = (
    ThemeSpec(
        "With communities",
        "How can we improve health and care together with the communities we serve?",
    ),
    ThemeSpec(
        "Everyday improvement",
        "How can we make improvement part of everyday work for health and care teams?",
    ),
    ThemeSpec("Data and digital", "How can data and digital tools help people improve care?"),
)
CURRENT_SECTIONS = (
    SectionSpec("What is the problem, and who does it affect?", "", 250, True),
    SectionSpec("What difference do you want to make?", "", 200, True),
    SectionSpec(
        "Who is involved, and how have people with lived experience shaped the idea?", "", 250
    ),
    SectionSpec("What will you do, step by step?", "", 400),
    SectionSpec("How will you measure progress?", "", 250),
    SectionSpec("How could others use what you learn?", "", 200),
)
FUTURE_THEMES = (
    ThemeSpec("Prevention", "How can we help people stay well for longer?"),
    ThemeSpec("Greener care", "How can we improve care and cut its harm to the planet?"),
)
FUTURE_SECTIONS = (
    SectionSpec("What is the problem you want to solve?", "", 250, True),
    SectionSpec("What will you do, and with whom?", "", 400),
    SectionSpec("How will you know it worked?", "", 250),
    SectionSpec("Who else could use what you learn?", "", 200),
)
# Which part of a core idea answers each section, by position.
PAST_ANSWER_PARTS = ("problem", "aim", "steps", "measure", "share")
CURRENT_ANSWER_PARTS = ("problem", "aim", "people", "steps", "measure", "share")


def _dates(now: dt.datetime, days: tuple[int, ...]) -> dict[str, dt.datetime]:
    keys = (
        "opens_at",
        "proposals_close_at",
        "comments_close_at",
        "voting_opens_at",
        "voting_closes_at",
        "decisions_at",
    )
    return {key: now + n * DAY for key, n in zip(keys, days, strict=True)}


def _create_round(admin, year, dates, *, themes, sections, choices, introduction) -> Round:
    round_ = round_create(
        actor=admin,
        year=year,
        name=round_name(year),
        dates=dates,
        funding_cap=FUNDING_CAP,
        choices_per_theme=choices,
        themes=themes,
        sections=sections,
        introduction=introduction,
    )
    round_ = round_publish(actor=admin, round_=round_)
    # Published when staff would have published it: two weeks before ideas opened, or today.
    published = min(dates["opens_at"] - 14 * DAY, timezone.now())
    Round.objects.filter(pk=round_.pk).update(published_at=published)
    round_.refresh_from_db()
    return round_


# Generated files -----------------------------------------------------------------------------


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid one-page PDF with a title and a few lines of text."""

    def escape(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = ["BT /F1 18 Tf 56 780 Td (" + escape(title) + ") Tj ET"]
    for n, line in enumerate(lines):
        stream.append(f"BT /F1 11 Tf 56 {740 - 18 * n} Td ({escape(line)}) Tj ET")
    content = "\n".join(stream).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def demo_png(labels: list[str], seed: int) -> bytes:
    """A small driver-diagram-like picture: an aim box linked to a box per label."""
    rng = random.Random(seed)  # noqa: S311 (made-up pictures)
    image = Image.new("RGB", (480, 270), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    colour = rng.choice([(0, 94, 184), (0, 114, 198), (0, 48, 135), (0, 150, 57)])
    draw.rectangle((16, 105, 150, 165), outline=colour, width=3)
    draw.text((26, 128), "Our aim", fill=colour)
    for n, label in enumerate(labels[:4]):
        top = 20 + n * 62
        draw.rectangle((220, top, 464, top + 46), outline=colour, width=2)
        draw.text((230, top + 16), label[:36], fill=(33, 43, 50))
        draw.line((150, 135, 220, top + 23), fill=colour, width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# People --------------------------------------------------------------------------------------


@dataclass
class Cast:
    admin: User
    moderator: User
    member: User
    guest: User
    panel: User
    chair: User
    directory: list[User]  # demo directory members, who cannot sign in
    rng: random.Random

    def others(self, k: int, exclude=()) -> list[User]:
        pool = [u for u in self.directory if u.pk not in {x.pk for x in exclude}]
        return self.rng.sample(pool, min(k, len(pool)))


def _cast(rng: random.Random) -> Cast:
    accounts = User.objects.in_bulk(
        [ADMIN_EMAIL, MODERATOR_EMAIL, MEMBER_EMAIL, GUEST_EMAIL, PANEL_EMAIL, CHAIR_EMAIL],
        field_name="email",
    )
    directory = list(
        User.objects.filter(
            email__endswith=DEMO_ACCOUNT_DOMAIN, is_active=True, roles__role=Role.MEMBER
        )
        .exclude(email__regex=r"^[a-z]+@demo\.q\.example$")  # the demo accounts
        .exclude(email__endswith=".applicant@demo.q.example")
        .exclude(email__endswith=".reviewer@demo.q.example")
        .order_by("email")
        .distinct()
    )
    if len(directory) < 20:
        raise RuntimeError("Seed the demo directory first (it gives the Exchange its people).")
    return Cast(
        admin=accounts[ADMIN_EMAIL],
        moderator=accounts[MODERATOR_EMAIL],
        member=accounts[MEMBER_EMAIL],
        guest=accounts[GUEST_EMAIL],
        panel=accounts[PANEL_EMAIL],
        chair=accounts[CHAIR_EMAIL],
        directory=directory,
        rng=rng,
    )


# Proposals -----------------------------------------------------------------------------------


@dataclass
class Plan:
    """What one demo proposal will be."""

    core: words.Core
    place: str
    region: str
    stage: str
    lead: User
    co_author: User | None = None
    team_name: str = ""
    made: Proposal | None = None


def _answer(part: str, core: words.Core, place: str, rng: random.Random) -> str:
    fill = {"place": place}
    if part == "problem":
        return f"{rng.choice(words.PROBLEM_OPENERS)} {core.problem.format(**fill)}"
    if part == "aim":
        return f"{core.aim.format(**fill)}\n\n{rng.choice(words.AIM_CLOSERS)}"
    if part == "people":
        return core.people.format(**fill)
    if part == "steps":
        steps = "\n".join(f"{n}. {step}" for n, step in enumerate(core.steps, start=1))
        return f"We will work in small tests of change, in this order:\n\n{steps}"
    if part == "measure":
        return f"{core.measure.format(**fill)} {rng.choice(words.MEASURE_CLOSERS)}"
    return f"{core.share.format(**fill)} {rng.choice(words.SHARE_CLOSERS)}"


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + (end - start) * rng.uniform(0.05, 0.95)


def _plans(rng, cast, stages, used, *, member_role: str) -> list[Plan]:
    plans = []
    pool = cast.others(len(stages))
    leads = [pool[n % len(pool)] for n in range(len(stages))]
    for n, stage in enumerate(stages):
        while True:
            core = words.CORES[rng.randrange(len(words.CORES))]
            region = rng.choice(list(Region))
            place = rng.choice(PLACES[region])
            if (core.title, place) not in used:
                break
        plan = Plan(core=core, place=place, region=region.value, stage=stage, lead=leads[n])
        if n == 0 and member_role == "lead":
            # The demo member's own proposal: huddles, in their own place and region.
            plan.core, plan.place, plan.region = words.CORES[2], "Solent Reach", Region.WESSEX
            plan.lead = cast.member
            plan.team_name = "#HuddleUp"
        elif n == 0 and member_role == "co_author":
            plan.co_author = cast.member
        used.add((plan.core.title, plan.place))
        plans.append(plan)
    return plans


def _make_proposal(cast: Cast, round_: Round, plan: Plan, parts, topics, *, created, developed):
    """Create the idea, write its answers, team, points, plan and files; develop it if it is to
    be a full proposal (`developed` is when)."""
    rng = cast.rng
    core, lead = plan.core, plan.lead
    themes = list(round_.themes.all())
    theme = themes[core.lean % len(themes)]
    proposal = _proposal_create(
        actor=lead,
        round_=round_,
        theme=theme,
        title=core.title.format(place=plan.place),
        summary=core.summary,
        now=created,
    )
    sections = list(round_.sections.all())
    is_idea = developed is None
    answers = {
        section.pk: _answer(part, core, plan.place, rng)
        for section, part in zip(sections, parts, strict=True)
        if section.required_for_idea or not is_idea or rng.random() < 0.3
    }
    regions = [plan.region]
    if rng.random() < 0.25:
        regions.append(rng.choice(list(Region)).value)
    proposal = proposal_update(
        actor=lead,
        proposal=proposal,
        title=proposal.title,
        summary=proposal.summary,
        theme=theme,
        answers=answers,
        regions=regions,
        topic_ids=[topics[name] for name in core.topics if name in topics],
        amount_requested=rng.randrange(6, FUNDING_CAP // 1000 + 1) * 1000,
        now=created + dt.timedelta(hours=2),
    )
    co_authors = [plan.co_author] if plan.co_author else []
    co_authors += cast.others(rng.randint(0, 2), exclude=[lead, *co_authors])
    for person in co_authors:
        member = team_member_add(
            actor=lead,
            proposal=proposal,
            user=person,
            role_line=rng.choice(words.ROLE_LINES),
            co_author=True,
            now=created,
        )
        team_invitation_accept(actor=person, member=member, now=created + DAY)
    for name in rng.sample(words.NAMED_PEOPLE, rng.randint(0, 2)):
        team_member_add(
            actor=lead,
            proposal=proposal,
            name=name,
            role_line=rng.choice(words.ROLE_LINES),
            now=created,
        )
    if plan.team_name:
        team_name_set(actor=lead, proposal=proposal, team_name=plan.team_name, now=created)
    elif rng.random() < 0.2:
        team_name_set(
            actor=lead,
            proposal=proposal,
            team_name=f"#{plan.place.replace(' ', '')}Improves",
            now=created,
        )
    contributions_set(actor=lead, proposal=proposal, points=list(core.contributions), now=created)
    if not is_idea or rng.random() < 0.5:
        start = round_.decisions_at.date()
        for n, title in enumerate(core.plan):
            on = start + dt.timedelta(days=30 + 80 * n)
            timeline_item_add(actor=lead, proposal=proposal, on=on, title=title, now=created)
    title = core.title.format(place=plan.place)
    if rng.random() < 0.4:
        attachment_add(
            actor=lead,
            proposal=proposal,
            upload=SimpleUploadedFile(
                "plan-on-a-page.pdf",
                demo_pdf(title, [core.summary, "", *core.steps]),
                content_type="application/pdf",
            ),
            title="Our plan on a page",
            now=created,
        )
    if rng.random() < 0.3:
        attachment_add(
            actor=lead,
            proposal=proposal,
            upload=SimpleUploadedFile(
                "driver-diagram.png",
                demo_png(list(core.steps), rng.randrange(1000)),
                content_type="image/png",
            ),
            title="Driver diagram",
            now=created,
        )
    if not is_idea:
        proposal = proposal_transition(
            actor=lead, proposal=proposal, action="develop", now=developed
        )
    plan.made = proposal
    return proposal


# Comments ------------------------------------------------------------------------------------


def _comment_threads(cast: Cast, plan: Plan, start: dt.datetime, end: dt.datetime, threads: int):
    """`threads` top-level comments between `start` and `end`, most with replies: from the team
    (the lead), other members and guests."""
    rng = cast.rng
    proposal = plan.made
    times = sorted(_between(rng, start, end) for _ in range(threads * 3))
    step = 0

    def at() -> dt.datetime:
        nonlocal step
        moment = times[min(step, len(times) - 1)] + dt.timedelta(minutes=step)
        step += 1
        return moment

    for _ in range(threads):
        if rng.random() < 0.15:
            author, body = cast.guest, rng.choice(words.GUEST_COMMENTS)
        else:
            author = cast.others(1, exclude=[plan.lead])[0]
            body = rng.choice(words.MEMBER_COMMENTS).format(other=rng.choice(PLACES[Region.OXFORD]))
        top = comment_post(actor=author, proposal=proposal, body=body, now=at())
        if rng.random() < 0.65:
            reply = comment_post(
                actor=plan.lead,
                proposal=proposal,
                body=rng.choice(words.TEAM_REPLIES),
                parent=top,
                now=at(),
            )
            if rng.random() < 0.3:
                comment_post(
                    actor=author,
                    proposal=proposal,
                    body="Thank you, that answers my question.",
                    parent=reply,
                    now=at(),
                )
        if rng.random() < 0.3:
            other = cast.others(1, exclude=[plan.lead, author])[0]
            comment_post(
                actor=other,
                proposal=proposal,
                body=rng.choice(words.OTHER_REPLIES),
                parent=top,
                now=at(),
            )


def _supports(cast: Cast, plans: list[Plan], low: int, high: int) -> None:
    rng = cast.rng
    for plan in plans:
        if plan.made.stage == Stage.WITHDRAWN:
            continue
        for person in cast.others(rng.randint(low, high), exclude=[plan.lead]):
            support_add(actor=person, proposal=plan.made)


def _ballots(cast: Cast, round_: Round, voters: list[User]) -> None:
    rng = cast.rng
    rules = ballot_rules(round_)
    for voter in voters:
        chosen = []
        for rule in rules:
            chosen += [p.pk for p in rng.sample(rule.standing, rule.needed)]
        ballot_cast(actor=voter, round_=round_, proposal_ids=chosen)


# The rounds ----------------------------------------------------------------------------------


def seed_past_round(cast: Cast, year: int, now: dt.datetime, topics, used) -> Round:
    """Last year's round, decided 300 days ago."""
    rng = cast.rng
    dates = _dates(now, (-430, -350, -322, -330, -316, -300))
    round_ = _create_round(
        cast.admin,
        year,
        dates,
        themes=PAST_THEMES,
        sections=PAST_SECTIONS,
        choices=3,
        introduction=(
            f"Q Exchange {year} funded projects of up to £{FUNDING_CAP:,} that improve health "
            "and care across boundaries and for the people services reach least well."
        ),
    )
    plans = _plans(rng, cast, PAST_STAGES, used, member_role="co_author")
    for plan in plans:
        created = _between(rng, dates["opens_at"], dates["opens_at"] + 50 * DAY)
        developed = None
        if plan.stage not in ("I", "WI"):
            developed = _between(rng, created + 3 * DAY, dates["proposals_close_at"] - DAY)
        _make_proposal(
            cast,
            round_,
            plan,
            PAST_ANSWER_PARTS,
            topics,
            created=created,
            developed=developed,
        )
        end = dates["comments_close_at"] - DAY
        if plan.stage.startswith("W"):
            end = dates["voting_opens_at"] - 6 * DAY
        _comment_threads(cast, plan, created + DAY, end, rng.choice([0, 1, 2, 2, 3, 4]))
    withdrawn_at = dates["voting_opens_at"] - 5 * DAY
    for plan in plans:
        if plan.stage.startswith("W"):
            plan.made = proposal_transition(
                actor=plan.lead, proposal=plan.made, action="withdraw", now=withdrawn_at
            )
    _supports(cast, plans, 0, 9)

    # The ballots: cast while the voting dates are moved around today, then moved back.
    round_update_dates(
        actor=cast.admin,
        round_=round_,
        dates={
            "voting_opens_at": now - DAY,
            "voting_closes_at": now + DAY,
            "decisions_at": now + 2 * DAY,
        },
    )
    round_.refresh_from_db()
    _ballots(cast, round_, cast.others(PAST_VOTERS))
    voted = dates["voting_opens_at"] + 4 * DAY
    Ballot.objects.filter(round=round_).update(created_at=voted, updated_at=voted)
    ballot_rules_check_now()  # the ballots are judged now, while the window is open
    round_ = round_update_dates(
        actor=cast.admin,
        round_=round_,
        dates={key: dates[key] for key in ("voting_opens_at", "voting_closes_at", "decisions_at")},
    )

    shortlisted_at = dates["voting_closes_at"] + 2 * DAY
    decided_at = dates["decisions_at"]
    for plan in plans:
        if plan.stage in ("F", "SN"):
            proposal_decide(
                actor=cast.moderator,
                proposal=plan.made,
                action="shortlist",
                reason="Strong support in the vote and a clear plan to measure the change.",
                now=shortlisted_at,
            )
        if plan.stage == "F":
            plan.made = proposal_decide(
                actor=cast.moderator,
                proposal=plan.made,
                action="fund",
                reason="The panel liked the partnership with people with lived experience and "
                "the plan to share what the team learns.",
                now=decided_at,
            )
            _funded_record(cast, plan, decided_at, now)
        elif plan.stage in ("N", "SN"):
            plan.made = proposal_decide(
                actor=cast.moderator,
                proposal=plan.made,
                action="not_fund",
                reason="Many good proposals this year. The panel felt the measures needed more "
                "work; we would welcome this idea again next year.",
                now=decided_at,
            )
    return round_


def _funded_record(cast: Cast, plan: Plan, decided_at: dt.datetime, now: dt.datetime) -> None:
    """A funded project's public record: updates, and its plan marked done, moved or dropped."""
    rng = cast.rng
    proposal = plan.made
    authors = [plan.lead] + ([plan.co_author] if plan.co_author else [])
    for n, (title, body) in enumerate(words.UPDATE_TEXTS[: rng.randint(1, 3)]):
        progress_update_post(
            actor=authors[n % len(authors)],
            proposal=proposal,
            title=title,
            body=body,
            now=decided_at + (45 + 80 * n) * DAY,
        )
    items = list(proposal.timeline.all())
    for n, item in enumerate(items):
        if item.on >= (now - 45 * DAY).date():
            break  # recent and future steps are still planned
        when = timezone.make_aware(dt.datetime.combine(item.on, dt.time(12))) + DAY
        if n == 2:
            timeline_item_change(
                actor=plan.lead,
                item=item,
                status=TimelineStatus.MOVED,
                on=item.on + 60 * DAY,
                reason=rng.choice(words.MOVED_REASONS),
                now=when,
            )
        elif n == 3 and rng.random() < 0.5:
            timeline_item_change(
                actor=plan.lead,
                item=item,
                status=TimelineStatus.DROPPED,
                reason=words.DROPPED_REASONS[0],
                now=when,
            )
        else:
            timeline_item_change(actor=plan.lead, item=item, status=TimelineStatus.DONE, now=when)


def seed_current_round(cast: Cast, year: int, now: dt.datetime, topics, used) -> Round:
    """This year's round: voting open (closes in 10 days), comments close in 2 days."""
    rng = cast.rng
    dates = _dates(now, (-150, -40, 2, -6, 10, 35))
    round_ = _create_round(
        cast.admin,
        year,
        dates,
        themes=CURRENT_THEMES,
        sections=CURRENT_SECTIONS,
        choices=2,
        introduction=(
            f"Q Exchange {year} funds projects of up to £{FUNDING_CAP:,}. Voting is open: choose "
            "two proposals in each theme."
        ),
    )
    plans = _plans(rng, cast, CURRENT_STAGES, used, member_role="lead")
    for n, plan in enumerate(plans):
        created = _between(rng, dates["opens_at"], dates["proposals_close_at"] - 30 * DAY)
        developed = None
        if plan.stage not in ("I", "WI"):
            developed = _between(rng, created + 3 * DAY, dates["proposals_close_at"] - DAY)
        _make_proposal(
            cast,
            round_,
            plan,
            CURRENT_ANSWER_PARTS,
            topics,
            created=created,
            developed=developed,
        )
        end = now - DAY
        if plan.stage.startswith("W"):
            end = dates["proposals_close_at"] - DAY
        threads = 6 if n == 0 else rng.choice([0, 1, 2, 2, 3, 3, 4])
        _comment_threads(cast, plan, created + DAY, end, threads)
    for plan in plans:
        if plan.stage.startswith("W"):
            plan.made = proposal_transition(
                actor=plan.lead,
                proposal=plan.made,
                action="withdraw",
                now=dates["proposals_close_at"] - 2 * DAY,
            )
    _shortlisting_panel(cast, round_, plans, dates["proposals_close_at"] + DAY)
    for plan in plans:
        if plan.stage == "S":
            plan.made = proposal_decide(
                actor=cast.moderator,
                proposal=plan.made,
                action="shortlist",
                reason="Shortlisted by the panel: a clear problem, people with lived experience "
                "in the team and a realistic plan.",
                now=dates["voting_opens_at"] - DAY,
            )
    _moderation_examples(cast, plans, now)
    _supports(cast, plans, 1, 12)
    for plan in plans[1:6]:
        if plan.made.stage != Stage.WITHDRAWN:
            support_add(actor=cast.member, proposal=plan.made)
    _ballots(cast, round_, [*cast.others(CURRENT_VOTERS), cast.moderator])
    return round_


SHORTLIST_CRITERIA = (
    CriterionSpec(
        "A clear problem that matters",
        "The problem is specific, and the people it affects helped describe it.",
        "Look for evidence: numbers, stories, who said so.",
    ),
    CriterionSpec(
        "A realistic plan",
        "The steps, the team and the money add up to something that can be done in a year.",
    ),
    CriterionSpec(
        "Learning that others can use",
        "The team will measure what happens and share it, including what did not work.",
    ),
)
SHORTLIST_SCALE = (
    ScalePointSpec(1, "Weak", "Little in the proposal speaks to this."),
    ScalePointSpec(2, "Fair", "Some of it is there, with gaps."),
    ScalePointSpec(3, "Good", "Clearly meets this."),
    ScalePointSpec(4, "Excellent", "Well beyond what we asked for."),
)


def _shortlisting_panel(cast: Cast, round_: Round, plans: list[Plan], when) -> None:
    """This year's shortlisting panel: the demo panel member and an invented reviewer score the
    proposals against the round's criteria, chaired by the demo chair. The invented reviewer
    has scored everything given to them; the demo panel member has scored half of theirs."""
    rng = cast.rng
    round_criteria_set(
        actor=cast.admin, round_=round_, criteria=SHORTLIST_CRITERIA, scale=SHORTLIST_SCALE
    )
    round_.refresh_from_db()
    panel = shortlist_panel_create(
        actor=cast.admin, round_=round_, name=f"{round_.name} shortlisting panel"
    )
    leads = {plan.lead.pk for plan in plans}
    reviewer = next(u for u in cast.directory if u.pk not in leads)
    for person, role in ((cast.panel, PanelRole.REVIEWER), (reviewer, PanelRole.REVIEWER),
                         (cast.chair, PanelRole.CHAIR)):  # fmt: skip
        shortlist_panel_member_invite(actor=cast.admin, panel=panel, email=person.email, role=role)
    proposal_assignments_distribute(actor=cast.admin, panel=panel, now=when, rng=rng)
    criteria = list(round_.scheme.criteria.order_by("position"))
    for person, share in ((reviewer, 1.0), (cast.panel, 0.5)):
        mine = list(
            Assignment.objects.filter(
                panel=panel, reviewer=person, status=AssignmentStatus.ASSIGNED
            ).order_by("subject_id")
        )
        for assignment in mine[: round(len(mine) * share)]:
            assignment_confirm_no_conflict(PROPOSAL_PANELS, actor=person, assignment=assignment)
            values = [rng.randint(2, 4) for _ in criteria]
            proposal_review_submit(
                actor=person,
                assignment=assignment,
                scores=[
                    ScoreInput(c.pk, v, "Clear and well argued.")
                    for c, v in zip(criteria, values, strict=True)
                ],
                recommendation="support" if sum(values) >= 9 else "unsure",
                comment="Scored against the round's criteria.",
            )


def _moderation_examples(cast: Cast, plans: list[Plan], now: dt.datetime) -> None:
    """One abusive comment hidden with a reason (its reply stays), and one advert reported and
    waiting for a moderator."""
    standing = [p for p in plans[1:] if p.stage in ("P", "S")]
    hidden_on, reported_on = standing[0], standing[1]
    abuser, reporter, advertiser, second = cast.others(4, exclude=[hidden_on.lead])
    abusive = comment_post(
        actor=abuser, proposal=hidden_on.made, body=words.HIDDEN_COMMENT, now=now - 3 * DAY
    )
    comment_post(
        actor=hidden_on.lead,
        proposal=hidden_on.made,
        parent=abusive,
        body="We're sorry you feel that way. We'd welcome a conversation about what would make "
        "the project more useful on the wards.",
        now=now - 3 * DAY + dt.timedelta(hours=3),
    )
    comment_report(
        actor=reporter, comment=abusive, reason=words.ABUSE_REPORT_REASON, now=now - 3 * DAY
    )
    comment_hide(
        actor=cast.moderator,
        comment=abusive,
        reason=words.HIDDEN_REASON,
        now=now - 2 * DAY,
    )
    advert = comment_post(
        actor=advertiser, proposal=reported_on.made, body=words.ADVERT_COMMENT, now=now - DAY
    )
    for person in (reporter, second):
        comment_report(
            actor=person,
            comment=advert,
            reason=words.REPORT_REASON,
            now=now - dt.timedelta(hours=12),
        )


# Next year's ideas: (core, theme position, place, whose); the demo member's answers every
# section and has a co-author, so the whole editing set (answers, team, lead handover,
# attachments, turning it into a full proposal) is theirs to open.
FUTURE_IDEAS = (
    (9, 0, "Avonbury", "member"),
    (15, 1, "Tamar Vale", "other"),
    (17, 0, "Fenmarsh", "other"),
)
FUTURE_ANSWER_PARTS = ("problem", "steps", "measure", "share")


def seed_future_round(cast: Cast, year: int, now: dt.datetime) -> Round:
    """Next year's round: taking ideas now (opened 5 days ago; full proposals by day 100), with
    three ideas: the demo member's, every section answered, with a co-author; and two from
    directory members, one with a short comment thread."""
    dates = _dates(now, (-5, 100, 130, 120, 134, 160))
    round_ = _create_round(
        cast.admin,
        year,
        dates,
        themes=FUTURE_THEMES,
        sections=FUTURE_SECTIONS,
        choices=2,
        introduction=(
            f"Q Exchange {year} is taking ideas now. Post yours early: the best proposals are "
            "shaped by the comments they get."
        ),
    )
    _future_ideas(cast, round_, now)
    return round_


def _future_ideas(cast: Cast, round_: Round, now: dt.datetime) -> None:
    rng = cast.rng
    themes = list(round_.themes.all())
    sections = list(round_.sections.all())
    topics = dict(Topic.objects.values_list("name", "id"))
    taken = set(Proposal.objects.values_list("title", flat=True))
    people = iter(cast.others(8, exclude=[cast.member]))
    for n, (core_index, theme_position, wanted, whose) in enumerate(FUTURE_IDEAS):
        core = words.CORES[core_index]
        # The place named above, unless an earlier round already has this idea there.
        named = [(r, wanted) for r, ps in PLACES.items() if wanted in ps]
        region, place = next(
            (r, p)
            for r, p in named + [(r, p) for r, ps in PLACES.items() for p in ps]
            if core.title.format(place=p) not in taken
        )
        title = core.title.format(place=place)
        taken.add(title)
        lead = cast.member if whose == "member" else next(people)
        created = now - (4 - n) * DAY
        proposal = _proposal_create(
            actor=lead,
            round_=round_,
            theme=themes[theme_position],
            title=title,
            summary=core.summary,
            now=created,
        )
        answered = sections if whose == "member" else [s for s in sections if s.required_for_idea]
        answers = {
            section.pk: _answer(part, core, place, rng)
            for section, part in zip(sections, FUTURE_ANSWER_PARTS, strict=True)
            if section in answered
        }
        proposal = proposal_update(
            actor=lead,
            proposal=proposal,
            title=proposal.title,
            summary=proposal.summary,
            theme=proposal.theme,
            answers=answers,
            regions=[region.value],
            topic_ids=[topics[name] for name in core.topics if name in topics],
            amount_requested=rng.randrange(10, FUNDING_CAP // 1000 + 1) * 1000,
            now=created + dt.timedelta(hours=2),
        )
        if whose == "member":
            co_author = next(people)
            member = team_member_add(
                actor=lead,
                proposal=proposal,
                user=co_author,
                role_line=rng.choice(words.ROLE_LINES),
                co_author=True,
                now=created + dt.timedelta(hours=3),
            )
            team_invitation_accept(actor=co_author, member=member, now=created + DAY)
            contributions_set(
                actor=lead, proposal=proposal, points=list(core.contributions), now=created + DAY
            )
        elif n == 1:
            commenter = next(people)
            question = comment_post(
                actor=commenter,
                proposal=proposal,
                body=words.MEMBER_COMMENTS[0],
                now=created + DAY,
            )
            comment_post(
                actor=lead,
                proposal=proposal,
                body=rng.choice(words.TEAM_REPLIES),
                parent=question,
                now=created + DAY + dt.timedelta(hours=4),
            )
            comment_post(
                actor=cast.member,
                proposal=proposal,
                body=words.MEMBER_COMMENTS[4],
                now=created + 2 * DAY,
            )


@transaction.atomic
def seed_exchange() -> int:
    """Create the three demo rounds that do not exist yet (last year, this year, next year);
    returns how many were new. Needs the demo accounts and the demo directory first."""
    refuse_in_production()
    # Round dates fall at noon (Europe/London), as staff would set them.
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    years = (now.year - 1, now.year, now.year + 1)
    existing = set(Round.objects.filter(year__in=years).values_list("year", flat=True))
    if len(existing) == len(years):
        return 0
    cast = _cast(random.Random(SEED))  # noqa: S311 (reproducible made-up data)
    topics = dict(Topic.objects.values_list("name", "id"))
    used: set[tuple[str, str]] = set()
    added = 0
    past, current, future = years
    if past not in existing:
        seed_past_round(cast, past, now, topics, used)
        added += 1
    if current not in existing:
        seed_current_round(cast, current, now, topics, used)
        added += 1
    if future not in existing:
        seed_future_round(cast, future, now)
        added += 1
    return added


def demo_summary() -> dict[str, int]:
    """Counts for the seed command's message."""
    return {
        "rounds": Round.objects.count(),
        "proposals": Proposal.objects.count(),
        "comments": Comment.objects.count(),
    }
