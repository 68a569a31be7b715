"""Reads for random coffee: a member's own pairings, newest first."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from .export import directory_entry_path
from .models import CoffeePairing, Profile
from .selectors import profiles_visible_to

# Partners may message each other through the site for as long as they cannot be paired again.
MESSAGE_MONTHS = 6


@dataclass(frozen=True)
class PastPairing:
    pk: int
    month: dt.date
    other_name: str
    other_entry_path: str | None  # only when the viewer may see the other person's entry
    can_message: bool


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
    `user` may see it. Two queries, however many pairings."""
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
    start = message_window_start()
    return [
        PastPairing(
            pk=p.pk,
            month=p.month,
            other_name=member_name(o),
            other_entry_path=directory_entry_path(slugs[o.pk]) if o.pk in slugs else None,
            can_message=p.month >= start and o.is_active,
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
