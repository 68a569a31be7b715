from django.db.models import Exists, OuterRef, Q, QuerySet

from .enums import Delivery
from .kinds import all_kinds, get_kind
from .models import DigestItem, NotificationPreference


def notification_preferences_for(user) -> dict[str, Delivery]:
    """The user's choice for every registered kind (stored choice, else the kind's default;
    required kinds are always immediate). One query."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    result = {}
    for kind in all_kinds():
        if kind.required:
            result[kind.key] = Delivery.IMMEDIATELY
        else:
            result[kind.key] = Delivery(stored.get(kind.key, kind.default))
    return result


def notification_delivery_for(user, kind_key: str) -> Delivery:
    """How `user` gets `kind_key` now: required kinds are always immediate."""
    kind = get_kind(kind_key)
    if kind.required:
        return Delivery.IMMEDIATELY
    stored = (
        NotificationPreference.objects.filter(user=user, kind=kind_key)
        .values_list("delivery", flat=True)
        .first()
    )
    return Delivery(stored or kind.default)


def notification_wanted(kind_key: str, *, user: str = "pk") -> Q:
    """A filter keeping the people who get `kind_key` at all (straight away or in the daily
    summary, not off): the set-based twin of notification_delivery_for(), for a query that lists
    recipients without a query per person. `user` names the user's id in the filtered query
    ("pk" when filtering User itself)."""
    kind = get_kind(kind_key)
    if kind.required:
        return Q()
    stored = NotificationPreference.objects.filter(user_id=OuterRef(user), kind=kind_key)
    if kind.default == Delivery.OFF:
        return Q(Exists(stored.exclude(delivery=Delivery.OFF)))
    return ~Q(Exists(stored.filter(delivery=Delivery.OFF)))


def digest_items_waiting(user_id: int) -> QuerySet[DigestItem]:
    return DigestItem.objects.filter(user_id=user_id, digest__isnull=True).order_by(
        "created_at", "id"
    )
