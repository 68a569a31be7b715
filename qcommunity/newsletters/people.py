"""What newsletters show on a person's staff account page (`qcommunity.people.facts`): their
subscriptions, and whether their address is suppressed."""

from django.db.models.functions import Lower

from qcommunity.people.facts import AccountFacts, AccountSection, Fact, register

from .subscriptions.models import Subscription, Suppression


def newsletters_section(user) -> AccountSection:
    facts = [
        Fact(subscription.newsletter.name, subscription.get_status_display())
        for subscription in Subscription.objects.filter(contact__user=user)
        .select_related("newsletter")
        .order_by("newsletter__name")
    ]
    suppressed = (
        Suppression.objects.annotate(address=Lower("email"))
        .filter(address=user.email.lower())
        .first()
    )
    if suppressed is not None:
        facts.append(
            Fact(
                "Suppressed", f"Never sent a newsletter ({suppressed.get_reason_display().lower()})"
            )
        )
    return AccountSection("Newsletters", facts, empty="Not subscribed to any newsletter.")


register(AccountFacts(key="newsletters", order=60, section=newsletters_section))
