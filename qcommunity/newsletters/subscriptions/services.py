"""Writes for subscribers: subscribing through the public form with double opt-in, confirming,
unsubscribing, bounces and complaints, and the suppression list.

Rules kept here:
- A subscription's status changes only through `subscription_transition`, which checks
  `SUBSCRIPTIONS` (table: `enums.SUBSCRIPTION_TRANSITIONS`), stamps the time and writes an
  audit row.
- Unsubscribing suppresses the address for that newsletter; a hard bounce or a complaint
  suppresses it for every newsletter. Suppression rows are keyed by address (case-insensitive)
  and outlive the contact.
- Only a fresh double opt-in confirmation lifts a suppression, and only for the newsletter
  confirmed (recorded in the audit log).
- The public form never says whether an address was already subscribed: every submission
  gets the same page; what differs is only the email the address's owner receives."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError
from qcommunity.core.workflow import Move, Transition, Workflow
from qcommunity.outbox.services import email_queue_template

from . import tokens
from .enums import (
    SUBSCRIPTION_ACTION_TO,
    SUBSCRIPTION_TRANSITIONS,
    SUPPRESSING_STATUSES,
    ConsentMethod,
    LawfulBasis,
    SubscriptionStatus,
    SuppressionReason,
)
from .models import (
    ConsentRecord,
    Contact,
    Newsletter,
    SubscribeRequest,
    Subscription,
    Suppression,
)

# The sentence shown on the subscribe form, stored verbatim with every consent it collects.
# Change it here only: every new consent record quotes whatever was shown at the time.
CONSENT_WORDING = (
    "I agree to Q Community emailing me the newsletters I have ticked. I can unsubscribe at any "
    "time using the link in every email, and Q Community will keep a record of this agreement."
)

# (cache key prefix, most submissions, window in seconds, what the person is told)
SUBSCRIBE_LIMITS = (
    ("ip", 10, 60 * 60, "from your network in an hour"),
    ("address", 3, 60 * 60, "for one email address in an hour"),
)


class SubscriptionError(ServiceError):
    """A subscription request that cannot be done (see `ServiceError`)."""


class SubscribeRateLimitedError(SubscriptionError):
    pass


class TransitionNotAllowedError(SubscriptionError):
    pass


def normalise_email(email: str) -> str:
    """Addresses compare case-insensitively; the domain is stored lower-case."""
    email = email.strip()
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}" if local else email


# Status changes --------------------------------------------------------------------------------


def _subscription_refusal(subscription: Subscription, transition: Transition) -> str:
    return f"A subscription cannot go from {subscription.status} to {transition.target}."


# Every status change of a subscription: the table is `enums.SUBSCRIPTION_TRANSITIONS`.
SUBSCRIPTIONS = Workflow(
    model=Subscription,
    field="status",
    transitions=SUBSCRIPTION_TRANSITIONS,
    audit="newsletter.subscription",
    audit_action="newsletter.subscription.status",
    error=TransitionNotAllowedError,
    noun="subscription",
    refusal=_subscription_refusal,
    stamp="status_changed_at",
)


@SUBSCRIPTIONS.effect(*SUBSCRIPTION_TRANSITIONS)
def _subscription_record(move: Move) -> None:
    """Confirming stamps `confirmed_at`; every move records its reason and details."""
    if move.target == SubscriptionStatus.CONFIRMED:
        move.set(confirmed_at=move.now)
    move.data.update({"reason": move.params.get("reason", ""), **move.params.get("data", {})})


def subscription_allows(subscription: Subscription, to: str) -> bool:
    """Whether the table lets `subscription` move to status `to` now."""
    return subscription.status in SUBSCRIPTIONS[SUBSCRIPTION_ACTION_TO[to]].sources


def subscription_transition(
    *, subscription: Subscription, to: str, actor, reason: str = "", data: dict | None = None
) -> bool:
    """Move one subscription to status `to` through `SUBSCRIPTIONS`. Returns False when it
    already has that status (nothing written); raises TransitionNotAllowedError when the table
    does not allow the move. Stamps `status_changed_at` (and `confirmed_at` when confirming)
    and writes one audit row with the reason. `subscription` is updated in place."""
    to = SubscriptionStatus(to)
    if subscription.status == to:
        return False
    if not subscription_allows(subscription, to):
        raise TransitionNotAllowedError(
            f"A subscription cannot go from {subscription.status} to {to}."
        )
    SUBSCRIPTIONS.move(
        actor=actor,
        obj=subscription,
        action=SUBSCRIPTION_ACTION_TO[to],
        locked=True,  # callers hold the row they read; the move writes it as it stands
        reason=reason,
        data=data or {},
    )
    return True


# Suppression -----------------------------------------------------------------------------------


def suppression_add(
    *, email: str, reason: str, newsletter: Newsletter | None, detail: str = "", actor=None
) -> Suppression:
    """Put the address on the suppression list (for one newsletter, or all when `newsletter` is
    None). Idempotent: an existing row for the same address, reason and scope is kept."""
    email = normalise_email(email)
    existing = (
        Suppression.objects.annotate(address=Lower("email"))
        .filter(address=email.lower(), reason=reason, newsletter=newsletter)
        .first()
    )
    if existing:
        return existing
    row = Suppression.objects.create(
        email=email, reason=reason, newsletter=newsletter, detail=detail[:2000]
    )
    audit_record(
        actor=actor,
        action="newsletter.suppression.add",
        target=row,
        data={"reason": reason, "newsletter": newsletter.pk if newsletter else None},
    )
    return row


def suppressions_for(email: str, newsletter: Newsletter | None = None):
    """The suppression rows that stop mail to this address (for this newsletter, if given)."""
    rows = Suppression.objects.annotate(address=Lower("email")).filter(
        address=normalise_email(email).lower()
    )
    if newsletter is not None:
        rows = rows.filter(newsletter__isnull=True) | rows.filter(newsletter=newsletter)
    return rows


def suppression_lift(*, email: str, newsletter: Newsletter, actor, why: str) -> int:
    """Lift the suppression of this address for this newsletter only, after a fresh double
    opt-in. A suppression for every newsletter (bounce, complaint) is narrowed: it is replaced
    by one row per other newsletter, so they stay suppressed. Each lifted row is recorded in the
    audit log with what it said. Returns how many rows were lifted."""
    rows = list(suppressions_for(email, newsletter))
    others = list(Newsletter.objects.exclude(pk=newsletter.pk))
    for row in rows:
        audit_record(
            actor=actor,
            action="newsletter.suppression.lift",
            target=newsletter,
            data={
                "email": row.email,
                "reason": row.reason,
                "scope": "all newsletters" if row.newsletter_id is None else newsletter.name,
                "suppressed_at": row.created_at.isoformat(),
                "why": why,
            },
        )
        if row.newsletter_id is None:
            for other in others:
                suppression_add(
                    email=row.email,
                    reason=row.reason,
                    newsletter=other,
                    detail=f"Kept from a suppression of every newsletter on "
                    f"{row.created_at:%Y-%m-%d}. {row.detail}".strip(),
                    actor=actor,
                )
        row.delete()
    return len(rows)


# Subscribing through the public form ---------------------------------------------------------


def subscribe_rate_check(*, ip: str, email: str) -> None:
    """Count this submission against the limits per network address and per email address
    (Redis through Django's cache). Raises SubscribeRateLimitedError with a message to show."""
    keys = {"ip": ip or "unknown", "address": normalise_email(email).lower()}
    for prefix, limit, window, words in SUBSCRIBE_LIMITS:
        key = f"newsletters:subscribe:{prefix}:{keys[prefix]}"
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        if count > limit:
            raise SubscribeRateLimitedError(
                f"You can ask to subscribe up to {limit} times {words}. Try again later."
            )


def contact_get_or_create(*, email: str, name: str = "", organisation: str = "") -> Contact:
    """The contact for this address (case-insensitive), created if new. An existing contact's
    name and organisation are only filled in when blank: an unconfirmed form must not be able to
    rewrite what we hold about someone else's address."""
    email = normalise_email(email)
    contacts = Contact.objects.annotate(address=Lower("email")).filter(address=email.lower())
    contact = contacts.first()
    if contact is None:
        contact = Contact(email=email, name=name.strip(), organisation=organisation.strip())
        contact.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                contact.save()
        except IntegrityError:  # the same address arrived in a parallel request
            return contacts.get()
        return contact
    update = []
    if name.strip() and not contact.name:
        contact.name = name.strip()
        update.append("name")
    if organisation.strip() and not contact.organisation:
        contact.organisation = organisation.strip()
        update.append("organisation")
    if update:
        contact.save(update_fields=update)
    return contact


@dataclass(frozen=True)
class SubscribeOutcome:
    """What happened, for tests and logs; the page shown is the same whatever it says."""

    contact: Contact
    pending: list[Subscription]
    already: list[Subscription]
    confirmed_now: list[Subscription]


def _user_owns_address(user, email: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user=user, email__iexact=normalise_email(email), verified=True
    ).exists()


@transaction.atomic
def subscribe_request(
    *,
    email: str,
    name: str,
    organisation: str,
    newsletters: Iterable[Newsletter],
    wording: str,
    source: str,
    actor=None,
) -> SubscribeOutcome:
    """Ask to subscribe `email` to `newsletters` through the public form.

    Rules: the contact is created or found by address; each chosen newsletter gets a pending
    subscription (a new one, or an unsubscribed/bounced/complained one moved back to pending:
    resubscribing always needs the fresh confirmation). Already confirmed ones are left alone.
    A signed-in user using their own verified account address is confirmed at once (method
    account_settings) for newsletters where the address is not suppressed; a suppressed address
    always goes through the emailed confirmation.
    Side effects: at most ONE email: the confirmation link when something is pending, otherwise
    a harmless "you are already subscribed" note. Audit rows for every status change."""
    newsletters = list(newsletters)
    contact = contact_get_or_create(email=email, name=name, organisation=organisation)
    owns = _user_owns_address(actor, contact.email)
    if owns and contact.user_id is None:
        contact.user = actor
        contact.save(update_fields=["user"])
    pending, already, confirmed_now = [], [], []
    for newsletter in newsletters:
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            contact=contact, newsletter=newsletter
        )
        if created:
            audit_record(
                actor=actor,
                action="newsletter.subscription.create",
                target=subscription,
                data={"status": subscription.status, "source": source},
            )
        if subscription.status == SubscriptionStatus.CONFIRMED:
            already.append(subscription)
            continue
        suppressed = suppressions_for(contact.email, newsletter).exists()
        if subscription.status in SUPPRESSING_STATUSES:
            subscription_transition(
                subscription=subscription,
                to=SubscriptionStatus.PENDING,
                actor=actor,
                reason="asked to subscribe again through the public form",
            )
        if owns and not suppressed:
            subscription_transition(
                subscription=subscription,
                to=SubscriptionStatus.CONFIRMED,
                actor=actor,
                reason="signed in with this verified address",
            )
            ConsentRecord.objects.create(
                subscription=subscription,
                wording=wording,
                method=ConsentMethod.ACCOUNT_SETTINGS,
                lawful_basis=LawfulBasis.CONSENT,
                source=source,
                recorded_by=actor,
            )
            confirmed_now.append(subscription)
        else:
            pending.append(subscription)

    if pending:
        request = SubscribeRequest.objects.create(
            contact=contact,
            subscription_ids=[s.pk for s in pending],
            wording=wording,
            source=source,
        )
        email_queue_template(
            to=contact.email,
            kind="newsletter_confirm",
            context={
                "name": contact.name,
                "newsletters": [s.newsletter.name for s in pending],
                "already": [s.newsletter.name for s in already],
                "confirm_url": tokens.confirm_url(pending[0]),
                "days": tokens.CONFIRM_MAX_AGE // 86400,
            },
            related=request,
        )
    elif already and not confirmed_now:
        email_queue_template(
            to=contact.email,
            kind="newsletter_already_subscribed",
            context={
                "name": contact.name,
                "newsletters": [s.newsletter.name for s in already],
                "subscribe_url": f"{settings.SITE_URL}/newsletter/",
            },
            related=contact,
        )
    return SubscribeOutcome(
        contact=contact, pending=pending, already=already, confirmed_now=confirmed_now
    )


def confirm_request_for(subscription: Subscription) -> SubscribeRequest | None:
    """The latest form submission that asked to confirm this subscription."""
    return (
        SubscribeRequest.objects.filter(
            contact_id=subscription.contact_id, subscription_ids__contains=[subscription.pk]
        )
        .order_by("-created_at", "-id")
        .first()
    )


def confirmable_subscriptions(subscription: Subscription) -> list[Subscription]:
    """The pending subscriptions one confirmation link confirms: every one its request asked
    for that is still pending (the link's own first)."""
    request = confirm_request_for(subscription)
    ids = request.subscription_ids if request else [subscription.pk]
    rows = (
        Subscription.objects.select_related("newsletter", "contact")
        .filter(pk__in=ids, status=SubscriptionStatus.PENDING)
        .order_by("newsletter__name")
    )
    return list(rows)


@transaction.atomic
def subscription_confirm(*, subscription: Subscription, actor=None) -> list[Subscription]:
    """Confirm through the emailed link (a POST from the confirm page, so a mail scanner that
    fetches the link confirms nothing).

    Rules: only pending subscriptions are confirmed: every one the same form submission asked
    for. Each gets a ConsentRecord quoting the wording shown on the form, its time, the form's
    page as source and method double_opt_in; any suppression of the address for that
    newsletter is lifted (recorded). Returns the subscriptions confirmed (empty if none were
    still pending)."""
    request = confirm_request_for(subscription)
    confirmed = []
    for candidate in confirmable_subscriptions(subscription):
        row = (
            Subscription.objects.select_for_update()
            .select_related("newsletter", "contact")
            .get(pk=candidate.pk)
        )
        if row.status != SubscriptionStatus.PENDING:
            continue
        subscription_transition(
            subscription=row,
            to=SubscriptionStatus.CONFIRMED,
            actor=actor,
            reason="followed the emailed confirmation link",
        )
        ConsentRecord.objects.create(
            subscription=row,
            wording=request.wording if request else CONSENT_WORDING,
            method=ConsentMethod.DOUBLE_OPT_IN,
            lawful_basis=LawfulBasis.CONSENT,
            source=request.source if request else "newsletter confirmation link",
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        suppression_lift(
            email=row.contact.email,
            newsletter=row.newsletter,
            actor=actor,
            why="confirmed again by email (double opt-in)",
        )
        confirmed.append(row)
    return confirmed


# Leaving ---------------------------------------------------------------------------------------


@transaction.atomic
def subscription_unsubscribe(*, subscription: Subscription, actor=None, source: str) -> bool:
    """Unsubscribe from one newsletter, at once (the page's button or a one-click POST).

    Rules: pending or confirmed becomes unsubscribed; a bounced or complained subscription keeps
    its status. Either way the address is suppressed for this newsletter. Returns True when the
    status changed. Idempotent."""
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("contact", "newsletter")
        .get(pk=subscription.pk)
    )
    changed = False
    if subscription.status in (SubscriptionStatus.PENDING, SubscriptionStatus.CONFIRMED):
        changed = subscription_transition(
            subscription=subscription,
            to=SubscriptionStatus.UNSUBSCRIBED,
            actor=actor,
            reason=source,
        )
    suppression_add(
        email=subscription.contact.email,
        reason=SuppressionReason.UNSUBSCRIBED,
        newsletter=subscription.newsletter,
        detail=source,
        actor=actor,
    )
    return changed


def _subscriptions_for_address(email: str, newsletter: Newsletter | None = None):
    rows = Subscription.objects.select_for_update().filter(
        contact__in=Contact.objects.annotate(address=Lower("email")).filter(
            address=normalise_email(email).lower()
        )
    )
    if newsletter is not None:
        rows = rows.filter(newsletter=newsletter)
    return rows


@transaction.atomic
def address_mark_bounced(*, email: str, detail: str = "", actor=None) -> int:
    """A hard bounce: every subscription of the address becomes bounced (a complaint is kept)
    and the address is suppressed for every newsletter. Returns how many changed."""
    changed = 0
    for subscription in _subscriptions_for_address(email):
        if subscription_allows(subscription, SubscriptionStatus.BOUNCED):
            changed += subscription_transition(
                subscription=subscription, to=SubscriptionStatus.BOUNCED, actor=actor, reason=detail
            )
    suppression_add(
        email=email, reason=SuppressionReason.BOUNCED, newsletter=None, detail=detail, actor=actor
    )
    return changed


@transaction.atomic
def address_mark_complained(*, email: str, detail: str = "", actor=None) -> int:
    """A spam complaint: every subscription of the address becomes complained and the address
    is suppressed for every newsletter. Returns how many changed."""
    changed = 0
    for subscription in _subscriptions_for_address(email):
        if subscription_allows(subscription, SubscriptionStatus.COMPLAINED):
            changed += subscription_transition(
                subscription=subscription,
                to=SubscriptionStatus.COMPLAINED,
                actor=actor,
                reason=detail,
            )
    suppression_add(
        email=email,
        reason=SuppressionReason.COMPLAINED,
        newsletter=None,
        detail=detail,
        actor=actor,
    )
    return changed


@transaction.atomic
def address_unsubscribe(
    *, email: str, newsletter: Newsletter | None, detail: str = "", actor=None
) -> int:
    """An unsubscribe reported by the mail provider: from `newsletter` when we know which issue
    it came from, otherwise from every newsletter. Returns how many changed."""
    targets = [newsletter] if newsletter else list(Newsletter.objects.all())
    changed = 0
    for subscription in _subscriptions_for_address(email, newsletter):
        if subscription.status in (SubscriptionStatus.PENDING, SubscriptionStatus.CONFIRMED):
            changed += subscription_transition(
                subscription=subscription,
                to=SubscriptionStatus.UNSUBSCRIBED,
                actor=actor,
                reason=detail,
            )
    for target in targets:
        suppression_add(
            email=email,
            reason=SuppressionReason.UNSUBSCRIBED,
            newsletter=target,
            detail=detail,
            actor=actor,
        )
    return changed
