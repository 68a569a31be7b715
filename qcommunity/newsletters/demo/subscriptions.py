"""Demo contacts for local development: a few hundred invented people across both newsletters
with every subscription status, consent records and matching suppression rows. Idempotent."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from qcommunity.core.demo import refuse_in_production

from ..subscriptions.enums import (
    ConsentMethod,
    LawfulBasis,
    SubscriptionStatus,
    SuppressionReason,
)
from ..subscriptions.models import ConsentRecord, Contact, Newsletter, Subscription, Suppression
from ..subscriptions.services import CONSENT_WORDING

DEMO_CONTACTS = 320
DEMO_DOMAIN = "newsletter.demo.q.example"
FIRST = [
    "Amara",
    "Ben",
    "Catrin",
    "Dev",
    "Eilidh",
    "Femi",
    "Grace",
    "Harj",
    "Iona",
    "Jamal",
    "Kirsty",
    "Luis",
    "Maeve",
    "Nikhil",
    "Orla",
    "Pawel",
    "Rhian",
    "Sanjay",
    "Tamsin",
    "Yusuf",
]
LAST = [
    "Adeyemi",
    "Bell",
    "Chowdhury",
    "Davies",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lewis",
    "McKenzie",
    "Nowak",
    "O'Neill",
    "Patel",
    "Quinn",
    "Reid",
]
ORGANISATIONS = [
    "",
    "",
    "Northfield NHS Foundation Trust",
    "Riverside Health Board",
    "Coastal Care Partnership",
    "Valley Self-Management Network",
    "City University",
    "Hillside GP Practice",
    "Patient Voices Forum",
]
INTERESTS = [
    "",
    "patient safety",
    "quality improvement",
    "self-management education",
    "mental health",
    "primary care",
    "data and measurement",
]
# Weights of each status on a newsletter.
STATUSES = [
    (SubscriptionStatus.CONFIRMED, 70),
    (SubscriptionStatus.PENDING, 10),
    (SubscriptionStatus.UNSUBSCRIBED, 10),
    (SubscriptionStatus.BOUNCED, 5),
    (SubscriptionStatus.COMPLAINED, 5),
]
SUPPRESSION_FOR = {
    SubscriptionStatus.UNSUBSCRIBED: SuppressionReason.UNSUBSCRIBED,
    SubscriptionStatus.BOUNCED: SuppressionReason.BOUNCED,
    SubscriptionStatus.COMPLAINED: SuppressionReason.COMPLAINED,
}


def demo_contact_email(n: int) -> str:
    return f"contact.{n}@{DEMO_DOMAIN}"


@transaction.atomic
def seed_newsletter_contacts(count: int = DEMO_CONTACTS) -> int:
    """Create the demo contacts that do not exist yet; returns how many were created. Rows are
    written directly, with their history already in place (statuses, consent, suppression), as
    a fixture would be: no audit rows or emails for invented people."""
    refuse_in_production()
    newsletters = {
        n.slug: n for n in Newsletter.objects.filter(slug__in=["community", "quality-mark"])
    }
    if len(newsletters) != 2:
        return 0
    existing = set(
        Contact.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").values_list("email", flat=True)
    )
    rng = random.Random(4)  # noqa: S311 (reproducible made-up data, not secrets)
    now = timezone.now()
    statuses, weights = zip(*STATUSES, strict=True)
    created = 0
    for n in range(1, count + 1):
        # Draw every value even for contacts that exist, so each person stays the same.
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        organisation = rng.choice(ORGANISATIONS)
        interests = rng.choice(INTERESTS)
        joined = now - dt.timedelta(days=rng.randint(1, 900))
        wants = [
            s for s, share in (("community", 0.9), ("quality-mark", 0.35)) if rng.random() < share
        ]
        chosen = [(slug, rng.choices(statuses, weights)[0]) for slug in wants or ["community"]]
        imported = rng.random() < 0.3
        email = demo_contact_email(n)
        if email in existing:
            continue
        contact = Contact.objects.create(
            email=email,
            name=name,
            organisation=organisation,
            interests=interests,
            created_at=joined,
        )
        created += 1
        for slug, status in chosen:
            newsletter = newsletters[slug]
            changed = joined + dt.timedelta(days=rng.randint(0, 60))
            subscription = Subscription.objects.create(
                contact=contact,
                newsletter=newsletter,
                status=status,
                created_at=joined,
                status_changed_at=changed,
                confirmed_at=None if status == SubscriptionStatus.PENDING else joined,
            )
            if status != SubscriptionStatus.PENDING:
                ConsentRecord.objects.create(
                    subscription=subscription,
                    wording=(
                        "Imported by staff on the lawful basis of legitimate interests. "
                        "Delegates at a Q regional event (demo)."
                        if imported
                        else CONSENT_WORDING
                    ),
                    method=ConsentMethod.STAFF_IMPORT if imported else ConsentMethod.DOUBLE_OPT_IN,
                    lawful_basis=(
                        LawfulBasis.LEGITIMATE_INTERESTS if imported else LawfulBasis.CONSENT
                    ),
                    source="demo import" if imported else "/newsletter/",
                    recorded_at=joined,
                )
            if status in SUPPRESSION_FOR:
                Suppression.objects.create(
                    email=email,
                    reason=SUPPRESSION_FOR[status],
                    newsletter=newsletter if status == SubscriptionStatus.UNSUBSCRIBED else None,
                    detail="Demo data",
                    created_at=changed,
                )
    return created
