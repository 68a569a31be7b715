"""Writes for supporting and voting in Q Exchange.

Supporting: a member follows a proposal (`support_add`) and stops (`support_remove`); both are
idempotent, so a double click or two tabs do no harm.

Voting: `ballot_cast` records a member's one ballot in a round, replacing its choices whole. The
rules are checked here, to give the member clear words, and held again by the database
(migration 0002's deferred triggers: one ballot, exact choices per theme, standing proposals of
the round, the voting window). The triggers are fired inside the service, so any breach the
checks here missed (a proposal withdrawn a moment ago, a request racing another) comes back as an
`ExchangeError` rather than a failed commit."""

from collections.abc import Collection
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from qcommunity.audit.services import audit_record
from qcommunity.core.formatting import uk_datetime

from ..proposals.enums import IN_COMPETITION_STAGES, Stage
from ..proposals.models import Proposal
from ..rounds.models import Round, Theme
from ..rounds.services import ExchangeError
from . import rules  # noqa: F401 (registers the permissions the services check)
from .models import Ballot, BallotChoice, Support
from .rules import may_support, may_vote

# Supporting ------------------------------------------------------------------------------------


def support_add(*, actor, proposal: Proposal) -> bool:
    """`actor` (a member) supports `proposal`. Returns True when this call added the support,
    False when they already supported it. A withdrawn proposal cannot gain supporters, nor can a
    proposal of a round that is not published."""
    if not may_support(actor):
        raise ExchangeError("Only members of Q can support proposals.")
    if proposal.stage == Stage.WITHDRAWN:
        raise ExchangeError("This proposal has been withdrawn, so you cannot support it.")
    if not proposal.round.is_published():
        raise ExchangeError("You cannot support this proposal yet.")
    # get_or_create retries the read when a request at the same moment inserted first.
    _, created = Support.objects.get_or_create(
        proposal=proposal, user=actor, defaults={"created_at": timezone.now()}
    )
    return created


def support_remove(*, actor, proposal: Proposal) -> bool:
    """`actor` stops supporting `proposal`. Returns True when a support was removed."""
    if actor is None or not actor.is_authenticated:
        raise ExchangeError("You do not have permission to do that.")
    deleted, _ = Support.objects.filter(proposal=proposal, user=actor).delete()
    return bool(deleted)


# Voting ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRule:
    theme: Theme
    standing: list[Proposal]
    needed: int  # how many the member must choose: the round's number, or all if fewer stand


def ballot_rules(round_: Round) -> list[ThemeRule]:
    """Each theme of the round with its standing proposals (stage proposal or shortlisted, by
    title) and how many a ballot must choose there. Two queries."""
    themes = list(round_.themes.all())
    by_theme: dict[int, list[Proposal]] = {theme.pk: [] for theme in themes}
    standing = (
        Proposal.objects.filter(round=round_, stage__in=IN_COMPETITION_STAGES)
        .only("id", "slug", "title", "summary", "theme_id", "stage", "round_id")
        .order_by("title", "id")
    )
    for proposal in standing:
        by_theme.setdefault(proposal.theme_id, []).append(proposal)
    return [
        ThemeRule(
            theme=theme,
            standing=by_theme[theme.pk],
            needed=min(round_.choices_per_theme, len(by_theme[theme.pk])),
        )
        for theme in themes
    ]


def _count_words(n: int) -> str:
    return f"{n} proposal" if n == 1 else f"{n} proposals"


def ballot_problems(
    round_: Round, chosen_ids: Collection[int], theme_rules: list[ThemeRule]
) -> dict[str, str]:
    """What is wrong with choosing `chosen_ids`, per theme ("theme_<id>"), or under "ballot" for
    a choice that is not a standing proposal of the round."""
    problems = {}
    chosen = set(chosen_ids)
    known = set()
    for rule in theme_rules:
        ids = {p.pk for p in rule.standing}
        known |= ids
        picked = len(chosen & ids)
        if picked == rule.needed:
            continue
        if picked < rule.needed:
            if picked == 0:
                message = f"Choose {_count_words(rule.needed)} in {rule.theme.name}"
            else:
                message = (
                    f"Choose {_count_words(rule.needed)} in {rule.theme.name}: you chose {picked}"
                )
        else:
            message = (
                f"Choose no more than {_count_words(rule.needed)} in {rule.theme.name}: "
                f"you chose {picked}"
            )
        problems[f"theme_{rule.theme.pk}"] = message
    if chosen - known:
        problems["ballot"] = (
            "One of the proposals you chose is no longer standing in this round. "
            "Check your choices and save your ballot again."
        )
    return problems


# The database's names for the ballot rules, in the words the member reads.
TRIGGER_MESSAGES = {
    "exchange_ballot_in_window": "Voting is not open, so your ballot was not saved.",
    "exchange_ballot_choice_standing": (
        "One of the proposals you chose is no longer standing in this round. "
        "Check your choices and save your ballot again."
    ),
    "exchange_ballot_choices_per_theme": (
        "The proposals standing in this round changed while you were choosing. "
        "Check your choices and save your ballot again."
    ),
    "exchange_ballot_one": "You already have a ballot in this round.",
    "exchange_ballot_voter_member": "Only members of Q can vote.",
}


def ballot_rules_check_now() -> None:
    """Fire the deferred ballot triggers now, inside the service, instead of at commit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS exchange_ballot_rules, exchange_ballotchoice_rules IMMEDIATE"
        )
        cursor.execute(
            "SET CONSTRAINTS exchange_ballot_rules, exchange_ballotchoice_rules DEFERRED"
        )


def _window_error(round_: Round, now) -> ExchangeError | None:
    if not round_.is_published() or now < round_.voting_opens_at:
        return ExchangeError(
            f"Voting in {round_.name} opens on {uk_datetime(round_.voting_opens_at)}."
        )
    if now >= round_.voting_closes_at:
        return ExchangeError(
            f"Voting in {round_.name} closed on {uk_datetime(round_.voting_closes_at)}."
        )
    return None


def ballot_cast(*, actor, round_: Round, proposal_ids: Collection[int]) -> Ballot:
    """Record `actor`'s ballot in `round_`: exactly the chosen standing proposals. Rules:
    - members only (the member role itself: a superuser or staff administrator who is not a
      member is refused, here and by the database);
    - while voting is open (the database checks the window by its own clock);
    - every choice a standing proposal of the round (stage proposal or shortlisted);
    - in every theme exactly the round's `choices_per_theme`, or all its standing proposals
      when fewer stand;
    - one ballot per member per round: the ballot row is got or created under a row lock, so
      two requests at once end with one ballot holding the last one's choices.
    The choices are replaced whole. Raises ExchangeError (`errors` keyed "theme_<id>" or
    "ballot") and changes nothing when a rule is broken. Audited, without the choices."""
    if not may_vote(actor):
        raise ExchangeError("Only members of Q can vote.")
    now = timezone.now()
    if error := _window_error(round_, now):
        raise error
    theme_rules = ballot_rules(round_)
    chosen = {int(pk) for pk in proposal_ids}
    if problems := ballot_problems(round_, chosen, theme_rules):
        raise ExchangeError("Your ballot was not saved.", problems)
    theme_of = {p.pk: rule.theme.pk for rule in theme_rules for p in rule.standing}
    try:
        with transaction.atomic():
            ballot, created = Ballot.objects.select_for_update().get_or_create(
                round=round_, voter=actor, defaults={"created_at": now, "updated_at": now}
            )
            if not created:
                ballot.choices.all().delete()
                ballot.updated_at = now
                ballot.save(update_fields=["updated_at"])
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, proposal_id=pk, theme_id=theme_of[pk])
                for pk in sorted(chosen)
            )
            ballot_rules_check_now()
            audit_record(
                actor=actor,
                action="exchange_ballot.change" if not created else "exchange_ballot.cast",
                target=ballot,
                data={"round": round_.year},
            )
    except IntegrityError as error:
        diag = getattr(error.__cause__, "diag", None)
        message = TRIGGER_MESSAGES.get(
            getattr(diag, "constraint_name", None),
            "Your ballot was not saved. Check your choices and try again.",
        )
        raise ExchangeError(message, {"ballot": message}) from error
    return ballot
