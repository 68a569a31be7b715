"""CSV import: checking the file, the preview (nothing written), applying it once, and
suppressed addresses never re-subscribed."""

import pytest

from qcommunity.audit.models import AuditEntry
from qcommunity.newsletters.enums import (
    ConsentMethod,
    ImportStatus,
    LawfulBasis,
    SubscriptionStatus,
)
from qcommunity.newsletters.imports import (
    ImportAlreadyAppliedError,
    ImportFileError,
    import_batch_apply,
    import_batch_create,
    read_csv,
)
from qcommunity.newsletters.models import ConsentRecord, Contact, Subscription
from qcommunity.newsletters.services import (
    address_mark_complained,
    subscription_unsubscribe,
    suppression_add,
)
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import ContactFactory, SubscriptionFactory, community, quality_mark

pytestmark = pytest.mark.django_db

GOOD = (
    "email,name,organisation,interests\n"
    "new@example.org,New Person,Health Board,patient safety\n"
    "not-an-address,Broken,,\n"
    "NEW@example.org,Duplicate,,\n"
    "existing@example.org,Existing Renamed,New Org,\n"
    "\n"
    "left@example.org,Left Us,,\n"
)


def editor():
    from qcommunity.accounts.enums import Role

    return UserFactory(email="editor@example.org", roles=[Role.EDITOR])


def create(data: str | bytes, newsletters=None, basis=LawfulBasis.LEGITIMATE_INTERESTS, actor=None):
    return import_batch_create(
        actor=actor or editor(),
        filename="contacts.csv",
        data=data.encode() if isinstance(data, str) else data,
        newsletters=newsletters or [community()],
        lawful_basis=basis,
        note="Attendees of the 2026 regional events who asked for updates.",
    )


def test_read_csv_reports_bad_and_duplicate_rows_with_row_numbers():
    parsed = read_csv(GOOD.encode())
    assert [r.email for r in parsed.rows] == [
        "new@example.org",
        "existing@example.org",
        "left@example.org",
    ]
    assert parsed.rejected == [
        {"row": 3, "email": "not-an-address", "reason": "Not a valid email address."},
        {"row": 4, "email": "NEW@example.org", "reason": "Duplicate of row 2 in this file."},
    ]


def test_read_csv_accepts_a_byte_order_mark_and_any_column_order():
    parsed = read_csv("\ufeffName,Email\nAda,ada@example.org\n".encode())
    assert (parsed.rows[0].email, parsed.rows[0].name) == ("ada@example.org", "Ada")


def test_read_csv_reports_a_row_with_the_wrong_number_of_values():
    parsed = read_csv(b"email,name\nada@example.org,Ada,extra\nbob@example.org\n")
    assert parsed.rows == []
    assert [r["reason"] for r in parsed.rejected] == [
        "The row has 3 values; the header has 2.",
        "The row has 1 values; the header has 2.",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"address,name\nada@example.org,Ada\n", "The first row must name the columns"),
        (b"email,phone\nada@example.org,1\n", "Unknown columns: phone"),
        ("email\nzoë@example.org\n".encode("latin-1"), "CSV UTF-8"),
        (b"PK\x03\x04\x00\x00", "must be a CSV file"),
        (b"email\n" + b"a" * (2 * 1024 * 1024), "smaller than 2MB"),
    ],
)
def test_read_csv_refuses_files_it_cannot_read(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_csv(data)


def test_preview_lists_every_change_and_writes_nothing_else():
    existing = ContactFactory(email="existing@example.org", name="Existing", organisation="")
    left = SubscriptionFactory(contact__email="left@example.org")
    subscription_unsubscribe(subscription=left, source="test")
    contacts_before = Contact.objects.count()
    batch = create(GOOD)
    preview = batch.preview
    assert [c["email"] for c in preview["new_contacts"]] == ["new@example.org"]
    assert preview["updated_contacts"] == [
        {
            "row": 5,
            "email": "existing@example.org",
            "changes": {"name": ["Existing", "Existing Renamed"], "organisation": ["", "New Org"]},
        }
    ]
    assert [(s["row"], s["email"]) for s in preview["subscriptions"]] == [
        (2, "new@example.org"),
        (5, "existing@example.org"),
    ]
    assert [(r["row"], r["reason"]) for r in preview["rejected"]] == [
        (3, "Not a valid email address."),
        (4, "Duplicate of row 2 in this file."),
        (7, "Suppressed or unsubscribed from Q community newsletter: needs fresh confirmation."),
    ]
    assert Contact.objects.count() == contacts_before
    existing.refresh_from_db()
    assert existing.name == "Existing"
    assert batch.status == ImportStatus.PREVIEW


def test_apply_creates_confirmed_subscriptions_with_consent_records_and_audit():
    ContactFactory(email="existing@example.org", name="Existing")
    actor = editor()
    batch = create(GOOD, actor=actor)
    import_batch_apply(batch=batch, actor=actor)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert batch.result["contacts_created"] == 2  # new@ and left@ (left@ never subscribed here)
    assert batch.result["subscriptions"] == 3
    assert len(batch.result["rejected"]) == 2
    subscription = Subscription.objects.get(contact__email="new@example.org")
    assert subscription.status == SubscriptionStatus.CONFIRMED
    consent = subscription.consents.get()
    assert consent.method == ConsentMethod.STAFF_IMPORT
    assert consent.lawful_basis == LawfulBasis.LEGITIMATE_INTERESTS
    assert consent.source == f"import #{batch.pk} by editor@example.org"
    assert "Attendees of the 2026 regional events" in consent.wording
    assert Contact.objects.get(email="existing@example.org").name == "Existing Renamed"
    entry = AuditEntry.objects.get(action="newsletter.import")
    assert entry.data["subscriptions"] == 3
    assert entry.data["rejected"] == 2


def test_apply_twice_changes_nothing_the_second_time():
    actor = editor()
    batch = create("email\nada@example.org\n", actor=actor)
    import_batch_apply(batch=batch, actor=actor)
    with pytest.raises(ImportAlreadyAppliedError):
        import_batch_apply(batch=batch, actor=actor)
    assert ConsentRecord.objects.count() == 1


@pytest.mark.parametrize("how", ["unsubscribed", "complained", "bounced", "staff"])
def test_suppressed_address_is_never_reimported(how):
    subscription = SubscriptionFactory(contact__email="gone@example.org")
    if how == "unsubscribed":
        subscription_unsubscribe(subscription=subscription, source="test")
    elif how == "complained":
        address_mark_complained(email="gone@example.org")
    else:
        suppression_add(email="gone@example.org", reason=how, newsletter=None)
    Contact.objects.all().delete()  # the suppression outlives the contact
    actor = editor()
    batch = create("email,name\nGONE@example.org,Gone\n", actor=actor)
    assert batch.preview["subscriptions"] == []
    assert batch.preview["rejected"][0]["reason"].endswith("needs fresh confirmation.")
    import_batch_apply(batch=batch, actor=actor)
    assert not Subscription.objects.exists()


def test_address_suppressed_between_preview_and_apply_is_reported_not_subscribed():
    actor = editor()
    batch = create("email\nlate@example.org\n", actor=actor)
    suppression_add(email="late@example.org", reason="complained", newsletter=None)
    import_batch_apply(batch=batch, actor=actor)
    batch.refresh_from_db()
    assert batch.result["subscriptions"] == 0
    assert batch.result["rejected"][0]["email"] == "late@example.org"
    assert not Subscription.objects.exists()


def test_suppressed_for_one_newsletter_is_still_added_to_the_other():
    left = SubscriptionFactory(contact__email="half@example.org")
    subscription_unsubscribe(subscription=left, source="test")
    actor = editor()
    batch = create(
        "email\nhalf@example.org\n", newsletters=[community(), quality_mark()], actor=actor
    )
    assert [s["newsletter"] for s in batch.preview["subscriptions"]] == ["Quality Mark news"]
    import_batch_apply(batch=batch, actor=actor)
    statuses = dict(
        Subscription.objects.filter(contact__email="half@example.org").values_list(
            "newsletter__slug", "status"
        )
    )
    assert statuses == {"community": "unsubscribed", "quality-mark": "confirmed"}


def test_existing_pending_subscription_is_confirmed_by_import():
    SubscriptionFactory(contact__email="pending@example.org", status=SubscriptionStatus.PENDING)
    actor = editor()
    batch = create("email\npending@example.org\n", actor=actor)
    assert batch.preview["subscriptions"][0]["was"] == "pending"
    import_batch_apply(batch=batch, actor=actor)
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED
