"""Newsletters in a person's data: the download, and what deleting the account does to their
subscriptions, consent, deliveries and showcase work."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.newsletters.imports.services import import_batch_apply, import_batch_create
from qcommunity.newsletters.issues.enums import DeliveryStatus, IssueStatus, SectionKind
from qcommunity.newsletters.issues.models import Delivery, IssueSection
from qcommunity.newsletters.issues.personal_data import showcase_export, subscriptions_export
from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from qcommunity.newsletters.showcase.models import ShowcaseItem
from qcommunity.newsletters.subscriptions.enums import (
    ConsentMethod,
    LawfulBasis,
    SubscriptionStatus,
    SuppressionReason,
)
from qcommunity.newsletters.subscriptions.models import (
    ConsentRecord,
    Contact,
    SubscribeRequest,
    Subscription,
    Suppression,
)
from qcommunity.newsletters.subscriptions.services import subscribe_request, suppressions_for
from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from qcommunity.privacy.services import account_delete, personal_data_export
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import (
    ContactFactory,
    IssueFactory,
    NewsletterFactory,
    ShowcaseItemFactory,
    SubscriptionFactory,
    community,
    editor_user,
    png_bytes,
    quality_mark,
)
from tests.factories.outbox import OutboxEmailFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

WORDING = "I agree to Q Community emailing me the newsletters I have ticked."


def section(data: dict, key: str) -> list[dict]:
    return next(s["records"] for s in data["sections"] if s["key"] == key)


def subscribed(member, name="Asha Patel", organisation="Leeds Teaching Hospitals"):
    """The member subscribes to the community newsletter with their own verified address
    (confirmed at once, consent recorded), and asks for Quality Mark news from a second address
    they have not confirmed yet (pending)."""
    subscribe_request(
        email=member.email,
        name=name,
        organisation=organisation,
        newsletters=[community()],
        wording=WORDING,
        source="/newsletter/",
        actor=member,
    )
    contact = Contact.objects.get(user=member)
    contact.interests = "patient safety"
    contact.save(update_fields=["interests"])
    pending = Subscription.objects.create(
        contact=contact, newsletter=quality_mark(), status=SubscriptionStatus.PENDING
    )
    SubscribeRequest.objects.create(
        contact=contact, subscription_ids=[pending.pk], wording=WORDING, source="/newsletter/"
    )
    return contact


def test_the_download_holds_the_contact_its_subscriptions_and_consent(member):
    subscribed(member)
    someone_else = SubscriptionFactory(contact__email="other@example.org")
    (record,) = section(personal_data_export(user=member), "newsletters.subscriptions")
    assert record["email"] == member.email
    assert (record["name"], record["organisation"], record["interests"]) == (
        "Asha Patel",
        "Leeds Teaching Hospitals",
        "patient safety",
    )
    by_newsletter = {s["newsletter"]: s for s in record["subscriptions"]}
    community_sub = by_newsletter[community().name]
    assert community_sub["status"] == "Subscribed"
    assert community_sub["confirmed_at"] is not None
    (consent,) = community_sub["consent"]
    assert consent["wording"] == WORDING
    assert consent["how"] == "Chosen in account settings"
    assert consent["lawful_basis"] == "Consent"
    assert consent["where"] == "/newsletter/"
    assert by_newsletter[quality_mark().name]["status"] == "Waiting for confirmation"
    assert someone_else.contact.email not in str(record)


def test_a_contact_held_under_a_verified_address_of_the_account_is_in_the_download(member):
    ContactFactory(email=member.email.upper(), name="From an import")
    ContactFactory(email="stranger@example.org")
    records = section(personal_data_export(user=member), "newsletters.subscriptions")
    assert [r["name"] for r in records] == ["From an import"]


def test_a_contact_under_an_unverified_address_is_not_in_the_download():
    person = UserFactory(verified=False)
    ContactFactory(email=person.email)
    assert subscriptions_export(person) == []


def test_the_subscriptions_download_takes_the_same_queries_for_one_or_many(member):
    contact = subscribed(member)

    def add(n):
        for _ in range(n):
            subscription = SubscriptionFactory(contact=contact, newsletter=NewsletterFactory())
            ConsentRecord.objects.create(
                subscription=subscription,
                wording=WORDING,
                method=ConsentMethod.STAFF_IMPORT,
                lawful_basis=LawfulBasis.LEGITIMATE_INTERESTS,
                source="import",
            )

    assert_constant_queries(lambda: subscriptions_export(member), add, many=5)


def _sent_and_queued_deliveries(contact):
    sent_issue = IssueFactory(newsletter=community(), status=IssueStatus.SENT)
    sent_email = OutboxEmailFactory(
        kind="newsletter_issue",
        recipient=contact.email,
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
        mime=b"From: Q\r\nTo: someone\r\n\r\nHello Asha",
        headers={"List-Unsubscribe": "<https://q.example/unsubscribe/token>"},
    )
    sent = Delivery.objects.create(
        issue=sent_issue,
        contact=contact,
        email=contact.email,
        status=DeliveryStatus.SENT,
        outbox_email=sent_email,
        sent_at=timezone.now(),
    )
    sending_issue = IssueFactory(newsletter=community(), status=IssueStatus.SENDING)
    queued_email = OutboxEmailFactory(kind="newsletter_issue", recipient=contact.email)
    queued = Delivery.objects.create(
        issue=sending_issue, contact=contact, email=contact.email, outbox_email=queued_email
    )
    return sent, queued


def test_deleting_unsubscribes_suppresses_and_keeps_the_consent_without_the_details(member):
    contact = subscribed(member)
    address = member.email
    sent, queued = _sent_and_queued_deliveries(contact)
    other = SubscriptionFactory(contact__email="other@example.org", contact__name="Other Person")

    account_delete(user=member)

    assert set(Subscription.objects.filter(contact=contact).values_list("status", flat=True)) == {
        SubscriptionStatus.UNSUBSCRIBED
    }
    # Each ended through the workflow, with an audit row saying why (not a bare update).
    ended = AuditEntry.objects.filter(
        action="newsletter.subscription.status",
        target_id__in=[str(pk) for pk in contact.subscriptions.values_list("pk", flat=True)],
        data__to=SubscriptionStatus.UNSUBSCRIBED,
        data__reason="The account was deleted",
    )
    assert ended.count() == contact.subscriptions.count() >= 1
    suppression = Suppression.objects.get(email__iexact=address)
    assert (suppression.reason, suppression.newsletter) == (
        SuppressionReason.ACCOUNT_DELETED,
        None,
    )
    assert suppressions_for(address, quality_mark()).exists()
    contact.refresh_from_db()
    assert contact.email == f"deleted-contact-{contact.pk}@deleted.invalid"
    assert (contact.name, contact.organisation, contact.interests) == ("", "", "")
    consent = ConsentRecord.objects.get(subscription__contact=contact)
    assert consent.wording == WORDING
    assert not SubscribeRequest.objects.filter(contact=contact).exists()
    # Deliveries stay for the counts, without the address; the one still waiting is not sent.
    sent.refresh_from_db()
    queued.refresh_from_db()
    assert (sent.status, sent.email) == (DeliveryStatus.SENT, "")
    assert (queued.status, queued.email, queued.outbox_email) == (
        DeliveryStatus.SUPPRESSED,
        "",
        None,
    )
    assert AuditEntry.objects.filter(
        action="newsletter_delivery.suppress", target_id=str(queued.pk)
    ).values_list("data", flat=True).get() == {
        "from": "queued",
        "to": "suppressed",
        "reason": "The account was deleted",
    }
    # Only the last email, saying the account was deleted, is still addressed to them.
    assert (
        not OutboxEmail.objects.filter(recipient=address).exclude(kind="account_deleted").exists()
    )
    # Someone else's subscription is untouched.
    other.refresh_from_db()
    assert other.status == SubscriptionStatus.CONFIRMED
    assert other.contact.name == "Other Person"


def test_the_contact_page_shows_the_consent_but_not_who_gave_it(member):
    contact = subscribed(member)
    address, name = member.email, member.full_name
    account_delete(user=member)
    client = Client()
    client.force_login(editor_user())
    url = reverse("newsletters-staff:contact-detail", args=[contact.pk])
    html = client.get(url).content.decode()
    assert WORDING in html
    assert "deleted.invalid" in html
    for gone in (address, name, "Asha Patel", "Leeds Teaching Hospitals", "patient safety"):
        assert gone not in html


def test_an_import_never_subscribes_the_deleted_account_address_again(member):
    address = member.email
    account_delete(user=member)
    actor = editor_user()
    batch = import_batch_create(
        actor=actor,
        filename="contacts.csv",
        data=f"email,name\n{address.upper()},Came Back\n".encode(),
        newsletters=[community()],
        lawful_basis=LawfulBasis.LEGITIMATE_INTERESTS,
        note="Event sign-ups.",
    )
    assert batch.preview["subscriptions"] == []
    assert batch.preview["rejected"][0]["email"].lower() == address.lower()
    import_batch_apply(batch=batch, actor=actor)
    assert not Subscription.objects.filter(contact__email__iexact=address).exists()


def test_deleting_suppresses_the_address_even_without_a_contact(member):
    address = member.email
    account_delete(user=member)
    assert Suppression.objects.filter(
        email__iexact=address, reason=SuppressionReason.ACCOUNT_DELETED
    ).exists()


# Showcase ----------------------------------------------------------------------------------------


def _showcase(member):
    """Work in three states: waiting for review (with an image), approved and placed in a draft
    issue, and approved and sent in an issue."""
    waiting = ShowcaseItemFactory(
        submitted_by=member,
        title="Waiting for review",
        image=ContentFile(png_bytes(), name="waiting.png"),
        image_alt="A chart",
    )
    in_draft = ShowcaseItemFactory(
        submitted_by=member, title="In a draft issue", status=ShowcaseStatus.APPROVED
    )
    draft = IssueFactory(newsletter=community())
    IssueSection.objects.create(issue=draft, position=1, kind=SectionKind.TEXT, body="Hello")
    IssueSection.objects.create(
        issue=draft, position=2, kind=SectionKind.SHOWCASE, showcase_item=in_draft
    )
    IssueSection.objects.create(issue=draft, position=3, kind=SectionKind.TEXT, body="Bye")
    published = ShowcaseItemFactory(
        submitted_by=member,
        title="Fewer falls on ward 9",
        status=ShowcaseStatus.APPROVED,
        image=ContentFile(png_bytes(), name="published.png"),
        image_alt="Falls chart",
    )
    sent_issue = IssueFactory(
        newsletter=community(), status=IssueStatus.SENT, sent_at=timezone.now()
    )
    IssueSection.objects.create(
        issue=sent_issue, position=1, kind=SectionKind.SHOWCASE, showcase_item=published
    )
    return waiting, in_draft, draft, published, sent_issue


def test_the_download_lists_showcase_work_and_where_it_was_sent(member):
    waiting, _, _, _, sent_issue = _showcase(member)
    ShowcaseItemFactory(title="Someone else's work")
    records = section(personal_data_export(user=member), "newsletters.showcase")
    assert [r["title"] for r in records] == [
        "Waiting for review",
        "In a draft issue",
        "Fewer falls on ward 9",
    ]
    assert records[0]["status"] == "Waiting for review"
    assert records[0]["image"].endswith(f"/newsletter/archive/showcase/{waiting.pk}/image/")
    assert records[0]["image_description"] == "A chart"
    assert records[1]["in_newsletter_issues"] == []  # a draft is not sent
    assert records[2]["in_newsletter_issues"] == [sent_issue.title]


def test_the_showcase_download_takes_the_same_queries_for_one_or_many(member):
    def add(n):
        for _ in range(n):
            item = ShowcaseItemFactory(submitted_by=member, status=ShowcaseStatus.APPROVED)
            issue = IssueFactory(newsletter=community(), status=IssueStatus.SENT)
            IssueSection.objects.create(
                issue=issue, position=1, kind=SectionKind.SHOWCASE, showcase_item=item
            )

    add(1)
    assert_constant_queries(lambda: showcase_export(member), add, many=5)


def test_deleting_removes_unsent_work_and_unlinks_work_already_sent(
    member, django_capture_on_commit_callbacks
):
    # A name found nowhere else on the pages (a random one, such as "Dr" from "Dr Ann Lee",
    # can stand in the page for other reasons and fail the checks below by chance).
    member.full_name, member.preferred_name = "Zebedee Quillfeather", "Zebedee"
    member.save(update_fields=["full_name", "preferred_name"])
    waiting, in_draft, draft, published, sent_issue = _showcase(member)
    waiting_file, published_file = waiting.image.name, published.image.name
    name = member.display_name
    assert default_storage.exists(waiting_file)

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=member)

    assert not ShowcaseItem.objects.filter(pk__in=[waiting.pk, in_draft.pk]).exists()
    assert not default_storage.exists(waiting_file)
    assert list(draft.sections.order_by("position").values_list("body", flat=True)) == [
        "Hello",
        "Bye",
    ]
    published.refresh_from_db()
    assert published.submitted_by is None
    assert default_storage.exists(published_file)
    # The archive still shows the work as it went out; the editors' page no longer names them.
    archive = reverse(
        "newsletters:issue-detail", args=[sent_issue.newsletter.slug, sent_issue.slug]
    )
    html = Client().get(archive).content.decode()
    assert "Fewer falls on ward 9" in html
    assert name not in html
    client = Client()
    client.force_login(editor_user())
    review = client.get(reverse("newsletters-staff:showcase-review", args=[published.pk]))
    html = review.content.decode()
    assert "a former member" in html
    assert name not in html
    default_storage.delete(published_file)


def test_deleting_leaves_other_members_showcase_work_alone(member):
    theirs = ShowcaseItemFactory(submitted_by=UserFactory(roles=[Role.MEMBER]))
    account_delete(user=member)
    theirs.refresh_from_db()
    assert theirs.submitted_by is not None
