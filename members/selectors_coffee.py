"""Reads for random coffee: a member's own pairings, newest first."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from .export import directory_entry_path
from .models import CoffeePairing, Profile
from .selectors import profiles_visible_to


@dataclass(frozen=True)
class PastPairing:
    month: dt.date
    other_name: str
    other_entry_path: str | None  # only when the viewer may see the other person's entry


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
    return [
        PastPairing(
            month=p.month,
            other_name=member_name(o),
            other_entry_path=directory_entry_path(slugs[o.pk]) if o.pk in slugs else None,
        )
        for p, o in zip(pairings, others, strict=True)
    ]
