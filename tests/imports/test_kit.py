"""The import kit through its staff pages, with a small kind of its own (topics): file errors,
row errors, a preview that writes nothing, applying once, refusing a second apply, discarding,
and who may use it."""

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.directory.models import Topic
from qcommunity.accounts.models import User
from qcommunity.audit.models import AuditEntry
from qcommunity.imports.enums import ImportStatus
from qcommunity.imports.models import DataImport, ImportedRecord
from qcommunity.imports.selectors import imports_awaiting_confirmation
from qcommunity.outbox.models import OutboxEmail
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import UserFactory
from tests.html_checks import visible_text

from .topics_kind import KEY

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:import-upload", kwargs={"kind": KEY})


def topics():
    return Topic.objects.filter(name__startswith="Kit ")


def upload(client, content: bytes, name: str = "topics.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def uploaded(client, content: bytes) -> DataImport:
    response = upload(client, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    return DataImport.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def test_list_shows_kinds_and_past_imports(client_for, staff_admin, topics_kind):
    client = client_for(staff_admin)
    data_import = uploaded(client, b"name\nKit safety\n")
    page = client.get(reverse("imports:import-list"))
    text = visible_text(page)
    assert "Test topics" in text
    assert "Past Q Exchange rounds" in text
    assert "Past members" in text
    assert f"#{data_import.pk} topics.csv" in text
    assert "Waiting for confirmation" in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("topics.xlsx", b"PK\x03\x04rest", "The selected file is a spreadsheet"),
        ("topics.csv", b"PK\x03\x04rest-of-a-zip", "The selected file is a spreadsheet"),
        ("topics.csv", b"name\n\x00\x01\x02", "not a text file"),
        ("topics.csv", "name\nCafé\n".encode("latin-1"), "must be saved as UTF-8"),
        ("topics.csv", b"", "The submitted file is empty"),
        ("topics.csv", b"\n\n", "The selected file is empty"),
        ("topics.json", b"name\nKit safety\n", "must be a CSV file"),
        ("topics.csv", b"title\nKit safety\n", "Missing columns: name"),
    ],
)
def test_file_errors_are_shown_and_nothing_kept(
    client_for, staff_admin, topics_kind, name, content, message
):
    response = upload(client_for(staff_admin), content, name)
    assert response.status_code == 200
    text = visible_text(response)
    assert "There is a problem" in text
    assert message in text
    assert not DataImport.objects.exists()


def test_file_too_large_is_refused(client_for, staff_admin, topics_kind):
    content = b"name\n" + b"x" * (5 * 1024 * 1024)
    response = upload(client_for(staff_admin), content)
    assert "must be smaller than 5MB" in visible_text(response)
    assert not DataImport.objects.exists()


def test_row_errors_are_all_listed_and_no_confirm_button(client_for, staff_admin, topics_kind):
    client = client_for(staff_admin)
    data_import = uploaded(client, b"name\nKit safety\n" + b"x" * 101 + b"\nA,B\n")
    page = client.get(reverse("imports:import-detail", kwargs={"pk": data_import.pk}))
    text = visible_text(page)
    assert "There is a problem with the file" in text
    assert "2 problems were found. Nothing has been imported." in text
    assert "Row 3: The name is too long." in text
    assert "Row 4: The row has the wrong number of values." in text
    assert "Confirm and import" not in text
    assert "Fix the file and upload it again" in text
    assert 'href="#problem-1"' in page.content.decode()
    apply = client.post(reverse("imports:import-apply", kwargs={"pk": data_import.pk}))
    assert apply.status_code == 302
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.PREVIEWED
    assert not topics().exists()


def test_preview_writes_nothing_but_the_import(client_for, staff_admin, topics_kind):
    Topic.objects.create(name="Kit safety", slug="kit-safety")
    client = client_for(staff_admin)
    data_import = uploaded(client, b"name\nKit safety\nKit flow\nKit equity\n")
    assert topics().count() == 1
    assert not ImportedRecord.objects.exists()
    page = client.get(reverse("imports:import-detail", kwargs={"pk": data_import.pk}))
    text = visible_text(page)
    assert "Nothing has been saved yet." in text
    assert "Topic 2 1" in text  # will be created, already there
    assert "Confirm and import" in text
    assert AuditEntry.objects.filter(action="import.preview").count() == 1
    assert list(imports_awaiting_confirmation()) == [data_import]


def test_apply_once_then_refused(client_for, staff_admin, topics_kind):
    client = client_for(staff_admin)
    data_import = uploaded(client, b"name\nKit flow\nKit equity\n")
    url = reverse("imports:import-apply", kwargs={"pk": data_import.pk})
    response = client.post(url)
    assert response.url == reverse("imports:import-detail", kwargs={"pk": data_import.pk})
    result = client.get(response.url)
    text = visible_text(result)
    assert f"Import #{data_import.pk} complete" in text
    assert "Topic: Kit flow" in text
    assert "Topic: Kit equity" in text
    assert sorted(topics().values_list("name", flat=True)) == ["Kit equity", "Kit flow"]
    assert ImportedRecord.objects.filter(kind=KEY).count() == 2
    second = client.post(url, follow=True)
    assert "This import has already been applied." in visible_text(second)
    assert topics().count() == 2
    assert AuditEntry.objects.filter(action="import.apply").count() == 1
    assert list(imports_awaiting_confirmation()) == []
    assert not OutboxEmail.objects.exists()


def test_same_file_again_creates_nothing(client_for, staff_admin, topics_kind):
    client = client_for(staff_admin)
    first = uploaded(client, b"name\nKit flow\n")
    client.post(reverse("imports:import-apply", kwargs={"pk": first.pk}))
    # Renamed since: the key recorded by the first import still holds.
    Topic.objects.filter(name="Kit flow").update(name="Kit flow of patients")
    second = uploaded(client, b"name\nKit flow\nKit equity\n")
    assert second.preview["types"] == [{"type": "Topic", "create": 1, "unchanged": 1}]
    client.post(reverse("imports:import-apply", kwargs={"pk": second.pk}))
    assert sorted(topics().values_list("name", flat=True)) == ["Kit equity", "Kit flow of patients"]


def test_stale_preview_is_checked_again_at_apply(client_for, staff_admin, topics_kind):
    """Two previews of overlapping files: the second applied after the first creates only what
    is still missing."""
    client = client_for(staff_admin)
    one = uploaded(client, b"name\nKit flow\n")
    two = uploaded(client, b"name\nKit flow\nKit equity\n")
    client.post(reverse("imports:import-apply", kwargs={"pk": one.pk}))
    client.post(reverse("imports:import-apply", kwargs={"pk": two.pk}))
    two.refresh_from_db()
    assert [c["label"] for c in two.result["created"]] == ["Kit equity"]
    assert topics().count() == 2


def test_discard(client_for, staff_admin, topics_kind):
    client = client_for(staff_admin)
    data_import = uploaded(client, b"name\nKit flow\n")
    response = client.post(
        reverse("imports:import-discard", kwargs={"pk": data_import.pk}), follow=True
    )
    assert "was discarded. Nothing was imported." in visible_text(response)
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.DISCARDED
    assert bytes(data_import.content) == b""
    apply = client.post(reverse("imports:import-apply", kwargs={"pk": data_import.pk}), follow=True)
    assert "This import was discarded." in visible_text(apply)
    assert not topics().exists()
    page = client.get(reverse("imports:import-detail", kwargs={"pk": data_import.pk}))
    assert "Confirm and import" not in visible_text(page)
    again = client.post(
        reverse("imports:import-discard", kwargs={"pk": data_import.pk}), follow=True
    )
    assert "already discarded" in visible_text(again)
    assert AuditEntry.objects.filter(action="import.discard").count() == 1


def test_applied_import_cannot_be_discarded(client_for, staff_admin, topics_kind):
    client = client_for(staff_admin)
    data_import = uploaded(client, b"name\nKit flow\n")
    client.post(reverse("imports:import-apply", kwargs={"pk": data_import.pk}))
    response = client.post(
        reverse("imports:import-discard", kwargs={"pk": data_import.pk}), follow=True
    )
    assert "cannot be discarded" in visible_text(response)
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.APPLIED


@pytest.mark.parametrize("roles", [[], ["member"], ["editor"], ["exchange_moderator"]])
def test_only_staff_admins(client, staff_admin, topics_kind, roles):
    data_import = uploaded(client_for_admin(client, staff_admin), b"name\nKit flow\n")
    client.logout()
    other = UserFactory(roles=roles)
    TOTP.activate(other, TOTP_SECRET)  # two-factor roles pass it: the refusal is the rule's
    client.force_login(other)
    for url in (
        reverse("imports:import-list"),
        UPLOAD,
        reverse("imports:import-detail", kwargs={"pk": data_import.pk}),
    ):
        assert client.get(url).status_code == 404
    assert upload(client, b"name\nKit equity\n").status_code == 404
    for name in ("imports:import-apply", "imports:import-discard"):
        assert client.post(reverse(name, kwargs={"pk": data_import.pk})).status_code == 404
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.PREVIEWED
    assert not topics().exists()


def client_for_admin(client, admin):
    client.force_login(admin)
    return client


def test_unknown_kind_is_not_found(client_for, staff_admin):
    response = client_for(staff_admin).get(
        reverse("imports:import-upload", kwargs={"kind": "nope"})
    )
    assert response.status_code == 404


def test_list_query_count_is_constant(client_for, staff_admin, topics_kind):
    from tests.querycount import assert_constant_queries

    client = client_for(staff_admin)
    uploaded(client, b"name\nKit flow\n")

    def add(n):
        for i in range(n):
            DataImport.objects.create(
                kind=KEY,
                filename=f"t{i}.csv",
                file_format="csv",
                sha256="0" * 64,
                content=b"name\n",
                created_by=UserFactory(),
            )

    assert_constant_queries(lambda: client.get(reverse("imports:import-list")), add, many=30)


def test_applied_import_keeps_no_file(client_for, staff_admin, topics_kind):
    client = client_for(staff_admin)
    data_import = uploaded(client, b"name\nKit flow\n")
    client.post(reverse("imports:import-apply", kwargs={"pk": data_import.pk}))
    data_import.refresh_from_db()
    assert bytes(data_import.content) == b""
    assert data_import.sha256


def test_deleting_an_account_removes_it_from_import_files_and_pages(client_for, staff_admin):
    from qcommunity.privacy.services import account_delete

    client = client_for(staff_admin)
    waiting = client.post(
        reverse("imports:import-upload", kwargs={"kind": "past-members"}),
        {
            "file": SimpleUploadedFile(
                "m.csv",
                b"name,email,region,joined\nZed Quill,zed.quill@example.org,Wales,2017-01-01\n"
                b"Amy Other,amy.other@example.org,Wales,2017-01-01\n",
            )
        },
    )
    assert waiting.status_code == 302
    applied = DataImport.objects.get()
    client.post(reverse("imports:import-apply", kwargs={"pk": applied.pk}))
    again = client.post(
        reverse("imports:import-upload", kwargs={"kind": "past-members"}),
        {
            "file": SimpleUploadedFile(
                "again.csv",
                b"name,email,region,joined\nZed Quill,zed.quill@example.org,Wales,2017-01-01\n",
            )
        },
    )
    again = DataImport.objects.get(filename="again.csv")
    assert b"zed.quill" in bytes(again.content)
    zed = User.objects.get(email="zed.quill@example.org")
    account_delete(user=zed)
    for data_import in (applied, again):
        data_import.refresh_from_db()
        shown = json.dumps([data_import.preview, data_import.result])
        assert "zed" not in shown.lower()
        assert bytes(data_import.content) == b""
    assert "Amy Other (amy.other@example.org)" in json.dumps(applied.result)
    page = visible_text(client.get(reverse("imports:import-detail", kwargs={"pk": applied.pk})))
    assert "Former member (Former member)" in page


def test_demo_has_one_import_waiting_for_confirmation(client_for):
    from qcommunity.imports.demo import seed_imports

    admin = UserFactory(email="admin@demo.q.example", roles=["staff_admin"])
    assert seed_imports() == 1
    assert seed_imports() == 0
    waiting = list(imports_awaiting_confirmation())
    assert [w.kind for w in waiting] == ["past-members"]
    assert waiting[0].preview["errors"] == []
    assert waiting[0].created_by == admin
