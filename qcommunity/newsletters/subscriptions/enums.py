from django.db import models

from qcommunity.core.workflow import Transition, transitions


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Subscribed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Address bounced"
    COMPLAINED = "complained", "Marked as spam"


# Statuses that put the address on the suppression list: it is never mailed again by an import
# or a resubscription without a fresh confirmation.
SUPPRESSING_STATUSES = frozenset(
    {SubscriptionStatus.UNSUBSCRIBED, SubscriptionStatus.BOUNCED, SubscriptionStatus.COMPLAINED}
)

# Moves of a subscription (`services.SUBSCRIPTIONS`, the kit in `qcommunity.core.workflow`),
# each named for where it leads. The services that call them decide who may (the signed link,
# the webhook, staff, the account holder), so no permission is named; the system may take them.
# Back to pending from a suppressing status only through the public form (a fresh double opt-in).
SUBSCRIPTION_TRANSITIONS = transitions(
    Transition("request", frozenset(SUPPRESSING_STATUSES), SubscriptionStatus.PENDING,
               "Subscribe again", system=True),
    Transition("confirm", frozenset({SubscriptionStatus.PENDING}), SubscriptionStatus.CONFIRMED,
               "Confirm", system=True),
    Transition("unsubscribe", frozenset({SubscriptionStatus.PENDING, SubscriptionStatus.CONFIRMED}),
               SubscriptionStatus.UNSUBSCRIBED, "Unsubscribe", system=True),
    Transition("bounce",
               frozenset({SubscriptionStatus.PENDING, SubscriptionStatus.CONFIRMED,
                          SubscriptionStatus.UNSUBSCRIBED}),
               SubscriptionStatus.BOUNCED, "Mark as bounced", system=True),
    Transition("complain",
               frozenset({SubscriptionStatus.PENDING, SubscriptionStatus.CONFIRMED,
                          SubscriptionStatus.UNSUBSCRIBED, SubscriptionStatus.BOUNCED}),
               SubscriptionStatus.COMPLAINED, "Mark as a complaint", system=True),
)  # fmt: skip
# The move that leads to each status.
SUBSCRIPTION_ACTION_TO = {t.target: t.action for t in SUBSCRIPTION_TRANSITIONS.values()}


class ConsentMethod(models.TextChoices):
    DOUBLE_OPT_IN = "double_opt_in", "Confirmed by email (double opt-in)"
    ACCOUNT_SETTINGS = "account_settings", "Chosen in account settings"
    STAFF_IMPORT = "staff_import", "Imported by staff"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"
    CONTRACT = "contract", "Contract"


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Hard bounce"
    COMPLAINED = "complained", "Spam complaint"
    STAFF = "staff", "Suppressed by staff"
    ACCOUNT_DELETED = "account_deleted", "Account deleted"
