"""Q Exchange rows for `make bench`: one published round with many proposals (2,000 by default)
and, in it, one proposal with many comments (300 by default, a third of them starting threads and
the rest replies), so the round's page and a busy proposal page can be measured.

Called by `bench.seed` after the users are seeded (leads, commenters and supporters are the
benchmark's members). Rows go in with PostgreSQL COPY and explicit ids, like the users; search
columns are filled by the app's own set-based UPDATE (`proposal_refresh_search`). The round's
year is far in the future (BENCH_YEAR), so it never meets a real or demo round.

`ensure_exchange_seeded` reuses what is there when the round already holds the same numbers
(checked from the rows themselves, so a reseeding of the users, which empties the proposals
through their leads, is noticed) and otherwise replaces the round."""

import datetime as dt
import random
import time

SEED = 20261208
BENCH_YEAR = 2090
DISCUSSED_SLUG = f"bench-{BENCH_YEAR}-much-discussed-proposal"
REFRESH_CHUNK = 1000
# Of the round's proposals: stage and share.
STAGE_SHARES = (("proposal", 0.70), ("shortlisted", 0.10), ("idea", 0.15), ("withdrawn", 0.05))

THEMES = (
    ("Across boundaries", "How can we improve care across the boundaries between organisations?"),
    ("Fairer health", "How can we reduce unfair differences in health and care?"),
    ("Data and digital", "How can data and digital tools help people improve care?"),
)
SECTIONS = (
    "What is the problem, and who does it affect?",
    "What difference do you want to make?",
    "What will you do, step by step?",
    "How will you measure progress?",
    "How could others use what you learn?",
)
SUBJECTS = (
    "falls on older people's wards", "hospital discharge for carers", "blood pressure checks",
    "missed appointments", "medicines reviews at home", "sepsis screening", "staff rotas",
    "peer support after a crisis", "care home training", "warm homes", "maternity safety",
    "diabetes support by text", "greener inhalers", "night shift learning", "shared care plans",
)  # fmt: skip
ACTIONS = (
    "Improving", "Rethinking", "Spreading", "Testing", "Co-designing", "Measuring",
    "Joining up", "Speeding up",
)  # fmt: skip
PLACES = (
    "Tamar Vale", "Solent Reach", "Severnmere", "Ribblemouth", "Humberdale", "Cwm Tawel",
    "Glenmorven", "Fenmarsh", "Tyneholm", "Wealdbury", "Trentvale", "Leabridge",
)  # fmt: skip
ANSWER = (
    "Staff and patients in {place} told us that {subject} is where care most often goes wrong. "
    "We will test small changes with the people affected, measure them every week on run "
    "charts, and share what we learn with Q members, including what did not work."
)
COMMENT_BODIES = (
    "How will you keep this going when the funding ends?",
    "We tried something similar last year. Involving **night staff** early made the difference.",
    "Could you say more about the costs?",
    "Thank you, that's a useful question. We've added it to our plan.",
    "Agreed: this is where most projects struggle.",
    "Happy to share our run charts: see [our write-up](https://example.org/write-up).",
)


def _stage(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for name, share in STAGE_SHARES:
        total += share
        if roll < total:
            return name
    return STAGE_SHARES[-1][0]


def _copy(cursor, target: str, rows) -> None:
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608 (our names)
    return cursor.fetchone()[0]


def _move_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (our names)
        f"(SELECT coalesce(max(id), 1) FROM {table}))"
    )


def _round(now: dt.datetime):
    """The published round, taking ideas now, with its themes and sections."""
    from exchange.rounds.models import Round, Section, Theme

    day = dt.timedelta(days=1)
    round_ = Round.objects.create(
        year=BENCH_YEAR,
        name=f"Q Exchange {BENCH_YEAR} (benchmark)",
        opens_at=now - 60 * day,
        proposals_close_at=now + 30 * day,
        comments_close_at=now + 40 * day,
        voting_opens_at=now + 45 * day,
        voting_closes_at=now + 59 * day,
        decisions_at=now + 75 * day,
        funding_cap=30000,
        choices_per_theme=3,
        published_at=now - 70 * day,
    )
    themes = Theme.objects.bulk_create(
        Theme(round=round_, position=n, name=name, question=question)
        for n, (name, question) in enumerate(THEMES, start=1)
    )
    sections = Section.objects.bulk_create(
        Section(round=round_, position=n, question=question, word_limit=400)
        for n, question in enumerate(SECTIONS, start=1)
    )
    return round_, themes, sections


def _proposal_rows(rng, round_, themes, sections, *, first, count, member_ids, now) -> dict:
    """COPY rows for `count` proposals with ids from `first`: the proposals, their leads in
    the team, topics, answers and supports."""
    from members.directory.models import Topic
    from qcommunity.core.taxonomy import Region

    topic_ids = list(Topic.objects.values_list("id", flat=True))
    regions = list(Region.values)
    day = dt.timedelta(days=1)
    rows = {"proposals": [], "team": [], "topics": [], "answers": [], "supports": []}
    for n in range(count):
        pk = first + n
        stage = "proposal" if n == 0 else _stage(rng)
        subject, place = rng.choice(SUBJECTS), rng.choice(PLACES)
        created = now - dt.timedelta(seconds=rng.randint(0, 59 * 86400))
        lead = member_ids[n % len(member_ids)]
        rows["proposals"].append(
            (
                pk,
                round_.pk,
                rng.choice(themes).pk,
                DISCUSSED_SLUG if n == 0 else f"bench-{BENCH_YEAR}-{pk}",
                f"{rng.choice(ACTIONS)} {subject} in {place} ({n + 1})",
                f"A project on {subject} in {place}, tested with the people it is for.",
                stage,
                lead,
                sorted({rng.choice(regions) for _ in range(rng.randint(1, 2))}),
                rng.randrange(5, 31) * 1000,
                created,
                created + dt.timedelta(hours=rng.randint(0, 200)),
                created + day if stage != "idea" else None,
                created + 2 * day if stage == "withdrawn" else None,
                created + 3 * day if stage == "shortlisted" else None,
                "",
                f"#{place.replace(' ', '')}Team" if n % 10 == 0 else "",
            )
        )
        rows["team"].append((pk, lead, "", "", "lead", 0, None, created))
        rows["topics"].extend((pk, t) for t in rng.sample(topic_ids, min(len(topic_ids), 2)))
        text = ANSWER.format(place=place, subject=subject)
        for section in sections[: 2 if stage == "idea" else len(sections)]:
            rows["answers"].append((pk, section.pk, text, len(text.split()), created))
        for user_id in {rng.choice(member_ids) for _ in range(rng.randint(0, 12))}:
            rows["supports"].append((pk, user_id, created + day))
    return rows


def _comment_rows(rng, *, first_comment, first, count, comments, member_ids, now) -> list:
    """The discussed proposal's thread (a third start threads, the rest reply to one of them
    or to a reply), and 0-3 comments on each other proposal for the cards' counts."""
    from qcommunity.core.markdown import render_markdown

    html = {body: str(render_markdown(body)) for body in COMMENT_BODIES}
    rows = []
    next_id = first_comment

    def add(proposal_id: int, parent: int | None, when: dt.datetime) -> int:
        nonlocal next_id
        body = rng.choice(COMMENT_BODIES)
        rows.append(
            (next_id, proposal_id, parent, rng.choice(member_ids), body, html[body], when, "")
        )
        next_id += 1
        return next_id - 1

    posted: list[int] = []
    for n in range(comments):
        when = now - dt.timedelta(days=50) + n * dt.timedelta(minutes=90)
        parent = rng.choice(posted) if n % 3 else None
        posted.append(add(first, parent, when))
    for n in range(1, count):
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            add(first + n, None, now - dt.timedelta(hours=rng.randint(1, 900)))
    return rows


def seed_exchange_round(proposals: int = 2000, comments: int = 300, *, seed: int = SEED) -> dict:
    """Insert the benchmark round (year BENCH_YEAR, published, taking ideas now) with
    `proposals` proposals and one proposal (DISCUSSED_SLUG) with `comments` comments, into the
    current database. Needs members to lead, comment and support (at least one)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from exchange.proposals.services import proposal_refresh_search
    from qcommunity.accounts.enums import Role
    from qcommunity.accounts.models import UserRole

    rng = random.Random(seed)  # noqa: S311 (reproducible made-up data, not secrets)
    member_ids = list(
        UserRole.objects.filter(role=Role.MEMBER, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:5000]
    )
    if not member_ids:
        raise RuntimeError("Seed some members first: they lead, comment and support.")
    now = timezone.now()
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        round_, themes, sections = _round(now)
        first = _next_id(cursor, "exchange_proposal")
        rows = _proposal_rows(
            rng, round_, themes, sections,
            first=first, count=proposals, member_ids=member_ids, now=now,
        )  # fmt: skip
        comment_rows = _comment_rows(
            rng,
            first_comment=_next_id(cursor, "exchange_comment"),
            first=first,
            count=proposals,
            comments=comments,
            member_ids=member_ids,
            now=now,
        )
        for table, columns in (
            ("proposals", "exchange_proposal (id, round_id, theme_id, slug, title, summary, "
             "stage, lead_id, regions, amount_requested, created_at, updated_at, developed_at, "
             "withdrawn_at, decided_at, decision_reason, team_name)"),
            ("team", "exchange_teammember (proposal_id, user_id, name, role_line, role, "
             "position, invited_at, accepted_at)"),
            ("topics", "exchange_proposal_topics (proposal_id, topic_id)"),
            ("answers", "exchange_sectionanswer (proposal_id, section_id, text, words, "
             "updated_at)"),
            ("supports", "exchange_support (proposal_id, user_id, created_at)"),
        ):  # fmt: skip
            _copy(cursor, columns, rows[table])
        _copy(
            cursor,
            "exchange_comment (id, proposal_id, parent_id, author_id, body, body_html, "
            "created_at, hidden_reason)",
            comment_rows,
        )
        for table in ("exchange_proposal", "exchange_comment"):
            _move_sequence(cursor, table)
        ids = [first + n for n in range(proposals)]
        for start in range(0, len(ids), REFRESH_CHUNK):
            proposal_refresh_search(proposal_ids=ids[start : start + REFRESH_CHUNK])
    return {
        "year": BENCH_YEAR,
        "slug": DISCUSSED_SLUG,
        "proposals": proposals,
        "discussed_comments": comments,
        "comments": len(comment_rows),
        "supports": len(rows["supports"]),
        "answers": len(rows["answers"]),
        "seconds": round(time.monotonic() - started, 1),
    }


def exchange_seeded(proposals: int, comments: int) -> bool:
    """Whether the benchmark round holds `proposals` proposals and the discussed one
    `comments` comments."""
    from exchange.comments.models import Comment
    from exchange.proposals.models import Proposal

    return (
        Proposal.objects.filter(round__year=BENCH_YEAR).count() == proposals
        and Comment.objects.filter(proposal__slug=DISCUSSED_SLUG).count() == comments
    )


def exchange_clear() -> None:
    """Remove the benchmark round and everything in it."""
    from django.db import transaction

    from exchange.proposals.models import Proposal
    from exchange.rounds.models import Round

    with transaction.atomic():
        Proposal.objects.filter(round__year=BENCH_YEAR).delete()
        Round.objects.filter(year=BENCH_YEAR).delete()


def ensure_exchange_seeded(proposals: int = 2000, comments: int = 300) -> dict:
    """Seed the benchmark round unless it is already there with the same numbers."""
    if exchange_seeded(proposals, comments):
        return {
            "year": BENCH_YEAR,
            "slug": DISCUSSED_SLUG,
            "proposals": proposals,
            "discussed_comments": comments,
            "reused": True,
        }
    exchange_clear()
    return {**seed_exchange_round(proposals, comments), "reused": False}
