"""Who may apply to which open round, asked before anyone needs an account.

A read: nothing is stored. The answer for each round says whether the person can apply and, if
not, why in plain words. The conditions are the round's: its regions, and for its phase a
nomination code (founding) or an eligible course (alumni). The same conditions are checked again
when the application is submitted (`services.application_submit_problems`)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from qcommunity.core.taxonomy import Region

from .enums import ApplicationStatus, Phase
from .models import Application, NominationCode, Round

REGION_LABELS = dict(Region.choices)


@dataclass
class RoundEligibility:
    round: Round
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    # The person's own application in this round, when they already have one.
    application: Application | None = None


def _join(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def nomination_code_find(*, code: str, rounds: Iterable[Round], user=None) -> NominationCode | None:
    """The nomination code typed (any case, spaces trimmed) among `rounds`, with `.used` set:
    whether someone else's live application already uses it. One query."""
    typed = (code or "").strip().upper()
    if not typed:
        return None
    others = Application.objects.filter(nomination_code=OuterRef("pk")).exclude(
        status=ApplicationStatus.WITHDRAWN
    )
    if user is not None and user.is_authenticated:
        others = others.exclude(applicant_id=user.pk)
    return (
        NominationCode.objects.filter(code=typed, round__in=[r.pk for r in rounds])
        .annotate(used=Exists(others))
        .first()
    )


def eligibility_check(
    *,
    rounds: Iterable[Round],
    region: str,
    course_id: int | None = None,
    code: NominationCode | None = None,
    code_typed: str = "",
    existing: Mapping[int, Application] | None = None,
) -> list[RoundEligibility]:
    """One answer per round in `rounds` (rounds accepting applications, with their
    `eligible_courses` prefetched for alumni rounds). `code` is what `nomination_code_find`
    found for `code_typed`; `existing` maps round ids to the person's own applications."""
    existing = existing or {}
    results = []
    for round_ in rounds:
        reasons = []
        if region not in round_.regions:
            reasons.append(
                f"This round is not open to people in {REGION_LABELS.get(region, 'your region')}. "
                f"It is open to people in {_join(round_.region_labels)}."
            )
        if round_.phase == Phase.FOUNDING:
            if not code_typed.strip():
                reasons.append(
                    "This round is for people nominated by an organisation. You need the "
                    "nomination code you were given."
                )
            elif code is None or code.round_id != round_.pk:
                reasons.append(
                    "We could not find that nomination code for this round. Check it against "
                    "the message you were given, for example QF-7K2D."
                )
            elif code.used:
                reasons.append(
                    "That nomination code has already been used. Ask the organisation that "
                    "nominated you."
                )
        if round_.phase == Phase.ALUMNI:
            courses = list(round_.eligible_courses.all())
            if not any(c.pk == course_id for c in courses):
                names = _join([str(c) for c in courses]) or "the courses listed"
                reasons.append(
                    f"This round is for people who have taken one of these courses: {names}."
                )
        results.append(
            RoundEligibility(
                round=round_,
                eligible=not reasons,
                reasons=reasons,
                application=existing.get(round_.pk),
            )
        )
    return results
