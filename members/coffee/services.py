"""Writes for random coffee: taking part, and the monthly pairing run."""

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from qcommunity.audit.services import audit_record
from qcommunity.outbox.services import email_queue_template

from ..directory.enums import Visibility
from ..directory.export import directory_entry_path
from ..directory.models import Profile
from ..directory.services import profile_create
from .models import CoffeePairing
from .pairing import Candidate, pair_members
from .selectors import coffee_taking_part

# Any fixed number works: it names the lock that lets only one pairing run go at a time.
COFFEE_RUN_LOCK = 31_003
COFFEE_NO_REPEAT_MONTHS = 6


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_before(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def member_name(user) -> str:
    """A person's name for other members; never derived from their email address."""
    return user.full_name or user.preferred_name or "A Q member"


@transaction.atomic
def coffee_set_opt_in(*, user, opt_in: bool, actor) -> Profile:
    """Join or leave random coffee. Creates the member's (hidden) entry if they have none, since
    the choice lives on it. Opting out takes effect from the next monthly run; pairings
    already made stay in the member's history."""
    profile = Profile.objects.filter(user=user).first() or profile_create(user=user, actor=actor)
    if profile.coffee_opt_in != opt_in:
        profile.coffee_opt_in = opt_in
        profile.save(update_fields=["coffee_opt_in"])
        audit_record(
            actor=actor, action="coffee.opt_in" if opt_in else "coffee.opt_out", target=profile
        )
    return profile


@transaction.atomic
def coffee_run_month(
    *, month: dt.date, actor=None, rng: random.Random | None = None
) -> list[CoffeePairing]:
    """Pair the members who have opted in to random coffee for `month` (any day of it) and queue
    an introduction email to each person paired.

    Rules: only active members who opted in; never someone already paired this month (so a
    second run pairs only people who joined since, and running twice is safe); never a pair
    that met in the last six months; different regions and role types preferred; at most one
    person left unpaired whenever the six-month rule allows it (see `members.coffee.pairing`). Runs
    are serialised by a transaction-level advisory lock. The outbox rows are written in the same
    transaction as the pairings and sent only after it commits. Audited as `coffee.run` (with
    the staff member who ran it, if one did)."""
    return _coffee_run(month=month, actor=actor, rng=rng).pairings


@dataclass(frozen=True)
class CoffeeRun:
    month: dt.date
    pairings: list[CoffeePairing]
    unpaired: int


@transaction.atomic
def coffee_run_now(*, actor, today: dt.date | None = None) -> CoffeeRun:
    """Staff's "Run a round now": this month's run, exactly as the monthly task does it (the
    rules of `coffee_run_month`, so repeating it pairs only people not yet paired this month),
    recorded in the audit log with `actor`. Returns what it did, for the page to say."""
    return _coffee_run(month=today or timezone.localdate(), actor=actor, rng=None)


def _coffee_run(*, month: dt.date, actor, rng: random.Random | None) -> CoffeeRun:
    month = month_start(month)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COFFEE_RUN_LOCK])
    this_month = CoffeePairing.objects.filter(month=month)
    already = {uid for pair in this_month.values_list("member_a", "member_b") for uid in pair}
    candidates = [
        Candidate(user_id=uid, region=region, role_types=frozenset(roles))
        for uid, region, roles in coffee_taking_part()
        .exclude(user_id__in=already)
        .order_by("user_id")
        .values_list("user_id", "region", "role_types")
    ]
    recent = CoffeePairing.objects.filter(
        month__gte=months_before(month, COFFEE_NO_REPEAT_MONTHS),
        month__lte=month,
        member_a__in=[c.user_id for c in candidates],
    ).values_list("member_a", "member_b")
    result = pair_members(candidates, set(recent), rng or random.SystemRandom())
    pairings = CoffeePairing.objects.bulk_create(
        CoffeePairing(month=month, member_a_id=a, member_b_id=b) for a, b in result.pairs
    )
    _coffee_queue_introductions(pairings)
    audit_record(
        actor=actor,
        action="coffee.run",
        data={
            "month": month.isoformat(),
            "pairs": len(pairings),
            "unpaired": len(result.unpaired),
        },
    )
    return CoffeeRun(month=month, pairings=pairings, unpaired=len(result.unpaired))


def _coffee_queue_introductions(pairings: list[CoffeePairing]) -> None:
    ids = [uid for p in pairings for uid in (p.member_a_id, p.member_b_id)]
    profiles = {
        p.user_id: p for p in Profile.objects.select_related("user").filter(user_id__in=ids)
    }
    settings_url = settings.SITE_URL.rstrip("/") + reverse("members:coffee-settings")
    for pairing in pairings:
        for me, other in (
            (pairing.member_a_id, pairing.member_b_id),
            (pairing.member_b_id, pairing.member_a_id),
        ):
            mine, theirs = profiles[me], profiles[other]
            entry_url = ""
            if theirs.visibility in (Visibility.MEMBERS, Visibility.PUBLIC):
                entry_url = settings.SITE_URL.rstrip("/") + directory_entry_path(theirs.slug)
            message_url = settings.SITE_URL.rstrip("/") + reverse(
                "members:coffee-message", kwargs={"pk": pairing.pk}
            )
            email_queue_template(
                to=mine.user.email,
                kind="coffee_introduction",
                context={
                    "name": member_name(mine.user),
                    "month": month_label(pairing.month),
                    "other_name": member_name(theirs.user),
                    "other_job_title": theirs.job_title,
                    "other_organisation": theirs.organisation,
                    "other_about": coffee_partner_about(theirs.job_title, theirs.organisation),
                    "other_entry_url": entry_url,
                    "message_url": message_url,
                    "other_takes_messages": theirs.accepts_messages,
                    "you_take_messages": mine.accepts_messages,
                    "settings_url": settings_url,
                },
                related=pairing,
            )


def coffee_partner_about(job_title: str, organisation: str) -> str:
    """What the introduction puts in brackets after a partner's name, whatever the job title's
    wording: "Research fellow, Leeds Trust", "Leeds Trust", or nothing. (A sentence such as
    "is Research fellow at" reads wrongly for most job titles.)"""
    return ", ".join(part.strip() for part in (job_title, organisation) if part.strip())


def month_label(month: dt.date) -> str:
    return f"{month:%B %Y}"
