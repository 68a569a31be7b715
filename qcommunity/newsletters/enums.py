from django.db import models


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

# Allowed moves of a subscription's status; `services.subscription_transition` checks this table.
# Back to pending from a suppressing status only through the public form (a fresh double opt-in).
SUBSCRIPTION_TRANSITIONS: dict[str, frozenset[str]] = {
    SubscriptionStatus.PENDING: frozenset(
        {
            SubscriptionStatus.CONFIRMED,
            SubscriptionStatus.UNSUBSCRIBED,
            SubscriptionStatus.BOUNCED,
            SubscriptionStatus.COMPLAINED,
        }
    ),
    SubscriptionStatus.CONFIRMED: frozenset(
        {
            SubscriptionStatus.UNSUBSCRIBED,
            SubscriptionStatus.BOUNCED,
            SubscriptionStatus.COMPLAINED,
        }
    ),
    SubscriptionStatus.UNSUBSCRIBED: frozenset(
        {SubscriptionStatus.PENDING, SubscriptionStatus.BOUNCED, SubscriptionStatus.COMPLAINED}
    ),
    SubscriptionStatus.BOUNCED: frozenset(
        {SubscriptionStatus.PENDING, SubscriptionStatus.COMPLAINED}
    ),
    SubscriptionStatus.COMPLAINED: frozenset({SubscriptionStatus.PENDING}),
}


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", "Waiting for confirmation"
    APPLIED = "applied", "Imported"


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


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Suppressed"
