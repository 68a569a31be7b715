"""Demo newsletter work waiting for staff, so the staff home lists each kind: a delivery of
the latest sent issue that bounced (its address suppressed, as the mail provider's report does)
and a contact import previewed but not yet confirmed. Idempotent: each is added once (the
delivery while the issue has none, the import while no import of its file exists), and once
staff have dealt with it, it stays dealt with. Refuses production settings."""

from django.db import transaction
from django.utils import timezone

from qcommunity.accounts.models import User
from qcommunity.core.demo import refuse_in_production

from ..imports.models import ImportBatch
from ..imports.services import import_batch_create
from ..issues.enums import DeliveryStatus, IssueStatus
from ..issues.models import Delivery, Issue
from ..sending.services import delivery_mark_failed
from ..subscriptions.enums import ConsentMethod, LawfulBasis, SubscriptionStatus
from ..subscriptions.models import ConsentRecord, Contact, Newsletter, Subscription
from ..subscriptions.services import CONSENT_WORDING, address_mark_bounced

BOUNCED_EMAIL = "dev.anand@closed-practice.demo.q.example"
BOUNCE_REASON = (
    "bounced: postmark: The server was unable to deliver your message "
    "(550 5.1.1 mailbox unavailable)"
)
IMPORT_FILENAME = "quality-mark-open-day-sign-ups.csv"
IMPORT_CSV = (
    b"email,name,organisation,interests\n"
    b"aoife.brennock@demo.q.example,Aoife Brennock,Lunebank Council,Self-management courses\n"
    b"samir.kettle@demo.q.example,Samir Kettle,Fenmoor Hospitals NHS Trust,Quality Mark\n"
    b"not-an-address,Jo Pell,Avonbury Patient Voice,\n"
)


def _bounced_delivery(newsletter: Newsletter, issue: Issue) -> None:
    """A subscriber of `newsletter` whose copy of `issue` was sent, then bounced."""
    sent_at = issue.sent_at or timezone.now()
    contact, _ = Contact.objects.get_or_create(
        email=BOUNCED_EMAIL,
        defaults={"name": "Dev Anand", "organisation": "Marsh Lane Surgery", "created_at": sent_at},
    )
    subscription, created = Subscription.objects.get_or_create(
        contact=contact,
        newsletter=newsletter,
        defaults={
            "status": SubscriptionStatus.CONFIRMED,
            "created_at": sent_at,
            "status_changed_at": sent_at,
            "confirmed_at": sent_at,
        },
    )
    if created:
        ConsentRecord.objects.create(
            subscription=subscription,
            wording=CONSENT_WORDING,
            method=ConsentMethod.DOUBLE_OPT_IN,
            lawful_basis=LawfulBasis.CONSENT,
            source="/newsletter/",
            recorded_at=sent_at,
        )
    delivery = Delivery.objects.create(
        issue=issue,
        contact=contact,
        email=contact.email,
        status=DeliveryStatus.SENT,
        created_at=sent_at,
        sent_at=sent_at,
    )
    address_mark_bounced(email=contact.email, detail=BOUNCE_REASON)
    delivery_mark_failed(delivery=delivery, reason=BOUNCE_REASON)


@transaction.atomic
def seed_newsletter_waiting() -> int:
    """Add what is missing; returns how many things were added (0 to 2). Needs the demo
    newsletters, issues and accounts first."""
    refuse_in_production()
    added = 0
    newsletter = Newsletter.objects.filter(slug="community").first()
    issue = (
        Issue.objects.filter(newsletter=newsletter, status=IssueStatus.SENT)
        .order_by("-sent_at")
        .first()
    )
    if issue is not None and not Delivery.objects.filter(issue=issue).exists():
        _bounced_delivery(newsletter, issue)
        added += 1
    if newsletter is not None and not ImportBatch.objects.filter(filename=IMPORT_FILENAME).exists():
        import_batch_create(
            actor=User.objects.filter(email="admin@demo.q.example").first(),
            filename=IMPORT_FILENAME,
            data=IMPORT_CSV,
            newsletters=[newsletter],
            lawful_basis=LawfulBasis.LEGITIMATE_INTERESTS,
            note="People who signed up at the Quality Mark open day and asked for news.",
        )
        added += 1
    return added
