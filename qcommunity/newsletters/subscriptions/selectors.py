"""Reads for subscribers: public newsletters, staff lists of contacts, consent history and the
suppression list, each with the joins its page needs."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from . import tokens
from .enums import SubscriptionStatus
from .models import ConsentRecord, Contact, Newsletter, Subscription, Suppression


def newsletters_public() -> QuerySet[Newsletter]:
    return Newsletter.objects.filter(is_public=True).order_by("name")


def newsletter_list_with_counts() -> QuerySet[Newsletter]:
    """Every newsletter with how many subscriptions it has in each status (`n_<status>`)."""
    counts = {
        f"n_{status}": Count("subscriptions", filter=Q(subscriptions__status=status))
        for status in SubscriptionStatus.values
    }
    return Newsletter.objects.annotate(**counts).order_by("name")


def contact_list() -> QuerySet[Contact]:
    """Contacts with their subscriptions and newsletters prefetched (two extra queries)."""
    return Contact.objects.prefetch_related(
        Prefetch(
            "subscriptions",
            queryset=Subscription.objects.select_related("newsletter").order_by("newsletter__name"),
        )
    ).order_by(Lower("email"), "id")


def contact_get(pk: int) -> Contact:
    """A contact with every subscription and its full consent history, newest first."""
    contact = (
        Contact.objects.select_related("user")
        .prefetch_related(
            Prefetch(
                "subscriptions",
                queryset=Subscription.objects.select_related("newsletter")
                .prefetch_related(
                    Prefetch(
                        "consents",
                        queryset=ConsentRecord.objects.select_related("recorded_by"),
                    )
                )
                .order_by("newsletter__name"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def contact_suppressions(contact: Contact) -> list[Suppression]:
    return list(
        Suppression.objects.annotate(address=Lower("email"))
        .filter(address=contact.email.lower())
        .select_related("newsletter")
    )


def suppression_list() -> QuerySet[Suppression]:
    return Suppression.objects.select_related("newsletter").order_by("-created_at", "-id")


def subscription_for_token(token: str, *, purpose: str) -> Subscription:
    """The subscription a signed link points at. Raises `tokens.LinkError` for a forged or old
    token ("invalid", "expired") and for one whose subscription no longer exists ("gone"), so
    the page can say which and what to do."""
    read = tokens.confirm_token_pk if purpose == "confirm" else tokens.unsubscribe_token_pk
    pk = read(token)
    subscription = (
        Subscription.objects.select_related("newsletter", "contact").filter(pk=pk).first()
    )
    if subscription is None:
        raise tokens.LinkError("gone")
    return subscription
