"""Reads for random coffee: a member's own pairings, newest first, and the staff overview (who
takes part, who is waiting for this month, the pairs of this month and the last)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qcommunity.accounts.enums import Role

from ..directory.export import directory_entry_path
from ..directory.models import Profile
from ..directory.selectors import profiles_visible_to
from .models import CoffeePairing

# Partners may message each other through the site for as long as they cannot be paired again.
MESSAGE_MONTHS = 6


@dataclass(frozen=True)
class PastPairing:
    pk: int
    month: dt.date
    other_name: str
    other_entry_path: str | None  # only when the viewer may see the other person's entry
    can_message: bool
    # Recent enough to message, but the other person is not taking messages through the site.
    not_taking_messages: bool = False


def message_window_start(today: dt.date | None = None) -> dt.date:
    """The first month whose pairings may still message each other (this month and the five
    before it)."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - (MESSAGE_MONTHS - 1)
    return dt.date(months // 12, months % 12 + 1, 1)


def coffee_profile_get(user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def coffee_pairings_for(user) -> list[PastPairing]:
    """Everyone `user` has been paired with. The other person's entry is linked only if
    `user` may see it; they can be messaged while the pairing is recent, their account open and
    they take messages through the site. Three queries, however many pairings."""
    from .services import member_name

    pairings = list(
        CoffeePairing.objects.filter(Q(member_a=user) | Q(member_b=user))
        .select_related("member_a", "member_b")
        .order_by("-month", "-id")
    )
    others = [p.member_b if p.member_a_id == user.pk else p.member_a for p in pairings]
    slugs = dict(
        profiles_visible_to(user)
        .filter(user_id__in=[o.pk for o in others])
        .values_list("user_id", "slug")
    )
    closed = set(
        Profile.objects.filter(
            user_id__in=[o.pk for o in others], accepts_messages=False
        ).values_list("user_id", flat=True)
    )
    start = message_window_start()
    return [
        PastPairing(
            pk=p.pk,
            month=p.month,
            other_name=member_name(o),
            other_entry_path=directory_entry_path(slugs[o.pk]) if o.pk in slugs else None,
            can_message=p.month >= start and o.is_active and o.pk not in closed,
            not_taking_messages=p.month >= start and o.is_active and o.pk in closed,
        )
        for p, o in zip(pairings, others, strict=True)
    ]


def coffee_partner_get(*, user, pairing_id: int) -> Profile:
    """The directory entry of `user`'s partner in pairing `pairing_id`, whatever its visibility,
    if the pairing is recent enough to message through (404 otherwise, and for anyone outside
    the pairing, so pairings do not leak)."""
    pairing = (
        CoffeePairing.objects.filter(Q(member_a=user) | Q(member_b=user))
        .filter(pk=pairing_id, month__gte=message_window_start())
        .first()
    )
    if pairing is None:
        raise Http404
    other_id = pairing.member_b_id if pairing.member_a_id == user.pk else pairing.member_a_id
    partner = (
        Profile.objects.select_related("user")
        .filter(user_id=other_id, user__is_active=True)
        .first()
    )
    if partner is None:
        raise Http404
    return partner


# Staff overview ----------------------------------------------------------------------------------


def coffee_taking_part() -> QuerySet[Profile]:
    """Entries of the people a pairing run considers: active members who opted in."""
    return Profile.objects.filter(
        coffee_opt_in=True, user__is_active=True, user__roles__role=Role.MEMBER
    )


def _paired_in(month: dt.date) -> Q:
    pairings = CoffeePairing.objects.filter(month=month)
    return Q(Exists(pairings.filter(member_a=OuterRef("user_id")))) | Q(
        Exists(pairings.filter(member_b=OuterRef("user_id")))
    )


def coffee_waiting(month: dt.date) -> QuerySet[Profile]:
    """Who a run for `month` would try to pair: taking part and not yet paired that month."""
    return coffee_taking_part().exclude(_paired_in(month))


@dataclass(frozen=True)
class CoffeeOverview:
    month: dt.date
    last_month: dt.date
    taking_part: int
    waiting: int
    pairs_this_month: int


def coffee_overview(today: dt.date | None = None) -> CoffeeOverview:
    """The staff page's figures for the month `today` falls in (three queries)."""
    month = (today or timezone.localdate()).replace(day=1)
    return CoffeeOverview(
        month=month,
        last_month=(month - dt.timedelta(days=1)).replace(day=1),
        taking_part=coffee_taking_part().count(),
        waiting=coffee_waiting(month).count(),
        pairs_this_month=CoffeePairing.objects.filter(month=month).count(),
    )


def coffee_taking_part_list(month: dt.date) -> QuerySet[Profile]:
    """Everyone taking part, by name, with their account and whether they are paired in
    `month` (`paired`)."""
    return (
        coffee_taking_part()
        .select_related("user")
        .annotate(paired=_paired_in(month))
        .order_by("sort_name", "id")
    )


@dataclass(frozen=True)
class StaffPair:
    one: str
    other: str


def coffee_pairs_in(month: dt.date) -> list[StaffPair]:
    """The pairs made for `month`, by the first person's name (one query)."""
    from .services import member_name

    pairings = CoffeePairing.objects.filter(month=month).select_related("member_a", "member_b")
    pairs = [StaffPair(member_name(p.member_a), member_name(p.member_b)) for p in pairings]
    return sorted(pairs, key=lambda pair: (pair.one.lower(), pair.other.lower()))
