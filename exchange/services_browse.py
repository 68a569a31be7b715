"""Writes for setting up a round in the site: a draft round's content (everything but its
dates) before it is published. Creating, moving dates and publishing are in `exchange.services`
(`round_create`, `round_update_dates`, `round_publish`)."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from qcommunity.audit.services import audit_record

from .models import Round, Section, Theme
from .page_cache import exchange_changed
from .services import (
    ExchangeError,
    SectionSpec,
    ThemeSpec,
    _require_perm,
    round_content_problems,
)


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
    _require_perm(actor, "exchange.manage_rounds", round_)
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
    _require_perm(actor, "exchange.manage_rounds", round_)
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
