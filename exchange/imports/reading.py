"""Reading a file of past Q Exchange rounds into plain records, in either form (JSON with
comments, or CSV of rounds and proposals), noting where in the file each record came from so
every problem can be shown where a person finds it. The fields are described in
docs/imports/README.md."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from qcommunity.imports.kinds import ImportFileError, read_csv, read_json

LONDON = zoneinfo.ZoneInfo("Europe/London")
STAGES = ("idea", "proposal", "shortlisted", "funded", "not_funded", "withdrawn")
DATE_NAMES = (
    "opens",
    "proposals_close",
    "comments_close",
    "voting_opens",
    "voting_closes",
    "decisions",
)


@dataclass
class PersonIn:
    name: str
    email: str
    role_line: str = ""
    lead: bool = False


@dataclass
class CommentIn:
    where: str
    author_name: str
    author_email: str
    posted: dt.datetime | None
    body: str
    replies: list["CommentIn"] = field(default_factory=list)


@dataclass
class ProposalIn:
    where: str
    title: str
    summary: str
    stage: str
    slug: str = ""
    theme: str = ""
    created: dt.datetime | None = None
    decided: dt.datetime | None = None
    team_name: str = ""
    team: list[PersonIn] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)
    contributions: list[str] = field(default_factory=list)
    plan: list[tuple[dt.date, str]] = field(default_factory=list)
    votes: int | None = None
    amount_requested: int | None = None
    comments: list[CommentIn] = field(default_factory=list)


@dataclass
class ThemeIn:
    name: str
    question: str


@dataclass
class RoundIn:
    where: str
    year: int | None
    name: str
    themes: list[ThemeIn] = field(default_factory=list)
    funding_cap: int | None = None
    dates: dict[str, dt.datetime] = field(default_factory=dict)
    introduction: str = ""
    proposals: list[ProposalIn] = field(default_factory=list)


@dataclass
class PastRounds:
    rounds: list[RoundIn]
    # Problems found while reading: (where, message), reported with the rest by validate().
    problems: list[tuple[str, str]] = field(default_factory=list)


def parse_moment(value: Any) -> dt.datetime | None:
    """ "2018-05-17" (noon in London: the earlier site gave days, not times) or
    "2018-05-17T14:30" (London time); None when it is neither."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def parse_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


class _Reader:
    """Reads values from JSON objects, noting each wrong type as a problem where it is."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems

    def text(self, obj: dict, key: str, where: str) -> str:
        value = obj.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problems.append((where, f"“{key}” must be text."))
            return ""
        return value.strip()

    def number(self, obj: dict, key: str, where: str) -> int | None:
        value = obj.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problems.append((where, f"“{key}” must be a whole number, 0 or more."))
            return None
        return value

    def moment(self, obj: dict, key: str, where: str) -> dt.datetime | None:
        value = obj.get(key)
        if value in (None, ""):
            return None
        moment = parse_moment(value)
        if moment is None:
            self.problems.append(
                (where, f"“{key}” must be a date like 2018-05-17 (or 2018-05-17T14:30).")
            )
        return moment

    def items(self, obj: dict, key: str, where: str) -> list:
        value = obj.get(key) or []
        if not isinstance(value, list):
            self.problems.append((where, f"“{key}” must be a list."))
            return []
        return value

    def objects(self, obj: dict, key: str, where: str) -> list[dict]:
        found = []
        for n, item in enumerate(self.items(obj, key, where), start=1):
            if isinstance(item, dict):
                found.append(item)
            else:
                self.problems.append((where, f"Item {n} of “{key}” must be an object."))
                found.append({})
        return found


def read_json_rounds(data: bytes) -> PastRounds:
    document = read_json(data)
    if not isinstance(document, dict) or not isinstance(document.get("rounds"), list):
        raise ImportFileError(
            "The file must be a JSON object with a list of “rounds” (see the example file)."
        )
    problems: list[tuple[str, str]] = []
    r = _Reader(problems)
    rounds = []
    for rn, raw in enumerate(r.objects(document, "rounds", "The file"), start=1):
        year = r.number(raw, "year", f"Round {rn}")
        where = f"Round {year}" if year else f"Round {rn}"
        dates_raw = raw.get("dates") or {}
        dates = {}
        if not isinstance(dates_raw, dict):
            problems.append((where, "“dates” must be an object."))
        else:
            for name in dates_raw:
                if name not in DATE_NAMES:
                    problems.append((where, f"“dates” has an unknown date “{name}”."))
            for name in DATE_NAMES:
                moment = r.moment(dates_raw, name, where)
                if moment:
                    dates[name] = moment
        round_in = RoundIn(
            where=where,
            year=year,
            name=r.text(raw, "name", where),
            themes=[
                ThemeIn(
                    name=r.text(t, "name", f"{where}, theme {tn}"),
                    question=r.text(t, "question", f"{where}, theme {tn}"),
                )
                for tn, t in enumerate(r.objects(raw, "themes", where), start=1)
            ],
            funding_cap=r.number(raw, "funding_cap", where),
            dates=dates,
            introduction=r.text(raw, "introduction", where),
        )
        for pn, p in enumerate(r.objects(raw, "proposals", where), start=1):
            round_in.proposals.append(_json_proposal(r, p, f"{where}, proposal {pn}"))
        rounds.append(round_in)
    return PastRounds(rounds=rounds, problems=problems)


def _json_proposal(r: _Reader, p: dict, where: str) -> ProposalIn:
    proposal = ProposalIn(
        where=where,
        title=r.text(p, "title", where),
        summary=r.text(p, "summary", where),
        stage=r.text(p, "stage", where).lower(),
        slug=r.text(p, "slug", where),
        theme=r.text(p, "theme", where),
        created=r.moment(p, "created", where),
        decided=r.moment(p, "decided", where),
        team_name=r.text(p, "team_name", where),
        votes=r.number(p, "votes", where),
        amount_requested=r.number(p, "amount_requested", where),
    )
    for n, person in enumerate(r.objects(p, "team", where), start=1):
        at = f"{where}, team member {n}"
        lead = person.get("lead", False)
        if not isinstance(lead, bool):
            r.problems.append((at, "“lead” must be true or false."))
        proposal.team.append(
            PersonIn(
                name=r.text(person, "name", at),
                email=r.text(person, "email", at),
                role_line=r.text(person, "role_line", at),
                lead=lead is True,
            )
        )
    for n, section in enumerate(r.objects(p, "sections", where), start=1):
        at = f"{where}, section {n}"
        proposal.sections.append((r.text(section, "question", at), r.text(section, "answer", at)))
    for n, point in enumerate(r.items(p, "contributions", where), start=1):
        if isinstance(point, str):
            proposal.contributions.append(point.strip())
        else:
            r.problems.append((f"{where}, contribution {n}", "Each point must be text."))
    for n, step in enumerate(r.objects(p, "plan", where), start=1):
        at = f"{where}, plan step {n}"
        day = parse_day(step.get("on"))
        if day is None:
            r.problems.append((at, "“on” must be a date like 2024-08-18."))
            continue
        proposal.plan.append((day, r.text(step, "title", at)))
    for n, comment in enumerate(r.objects(p, "comments", where), start=1):
        proposal.comments.append(_json_comment(r, comment, f"{where}, comment {n}"))
    return proposal


def _json_comment(r: _Reader, c: dict, where: str) -> CommentIn:
    comment = CommentIn(
        where=where,
        author_name=r.text(c, "author_name", where),
        author_email=r.text(c, "author_email", where),
        posted=r.moment(c, "posted", where),
        body=r.text(c, "body", where),
    )
    for n, reply in enumerate(r.objects(c, "replies", where), start=1):
        comment.replies.append(_json_comment(r, reply, f"{where}, reply {n}"))
    return comment


# CSV: one row per proposal, with its round; no comments -------------------------------------

CSV_REQUIRED = ("year", "round_name", "title", "summary", "stage")
CSV_SECTIONS = 8
CSV_OPTIONAL = (
    "theme",
    "theme_question",
    "slug",
    "created",
    "decided",
    "votes",
    "amount_requested",
    "team_name",
    "lead_name",
    "lead_email",
    "team",
    "contributions",
    "plan",
    *[f"{part}_{n}" for n in range(1, CSV_SECTIONS + 1) for part in ("question", "answer")],
)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def read_csv_rounds(data: bytes) -> PastRounds:
    problems: list[tuple[str, str]] = []
    rows = read_csv(data, required=CSV_REQUIRED, optional=CSV_OPTIONAL)
    rounds: dict[str, RoundIn] = {}
    for row in rows:
        where = f"Row {row.number}"
        if not row.values:
            problems.append((where, "The row does not have one value for each column."))
            continue
        v = row.values
        year = int(v["year"]) if v["year"].isdigit() else None
        if year is None:
            problems.append((where, "“year” must be a year like 2018."))
        round_in = rounds.get(v["year"])
        if round_in is None:
            round_in = rounds[v["year"]] = RoundIn(where=where, year=year, name=v["round_name"])
        elif v["round_name"] and v["round_name"] != round_in.name:
            problems.append((where, f"Another row names round {v['year']} “{round_in.name}”."))
        theme = v.get("theme", "")
        if theme and theme not in {t.name for t in round_in.themes}:
            round_in.themes.append(ThemeIn(name=theme, question=v.get("theme_question", "")))
        proposal = ProposalIn(
            where=where,
            title=v["title"],
            summary=v["summary"],
            stage=v["stage"].lower(),
            slug=v.get("slug", ""),
            theme=theme,
            team_name=v.get("team_name", ""),
        )
        for name in ("created", "decided"):
            if v.get(name):
                moment = parse_moment(v[name])
                if moment is None:
                    problems.append((where, f"“{name}” must be a date like 2018-05-17."))
                setattr(proposal, name, moment)
        for name in ("votes", "amount_requested"):
            if v.get(name):
                if v[name].isdigit():
                    setattr(proposal, name, int(v[name]))
                else:
                    problems.append((where, f"“{name}” must be a whole number, 0 or more."))
        if v.get("lead_name") or v.get("lead_email"):
            proposal.team.append(
                PersonIn(name=v.get("lead_name", ""), email=v.get("lead_email", ""), lead=True)
            )
        for line in _lines(v.get("team", "")):
            parts = [part.strip() for part in line.split("|")] + ["", ""]
            proposal.team.append(PersonIn(name=parts[0], email=parts[1], role_line=parts[2]))
        proposal.contributions = _lines(v.get("contributions", ""))
        for line in _lines(v.get("plan", "")):
            day_text, _, title = line.partition("|")
            day = parse_day(day_text)
            if day is None:
                problems.append(
                    (where, f"Each plan line must be “2024-08-18 | what happens”: “{line}”.")
                )
                continue
            proposal.plan.append((day, title.strip()))
        for n in range(1, CSV_SECTIONS + 1):
            question, answer = v.get(f"question_{n}", ""), v.get(f"answer_{n}", "")
            if question or answer:
                proposal.sections.append((question, answer))
        round_in.proposals.append(proposal)
    return PastRounds(rounds=list(rounds.values()), problems=problems)
