"""Writes for setting up a round: its dates, themes, sections and ballot rule, and publishing it.
`ExchangeError` and the permission check every Exchange service uses live here, at the bottom of
the features."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError, require_perm

from . import rules  # noqa: F401 (registers the permissions the services check)
from .models import Round, Section, Theme
from .page_cache import exchange_changed


class ExchangeError(ServiceError):
    """An Exchange service refused (see `ServiceError`); answers are named
    "answer_<section id>"."""


def require_exchange_perm(actor, perm: str, obj=None) -> None:
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
    require_exchange_perm(actor, "exchange.manage_rounds")
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
    require_exchange_perm(actor, "exchange.manage_rounds", round_)
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
    require_exchange_perm(actor, "exchange.manage_rounds", round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.published_at is not None:
        return round_
    round_.published_at = timezone.now()
    round_.save(update_fields=["published_at"])
    audit_record(actor=actor, action="exchange_round.publish", target=round_)
    return round_


def _replace_rows(model, round_: Round, specs: Sequence, fields: Sequence[str]) -> None:
    """Make the round's rows of `model` match `specs`, position by position: rows keep their ids
    where a position is still used (answers and proposals point at them), new positions are
    created and positions no longer used are deleted."""
    existing = {row.position: row for row in model.objects.filter(round=round_)}
    changed, created = [], []
    for position, spec in enumerate(specs, start=1):
        row = existing.pop(position, None)
        values = {name: getattr(spec, name) for name in fields}
        if row is None:
            created.append(model(round=round_, position=position, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    if existing:
        try:
            model.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
        except ProtectedError as error:
            raise ExchangeError(
                "A question you removed is already used by proposals, so it must stay."
            ) from error
    if changed:
        model.objects.bulk_update(changed, list(fields))
    model.objects.bulk_create(created)
    exchange_changed()  # bulk writes send no signal


@transaction.atomic
def round_update_content(
    *,
    actor,
    round_: Round,
    year: int,
    name: str,
    funding_cap: int,
    choices_per_theme: int,
    themes: Sequence[ThemeSpec],
    sections: Sequence[SectionSpec],
    introduction: str = "",
) -> Round:
    """Change a draft round's year, name, introduction, funding cap, ballot rule, theme
    questions and section questions (in the order given). Staff only, and only before the round
    is published: from then on proposals answer these questions and ballots follow the rule, so
    they stay as members saw them (dates still move, with `round_update_dates`). Audited."""
    require_exchange_perm(actor, "exchange.manage_rounds", round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.published_at is not None:
        raise ExchangeError(
            f"{round_.name} is published, so only its dates can change now.",
        )
    problems = round_content_problems(
        year=year,
        themes=themes,
        sections=sections,
        choices_per_theme=choices_per_theme,
        current=round_,
    )
    if not name.strip():
        problems["name"] = "Enter a name for the round"
    if problems:
        raise ExchangeError("The round was not saved. Check the answers.", problems)
    before = {
        "year": round_.year,
        "name": round_.name,
        "funding_cap": round_.funding_cap,
        "choices_per_theme": round_.choices_per_theme,
    }
    round_.year, round_.name = year, name.strip()
    round_.introduction = introduction
    round_.funding_cap, round_.choices_per_theme = funding_cap, choices_per_theme
    round_.updated_at = timezone.now()
    round_.save(
        update_fields=[
            "year",
            "name",
            "introduction",
            "funding_cap",
            "choices_per_theme",
            "updated_at",
        ]
    )
    _replace_rows(Theme, round_, themes, ("name", "question", "description"))
    _replace_rows(
        Section, round_, sections, ("question", "guidance", "word_limit", "required_for_idea")
    )
    after = {key: getattr(round_, key) for key in before}
    audit_record(
        actor=actor,
        action="exchange_round.content",
        target=round_,
        data={
            "changed": {
                key: {"from": before[key], "to": after[key]}
                for key in before
                if before[key] != after[key]
            },
            "themes": len(themes),
            "sections": len(sections),
        },
    )
    return round_


@transaction.atomic
def round_update_text(*, actor, round_: Round, name: str, introduction: str) -> Round:
    """Change a round's name and introduction. Allowed at any time, published or not: the
    introduction is what the round's page says about where the round is ("Voting is open..."),
    so staff keep it true as the round moves on. Audited (whether each changed, not the
    text)."""
    require_exchange_perm(actor, "exchange.manage_rounds", round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not name.strip():
        raise ExchangeError(
            "The round was not saved. Check the answers.", {"name": "Enter a name for the round"}
        )
    changed = {
        key: True
        for key, value in (("name", name.strip()), ("introduction", introduction))
        if getattr(round_, key) != value
    }
    if not changed:
        return round_
    round_.name, round_.introduction = name.strip(), introduction
    round_.updated_at = timezone.now()
    round_.save(update_fields=["name", "introduction", "updated_at"])
    audit_record(
        actor=actor, action="exchange_round.text", target=round_, data={"changed": sorted(changed)}
    )
    return round_
