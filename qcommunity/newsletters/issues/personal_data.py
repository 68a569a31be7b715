"""What the newsletters hold about a person: their contact record (linked to their account, or
held under one of their verified addresses), its subscriptions with the consent recorded for
each, and the work they put forward for the member showcase. It lives with the issues because
erasing reaches the issues' deliveries and sections (the subscriptions and the showcase sit
below the issues and do not know them).

Deleting the account:
- every subscription is unsubscribed and each address is put on the suppression list for every
  newsletter (reason "account deleted"), so no import or issue mails it again. The suppression
  list is keyed by address by design: it is the one place the address stays;
- the contact stays, because its consent records (kept as evidence of what was agreed, when and
  how) and its newsletter deliveries (kept for each issue's counts) hang from it, but its
  address becomes a placeholder that cannot receive mail and its name, organisation and
  interests are cleared; the deliveries lose their copy of the address and any error text,
  and those still waiting to go are marked suppressed; unconfirmed form submissions go;
- showcase items not in an issue that has been sent (or is being sent) are deleted, with their
  images and their places in unsent issues; those already sent stay in the archive as they
  were published, no longer linked to the account."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import CharField, Prefetch, Q, Value
from django.db.models.functions import Cast, Concat, Lower
from django.utils import timezone

from qcommunity.outbox.selectors import account_addresses
from qcommunity.outbox.services import outbox_emails_erase
from qcommunity.privacy.registry import PersonalData, register

from ..showcase.enums import ShowcaseStatus
from ..showcase.images import showcase_image_url
from ..showcase.models import ShowcaseItem
from ..subscriptions.enums import (
    ConsentMethod,
    LawfulBasis,
    SubscriptionStatus,
    SuppressionReason,
)
from ..subscriptions.models import ConsentRecord, Contact, SubscribeRequest, Subscription
from ..subscriptions.services import SUBSCRIPTIONS, suppression_add
from .enums import IssueStatus
from .models import Delivery, IssueSection
from .services import DELIVERIES

SUBSCRIPTION_LABELS = dict(SubscriptionStatus.choices)
METHOD_LABELS = dict(ConsentMethod.choices)
BASIS_LABELS = dict(LawfulBasis.choices)
SHOWCASE_LABELS = dict(ShowcaseStatus.choices)
# An issue whose content has gone out (or is going out now): its showcase items are published.
PUBLISHED_ISSUE = frozenset({IssueStatus.SENDING, IssueStatus.SENT})
DELETED_DETAIL = "The person deleted their account."


def contacts_for(user, addresses: list[str] | None = None):
    """The contacts that are this person's: linked to the account, or held under one of its
    verified addresses (matched without regard to case)."""
    if addresses is None:
        addresses = account_addresses(user)
    return Contact.objects.annotate(address=Lower("email")).filter(
        Q(user=user) | Q(address__in=[a.lower() for a in addresses])
    )


# Subscriptions and consent -------------------------------------------------------------------


def subscriptions_export(user) -> list[dict]:
    consents = ConsentRecord.objects.order_by("recorded_at", "id")
    subscriptions = (
        Subscription.objects.select_related("newsletter")
        .prefetch_related(Prefetch("consents", queryset=consents))
        .order_by("newsletter__name", "id")
    )
    contacts = (
        contacts_for(user)
        .prefetch_related(Prefetch("subscriptions", queryset=subscriptions))
        .order_by("id")
    )
    return [
        {
            "email": contact.email,
            "name": contact.name,
            "organisation": contact.organisation,
            "interests": contact.interests,
            "added_at": contact.created_at,
            "subscriptions": [
                {
                    "newsletter": subscription.newsletter.name,
                    "status": SUBSCRIPTION_LABELS.get(subscription.status, subscription.status),
                    "asked_at": subscription.created_at,
                    "confirmed_at": subscription.confirmed_at,
                    "status_changed_at": subscription.status_changed_at,
                    "consent": [
                        {
                            "wording": consent.wording,
                            "how": METHOD_LABELS.get(consent.method, consent.method),
                            "lawful_basis": BASIS_LABELS.get(
                                consent.lawful_basis, consent.lawful_basis
                            ),
                            "where": consent.source,
                            "recorded_at": consent.recorded_at,
                        }
                        for consent in subscription.consents.all()
                    ],
                }
                for subscription in contact.subscriptions.all()
            ],
        }
        for contact in contacts
    ]


def subscriptions_erase(user) -> None:
    # The account's own address counts as proved (changing it needs a confirmation); other
    # unverified addresses do not: adding someone else's must not suppress it.
    addresses = sorted({user.email, *account_addresses(user)})
    contacts = list(contacts_for(user, addresses).values_list("pk", "email"))
    contact_ids = [pk for pk, _ in contacts]
    contact_addresses = [email for _, email in contacts]
    now = timezone.now()

    # Every live subscription ends through the workflow, audited (the deleted account acts).
    SUBSCRIPTIONS.move_many(
        actor=user,
        objects=Subscription.objects.select_related("contact", "newsletter").filter(
            contact_id__in=contact_ids
        ),
        action="unsubscribe",
        now=now,
        data={"reason": "The account was deleted"},
    )
    # Addresses compare without regard to case: one row per address, whatever its spelling.
    for email in {a.lower(): a for a in [*addresses, *contact_addresses]}.values():
        suppression_add(
            email=email,
            reason=SuppressionReason.ACCOUNT_DELETED,
            newsletter=None,
            detail=DELETED_DETAIL,
            actor=user,
        )
    SubscribeRequest.objects.filter(contact_id__in=contact_ids).delete()

    deliveries = Delivery.objects.filter(contact_id__in=contact_ids)
    # One still waiting is never sent: suppressed through the workflow, audited.
    DELIVERIES.move_many(
        actor=user,
        objects=deliveries.select_related("issue"),
        action="suppress",
        data={"reason": "The account was deleted"},
    )
    deliveries.update(email="", last_error="")
    # The issues' emails themselves: the outbox's own step covers the account's addresses, but
    # a contact may still hold one the account no longer has.
    outbox_emails_erase(addresses=contact_addresses)

    Contact.objects.filter(pk__in=contact_ids).update(
        email=Concat(
            Value("deleted-contact-"),
            Cast("pk", output_field=CharField()),
            Value("@deleted.invalid"),
            output_field=CharField(),
        ),
        name="",
        organisation="",
        interests="",
    )


# Member showcase -------------------------------------------------------------------------------


def showcase_export(user) -> list[dict]:
    published = IssueSection.objects.filter(issue__status=IssueStatus.SENT).select_related("issue")
    items = (
        ShowcaseItem.objects.filter(submitted_by=user)
        .prefetch_related(Prefetch("sections", queryset=published, to_attr="published_in"))
        .order_by("created_at", "id")
    )
    return [
        {
            "title": item.title,
            "summary": item.summary,
            "link": item.link,
            "image": showcase_image_url(item) if item.image else "",
            "image_description": item.image_alt,
            "status": SHOWCASE_LABELS.get(item.status, item.status),
            "reason_returned": item.return_reason,
            "submitted_at": item.created_at,
            "decided_at": item.decided_at,
            "in_newsletter_issues": [section.issue.title for section in item.published_in],
        }
        for item in items
    ]


def showcase_erase(user) -> None:
    items = ShowcaseItem.objects.filter(submitted_by=user)
    published = items.filter(sections__issue__status__in=PUBLISHED_ISSUE)
    unpublished = items.exclude(pk__in=published.values("pk"))
    images = [name for name in unpublished.values_list("image", flat=True) if name]
    # Their places in issues not yet sent go with them (a gap in the positions is harmless:
    # sections are ordered, and moved among neighbours, by position).
    IssueSection.objects.filter(showcase_item__in=unpublished).delete()
    unpublished.delete()
    published.update(submitted_by=None)

    def remove_files() -> None:
        for name in images:
            default_storage.delete(name)

    transaction.on_commit(remove_files)


register(
    PersonalData(
        key="newsletters.subscriptions",
        label="Your newsletter subscriptions and the consent you gave",
        on_delete="You are unsubscribed from every newsletter and your email address is added "
        "to our list of addresses we must never email. Your name, organisation and interests "
        "are removed. The record of your consent (what you agreed to, when and how) is kept "
        "without your details, as evidence that we had it.",
        export=subscriptions_export,
        erase=subscriptions_erase,
        order=60,
    )
)
register(
    PersonalData(
        key="newsletters.showcase",
        label="Work you put forward for the newsletter showcase",
        on_delete="Deleted, with any images, unless it has already been sent in a newsletter. "
        "Work already sent stays in the newsletter archive, but is no longer linked to you.",
        export=showcase_export,
        erase=showcase_erase,
        order=61,
    )
)
