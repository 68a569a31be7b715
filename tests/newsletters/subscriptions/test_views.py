"""Public subscribe and confirm pages, and the staff pages for subscribers."""

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qcommunity.newsletters.imports.enums import ImportStatus
from qcommunity.newsletters.imports.models import ImportBatch
from qcommunity.newsletters.subscriptions import tokens
from qcommunity.newsletters.subscriptions.enums import SubscriptionStatus
from qcommunity.newsletters.subscriptions.models import ConsentRecord, Subscription
from qcommunity.newsletters.subscriptions.services import CONSENT_WORDING, suppression_add
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import (
    ContactFactory,
    SubscriptionFactory,
    community,
    editor_user,
    quality_mark,
)
from tests.html_checks import has_link
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

FORM = {
    "email": "ada@example.org",
    "name": "Ada Lovelace",
    "organisation": "",
    "newsletters": ["community", "quality-mark"],
}


@pytest.fixture
def editor(db):
    return editor_user()


def confirm_link(email: OutboxEmail) -> str:
    return re.search(r"http://[^/]+(/newsletter/confirm/\S+/)", email.body_text).group(1)


# Public pages -------------------------------------------------------------------------------


def test_subscribe_page_lists_public_newsletters_and_shows_the_consent_wording(client):
    body = client.get("/newsletter/").content.decode()
    assert "Subscribe to our newsletters" in body
    assert "Q community newsletter" in body
    assert "Quality Mark news" in body
    assert CONSENT_WORDING in body


def test_subscribe_then_confirm_through_the_emailed_link(client):
    response = client.post("/newsletter/", FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("newsletters:subscribe-sent")
    assert "Check your email" in client.get(response.headers["Location"]).content.decode()
    email = OutboxEmail.objects.get()
    link = confirm_link(email)
    # Fetching the link (a mail scanner) confirms nothing.
    page = client.get(link).content.decode()
    assert "Confirm your subscription" in page
    assert set(Subscription.objects.values_list("status", flat=True)) == {"pending"}
    done = client.post(link).content.decode()
    assert "You are subscribed" in done
    assert set(Subscription.objects.values_list("status", flat=True)) == {"confirmed"}
    assert ConsentRecord.objects.filter(source="http://127.0.0.1:8000/newsletter/").count() == 2
    # The link, used again, says so and changes nothing.
    assert "already been used" in client.get(link).content.decode()
    assert client.post(link).status_code == 302
    assert ConsentRecord.objects.count() == 2


def test_the_page_is_the_same_whether_or_not_the_address_was_subscribed(client):
    first = client.post("/newsletter/", FORM, follow=True).content.decode()
    Subscription.objects.update(status=SubscriptionStatus.CONFIRMED)
    second = client.post("/newsletter/", FORM, follow=True).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')
    assert strip.sub("", first) == strip.sub("", second)
    assert [e.kind for e in OutboxEmail.objects.order_by("id")] == [
        "newsletter_confirm",
        "newsletter_already_subscribed",
    ]


def test_subscribe_form_errors(client):
    response = client.post("/newsletter/", {"email": "not-an-email", "name": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in body
    assert "Enter your name" in body
    assert "Select at least one newsletter" in body
    assert not OutboxEmail.objects.exists()


def test_subscribe_form_is_rate_limited_per_address(client):
    for _ in range(3):
        client.post("/newsletter/", FORM)
    response = client.post("/newsletter/", FORM)
    assert response.status_code == 429
    assert "You can ask to subscribe up to 3 times" in response.content.decode()
    assert OutboxEmail.objects.count() == 3


def test_signed_in_user_with_their_verified_address_is_subscribed_at_once(client):
    user = UserFactory(email="ada@example.org")
    client.force_login(user)
    response = client.post("/newsletter/", FORM)
    assert response.status_code == 200
    assert "You are subscribed" in response.content.decode()
    assert not OutboxEmail.objects.exists()


def test_private_newsletter_is_not_offered(client):
    quality_mark().__class__.objects.filter(slug="quality-mark").update(is_public=False)
    body = client.get("/newsletter/").content.decode()
    assert "Quality Mark news" not in body
    response = client.post("/newsletter/", {**FORM, "newsletters": ["quality-mark"]})
    assert "Select a newsletter from the list" in response.content.decode()


def test_a_tampered_confirm_link_says_so_and_how_to_get_a_new_one(client):
    subscription = SubscriptionFactory(status=SubscriptionStatus.PENDING)
    token = tokens.confirm_token(subscription)
    for path in ("/newsletter/confirm/nonsense/", f"/newsletter/confirm/{token[:-3]}xyz/"):
        for response in (client.get(path), client.post(path)):
            assert response.status_code == 400
            body = response.content.decode()
            assert "This confirmation link does not work" in body
            assert "Copy the whole link from the email" in body
            assert has_link(response, "Subscribe again", reverse("newsletters:subscribe"))
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PENDING


def test_an_expired_confirm_link_says_it_expired_and_confirms_nothing(client, monkeypatch):
    subscription = SubscriptionFactory(status=SubscriptionStatus.PENDING)
    eight_days_ago = time.time() - 8 * 24 * 60 * 60
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: eight_days_ago)
        token = tokens.confirm_token(subscription)
    path = reverse("newsletters:confirm", kwargs={"token": token})
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        body = response.content.decode()
        assert "This confirmation link has expired" in body
        assert "Confirmation links work for 7 days" in body
        assert has_link(response, "Subscribe again", reverse("newsletters:subscribe"))
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PENDING


def test_a_confirm_link_of_a_removed_subscription_says_it_no_longer_works(client):
    subscription = SubscriptionFactory(status=SubscriptionStatus.PENDING)
    path = reverse("newsletters:confirm", kwargs={"token": tokens.confirm_token(subscription)})
    Subscription.objects.all().delete()
    response = client.get(path)
    assert response.status_code == 410
    assert "This confirmation link no longer works" in response.content.decode()


# Staff pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/staff/newsletters/", "/staff/newsletters/contacts/"])
def test_members_cannot_see_staff_pages(client, member, path):
    client.force_login(member)
    assert client.get(path).status_code == 404


def test_newsletter_list_counts_each_status(client, editor):
    SubscriptionFactory.create_batch(3)
    SubscriptionFactory(status=SubscriptionStatus.UNSUBSCRIBED)
    SubscriptionFactory(newsletter=quality_mark(), status=SubscriptionStatus.PENDING)
    client.force_login(editor)
    response = client.get("/staff/newsletters/")
    assert response.status_code == 200
    cells = re.findall(r"<tr.*?</tr>", response.content.decode(), re.S)
    counts = {
        name: re.findall(r'nhsuk-table__cell--numeric"\s*>\s*(\d+)', row)
        for row in cells
        for name in ("Q community newsletter", "Quality Mark news")
        if name in row
    }
    # Columns: waiting, subscribed, unsubscribed, bounced, complained.
    assert counts == {
        "Q community newsletter": ["0", "3", "1", "0", "0"],
        "Quality Mark news": ["1", "0", "0", "0", "0"],
    }


def test_contact_list_searches_and_filters(client, editor):
    ada = SubscriptionFactory(contact__email="ada@example.org", contact__name="Ada Lovelace")
    SubscriptionFactory(contact__email="bob@example.org", contact__organisation="Babbage Ltd")
    SubscriptionFactory(
        contact=ada.contact, newsletter=quality_mark(), status=SubscriptionStatus.BOUNCED
    )
    client.force_login(editor)

    def emails(query):
        body = client.get(f"/staff/newsletters/contacts/?{query}").content.decode()
        return re.findall(r'/staff/newsletters/contacts/\d+/">([^<]+)</a>', body)

    assert emails("q=lovelace") == ["ada@example.org"]
    assert emails("q=babbage") == ["bob@example.org"]
    assert emails("status=bounced") == ["ada@example.org"]
    qm = quality_mark().pk
    assert emails(f"newsletter={qm}&status=confirmed") == []
    assert emails(f"newsletter={community().pk}&status=confirmed") == [
        "ada@example.org",
        "bob@example.org",
    ]


def test_contact_list_query_count_is_constant(client, editor):
    SubscriptionFactory()
    client.force_login(editor)

    def add(n):
        for _ in range(n):
            contact = ContactFactory()
            SubscriptionFactory(contact=contact)
            SubscriptionFactory(contact=contact, newsletter=quality_mark())

    assert_constant_queries(lambda: client.get("/staff/newsletters/contacts/"), add)


def test_suppression_list_query_count_is_constant(client, editor):
    suppression_add(email="one@example.org", reason="bounced", newsletter=None)
    client.force_login(editor)

    def add(n):
        for i in range(n):
            suppression_add(
                email=f"s{i}@example.org", reason="unsubscribed", newsletter=community()
            )

    assert_constant_queries(lambda: client.get("/staff/newsletters/suppressions/"), add)


def test_newsletter_list_query_count_is_constant(client, editor):
    client.force_login(editor)
    assert_constant_queries(
        lambda: client.get("/staff/newsletters/"), SubscriptionFactory.create_batch
    )


def test_contact_page_shows_subscriptions_and_consent_history(client, editor):
    client.post("/newsletter/", FORM)
    client.post(confirm_link(OutboxEmail.objects.get()))
    contact = Subscription.objects.first().contact
    suppression_add(email="ADA@example.org", reason="staff", newsletter=None, detail="Asked us")
    client.force_login(editor)
    body = client.get(f"/staff/newsletters/contacts/{contact.pk}/").content.decode()
    assert "Consent history for Q community newsletter" in body
    assert "Confirmed by email (double opt-in)" in body
    assert CONSENT_WORDING in body
    assert "Suppressed by staff, every newsletter" in body
    assert client.get("/staff/newsletters/contacts/999999/").status_code == 404


def upload(client, content: bytes, name="contacts.csv", basis="legitimate_interests"):
    return client.post(
        "/staff/newsletters/import/",
        {
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
            "newsletters": [community().pk],
            "lawful_basis": basis,
            "note": "Delegates at the spring event",
        },
    )


def test_import_upload_preview_confirm_and_result(client, editor):
    client.force_login(editor)
    response = upload(client, b"email,name\nada@example.org,Ada\nbroken,Bad\n")
    batch = ImportBatch.objects.get()
    assert response.headers["Location"] == f"/staff/newsletters/import/{batch.pk}/"
    preview = client.get(response.headers["Location"]).content.decode()
    assert "Nothing has been saved yet." in preview
    assert "Not a valid email address." in preview
    assert not Subscription.objects.exists()
    response = client.post(f"/staff/newsletters/import/{batch.pk}/")
    assert response.headers["Location"] == f"/staff/newsletters/import/{batch.pk}/result/"
    result = client.get(response.headers["Location"]).content.decode()
    assert "1 subscription added" in result
    assert "1 new contact<" in result
    assert "1 row not imported" in result
    assert "Not a valid email address." in result
    # A second click of confirm changes nothing.
    client.post(f"/staff/newsletters/import/{batch.pk}/")
    assert Subscription.objects.count() == 1
    # The preview of an applied import goes to its result.
    assert client.get(f"/staff/newsletters/import/{batch.pk}/").status_code == 302


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (0, ["0 subscriptions added", "0 new contacts", "0 rows not imported"]),
        (1, ["1 subscription added", "1 new contact<", "1 row not imported"]),
        (2, ["2 subscriptions added", "2 new contacts", "2 rows not imported"]),
    ],
)
def test_import_pages_count_in_the_right_number(client, editor, rows, words):
    client.force_login(editor)
    good = "".join(f"person{n}@example.org,Person {n}\n" for n in range(rows))
    bad = "".join(f"broken{n},Bad\n" for n in range(rows))
    upload(client, f"email,name\n{good}{bad}".encode())
    batch = ImportBatch.objects.get()
    preview = client.get(f"/staff/newsletters/import/{batch.pk}/").content.decode()
    if rows:
        assert ("1 row will not be imported." if rows == 1 else f"{rows} rows will not") in preview
    client.post(f"/staff/newsletters/import/{batch.pk}/")
    result = client.get(f"/staff/newsletters/import/{batch.pk}/result/").content.decode()
    for expected in words:
        assert expected in result
    assert "1 existing contacts" not in result
    assert "0 existing contacts updated" in result


def test_imported_consent_names_the_lawful_basis_in_lower_case(client, editor):
    client.force_login(editor)
    upload(client, b"email,name\nada@example.org,Ada\n", basis="consent")
    batch = ImportBatch.objects.get()
    client.post(f"/staff/newsletters/import/{batch.pk}/")
    contact = Subscription.objects.get().contact
    body = client.get(f"/staff/newsletters/contacts/{contact.pk}/").content.decode()
    assert "on the lawful basis of consent." in body
    assert "lawful basis of Consent" not in body


def test_import_result_of_an_unapplied_import_is_404(client, editor):
    client.force_login(editor)
    upload(client, b"email\nada@example.org\n")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PREVIEW
    assert client.get(f"/staff/newsletters/import/{batch.pk}/result/").status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"email\nada@example.org\n", "contacts.xlsx", "The selected file must be a CSV file"),
        ("email\nzoë@example.org\n".encode("latin-1"), "contacts.csv", "CSV UTF-8"),
        (b"mail\nada@example.org\n", "contacts.csv", "The first row must name the columns"),
    ],
)
def test_import_upload_rejects_files_it_cannot_read(client, editor, content, name, message):
    client.force_login(editor)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()
