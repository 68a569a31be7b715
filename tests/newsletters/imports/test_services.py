"""CSV import: checking the file, the preview (nothing written), applying it once, and
suppressed addresses never re-subscribed."""

import pytest

from qcommunity.audit.models import AuditEntry
from qcommunity.newsletters.imports.enums import ImportStatus
from qcommunity.newsletters.imports.services import (
    ImportAlreadyAppliedError,
    ImportFileError,
    import_batch_apply,
    import_batch_create,
    read_csv,
)
from qcommunity.newsletters.subscriptions.enums import (
    ConsentMethod,
    LawfulBasis,
    SubscriptionStatus,
    SuppressionReason,
)
from qcommunity.newsletters.subscriptions.models import (
    ConsentRecord,
    Contact,
    Subscription,
    Suppression,
)
from qcommunity.newsletters.subscriptions.services import (
    address_mark_complained,
    subscription_unsubscribe,
    suppression_add,
)
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import ContactFactory, SubscriptionFactory, community, quality_mark
from tests.querycount import count_queries

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


def test_apply_uses_the_contacts_as_they_are_when_applied():
    """A contact made since the preview only has its empty details filled in; one deleted since
    the preview is made again with the details the preview changed (all it holds)."""
    ContactFactory(email="gone@example.org", name="Old name", organisation="Old Org")
    actor = editor()
    batch = create(
        "email,name,organisation\nappeared@example.org,New Name,New Org\n"
        "gone@example.org,Gone Renamed,Old Org\n",
        actor=actor,
    )
    ContactFactory(email="Appeared@example.org", name="Kept", organisation="")
    Contact.objects.filter(email="gone@example.org").delete()
    import_batch_apply(batch=batch, actor=actor)
    batch.refresh_from_db()
    assert (batch.result["contacts_created"], batch.result["contacts_updated"]) == (1, 0)
    assert batch.result["subscriptions"] == 2
    details = {
        email: (name, organisation)
        for email, name, organisation in Contact.objects.values_list(
            "email", "name", "organisation"
        )
    }
    assert details == {
        "Appeared@example.org": ("Kept", "New Org"),
        "gone@example.org": ("Gone Renamed", ""),
    }


# Applying many rows: a fixed number of queries ----------------------------------------------------


def csv_of(addresses) -> str:
    return "email,name,organisation\n" + "".join(
        f"{address},Person {address.split('@')[0]},Trust\n" for address in addresses
    )


def apply_queries(batch, actor) -> int:
    count, _ = count_queries(lambda: import_batch_apply(batch=batch, actor=actor))
    return count


def test_apply_takes_the_same_number_of_queries_for_1_row_and_200_rows():
    actor = editor()
    import_batch_apply(batch=create(csv_of(["warm@example.org"]), actor=actor), actor=actor)
    one = create(csv_of(["one@example.org"]), actor=actor)
    many = create(csv_of(f"many{i}@example.org" for i in range(200)), actor=actor)
    assert apply_queries(one, actor) == apply_queries(many, actor)
    assert Subscription.objects.filter(status=SubscriptionStatus.CONFIRMED).count() == 202
    assert ConsentRecord.objects.count() == 202


def mixed_import(actor, prefix: str, n: int):
    """An import of 5n rows: n each of a new address, a contact with details to change, a
    pending subscription to confirm, a subscription already confirmed and an address suppressed
    between the preview and the apply."""
    kinds = ("new", "changed", "pending", "confirmed", "late")
    addresses = {kind: [f"{prefix}-{kind}{i}@example.org" for i in range(n)] for kind in kinds}
    Contact.objects.bulk_create(Contact(email=a, name="") for a in addresses["changed"])
    for kind, status in (
        ("pending", SubscriptionStatus.PENDING),
        ("confirmed", SubscriptionStatus.CONFIRMED),
    ):
        for address in addresses[kind]:
            SubscriptionFactory(
                contact__email=address,
                contact__name=f"Person {address.split('@')[0]}",
                contact__organisation="Trust",
                status=status,
            )
    batch = create(csv_of(a for kind in kinds for a in addresses[kind]), actor=actor)
    Suppression.objects.bulk_create(
        Suppression(email=a, reason=SuppressionReason.COMPLAINED) for a in addresses["late"]
    )
    return batch


def test_apply_takes_the_same_number_of_queries_for_every_kind_of_row_few_or_many():
    actor = editor()
    import_batch_apply(batch=mixed_import(actor, "warm", 1), actor=actor)
    few = mixed_import(actor, "few", 1)
    many = mixed_import(actor, "many", 40)
    assert apply_queries(few, actor) == apply_queries(many, actor)
    many.refresh_from_db()
    assert many.result["contacts_created"] == 80  # new and late (a contact, never subscribed)
    assert many.result["contacts_updated"] == 40
    assert many.result["subscriptions"] == 120
    assert len(many.result["rejected"]) == 40


def test_apply_of_2000_rows_writes_exactly_what_the_preview_said():
    """2,000 rows: 1,000 new addresses, 500 contacts whose details change, 250 pending
    subscriptions, 150 suppressed addresses (rejected at preview), 100 already subscribed; then
    10 of the new addresses are suppressed between the preview and the apply."""
    new = [f"new{i}@example.org" for i in range(1000)]
    changed = [f"changed{i}@example.org" for i in range(500)]
    pending = [f"pending{i}@example.org" for i in range(250)]
    suppressed = [f"suppressed{i}@example.org" for i in range(150)]
    confirmed = [f"confirmed{i}@example.org" for i in range(100)]
    Contact.objects.bulk_create(
        Contact(email=a, name="", organisation="Old Trust") for a in changed
    )
    for address in pending:  # details as in the file: nothing to change
        SubscriptionFactory(
            contact__email=address,
            contact__name=f"Person {address.split('@')[0]}",
            contact__organisation="Trust",
            status=SubscriptionStatus.PENDING,
        )
    for address in confirmed:
        SubscriptionFactory(contact__email=address)
    Suppression.objects.bulk_create(
        Suppression(email=a.upper(), reason=SuppressionReason.BOUNCED) for a in suppressed
    )
    actor = editor()
    batch = create(csv_of([*new, *changed, *pending, *suppressed, *confirmed]), actor=actor)
    assert len(batch.preview["subscriptions"]) == 1750
    assert len(batch.preview["rejected"]) == 150
    Suppression.objects.bulk_create(
        Suppression(email=a, reason=SuppressionReason.UNSUBSCRIBED, newsletter=community())
        for a in new[:10]
    )

    import_batch_apply(batch=batch, actor=actor)

    batch.refresh_from_db()
    assert batch.result["contacts_created"] == 1000
    assert batch.result["contacts_updated"] == 500
    assert batch.result["subscriptions"] == 1740
    assert len(batch.result["rejected"]) == 160
    assert Contact.objects.count() == 1850
    assert Subscription.objects.count() == 1840
    assert Subscription.objects.filter(status=SubscriptionStatus.CONFIRMED).count() == 1840
    assert not Subscription.objects.filter(contact__email__in=new[:10]).exists()
    assert ConsentRecord.objects.count() == 1740
    assert set(ConsentRecord.objects.values_list("source", "method", "lawful_basis")) == {
        (f"import #{batch.pk} by editor@example.org", "staff_import", "legitimate_interests")
    }
    assert not ConsentRecord.objects.filter(subscription__contact__email__in=confirmed).exists()
    changes = AuditEntry.objects.filter(action="newsletter.subscription.status")
    assert changes.count() == 1740
    expected = {
        "from": "pending",
        "to": "confirmed",
        "reason": f"import #{batch.pk} by editor@example.org",
    }
    assert all(data == expected for data in changes.values_list("data", flat=True))
    one = changes.get(
        target_id=str(Subscription.objects.get(contact__email="new10@example.org").pk)
    )
    assert one.target_label == "new10@example.org on Q community newsletter (confirmed)"
    assert Contact.objects.get(email="new0@example.org").name == "Person new0"
    renamed = Contact.objects.get(email="changed7@example.org")
    assert (renamed.name, renamed.organisation) == ("Person changed7", "Trust")
    confirmed_at = Subscription.objects.get(contact__email="pending3@example.org").confirmed_at
    assert confirmed_at == batch.applied_at
