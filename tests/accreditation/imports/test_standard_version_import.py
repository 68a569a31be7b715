"""Importing a standard's version from CSV or JSON through the import kit: the preview lists
row errors before anything is written; applying makes a new draft through the services."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accreditation.standards import services
from accreditation.standards.files import CSV_HEADER, version_csv_rows, version_document
from accreditation.standards.models import StandardVersion
from accreditation.standards.selectors import version_get, version_outline
from qcommunity.imports.models import DataImport
from qcommunity.imports.services import data_import_apply, data_import_create

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:import-upload", kwargs={"kind": "standard-version"})


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def _content(version) -> tuple:
    """Each domain's criteria in order, and the levels in order."""
    version = version_get(version.standard.slug, version.number)
    return (
        [
            (
                part.domain.code,
                part.domain.title,
                [(c.code, c.text, c.is_minimum, c.scopes) for c in part.criteria],
            )
            for part in version_outline(version)
        ],
        [(lv.name, lv.description, lv.minimum_only) for lv in version.levels.all()],
    )


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_an_exported_version_imports_as_an_identical_new_draft(staff_admin, published, file_format):
    full = version_get(published.standard.slug, 1)
    data = (
        _csv(version_csv_rows(full))
        if file_format == "csv"
        else json.dumps(version_document(full)).encode()
    )
    data_import = data_import_create(
        actor=staff_admin, kind_key="standard-version", filename=f"v1.{file_format}", data=data
    )
    assert data_import.preview["errors"] == []
    assert {t["type"]: t["create"] for t in data_import.preview["types"]} == {
        "Version": 1,
        "Domain": 2,
        "Criterion": 3,
        "Level": 2,
    }
    assert StandardVersion.objects.count() == 1  # the preview wrote nothing
    data_import_apply(actor=staff_admin, data_import=data_import)
    draft = StandardVersion.objects.get(number=2)
    assert (draft.status, draft.created_by) == ("draft", staff_admin)
    assert _content(draft) == _content(published)


def test_the_preview_lists_every_row_error_and_nothing_is_written(
    client_for, staff_admin, published
):
    data = _csv(
        [
            ["self-management", "domain", "D1", "Leadership", "", "", "", "", "", ""],
            ["self-management", "criterion", "C1", "", "D7", "Text", "", "", "maybe", "provider"],
            ["self-management", "criterion", "C1", "", "D1", "Text", "", "", "no", "patients"],
            ["self-management", "chapter", "X", "", "", "", "", "", "", ""],
        ]
    )
    client = client_for(staff_admin)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("bad.csv", data)}, follow=True)
    page = response.text
    for message in (
        "“D7” is not a domain in the file.",
        "“minimum_requirement” must be yes or no.",
        "“patients” is not a scope",
        "The same criterion code as Row 3.",
        "“type” must be domain, criterion or level.",
    ):
        assert message in page
    assert "Row 4" in page
    data_import = DataImport.objects.get()
    with pytest.raises(Exception, match="errors"):
        data_import_apply(actor=staff_admin, data_import=data_import)
    assert StandardVersion.objects.count() == 1


def test_a_standard_with_a_draft_or_an_unknown_standard_is_refused(staff_admin, draft):
    full = version_get(draft.standard.slug, 1)
    data = _csv(version_csv_rows(full))
    preview = data_import_create(
        actor=staff_admin, kind_key="standard-version", filename="v.csv", data=data
    ).preview
    assert preview["errors"] == [
        {
            "where": "The file",
            "message": "Self-management education already has a draft, version 1. Publish or "
            "delete it before importing another.",
        }
    ]
    unknown = data.replace(b"self-management,", b"nothing-here,")
    preview = data_import_create(
        actor=staff_admin, kind_key="standard-version", filename="v.csv", data=unknown
    ).preview
    assert preview["errors"][0]["message"] == "There is no standard “nothing-here”."


def test_the_same_file_twice_makes_one_draft(coordinator, staff_admin, published):
    data = json.dumps(version_document(version_get(published.standard.slug, 1))).encode()
    first = data_import_create(
        actor=staff_admin, kind_key="standard-version", filename="v.json", data=data
    )
    data_import_apply(actor=staff_admin, data_import=first)
    services.version_publish(
        actor=coordinator,
        version=StandardVersion.objects.get(number=2),
        change_summary="Imported.",
    )
    again = data_import_create(
        actor=staff_admin, kind_key="standard-version", filename="v.json", data=data
    )
    assert again.preview["create"] == []
    data_import_apply(actor=staff_admin, data_import=again)
    assert StandardVersion.objects.count() == 2


def test_a_file_that_is_not_a_version_is_refused_whole(client_for, staff_admin):
    client = client_for(staff_admin)
    response = client.post(
        UPLOAD, {"file": SimpleUploadedFile("v.json", b'["not", "a", "version"]')}
    )
    assert "The file must be one JSON object" in response.text
    assert not DataImport.objects.exists()


def test_the_example_file_imports_cleanly(staff_admin):
    from pathlib import Path

    from django.conf import settings

    from accreditation.demo import seed_standards
    from qcommunity.core.demo import seed_accounts

    seed_accounts()
    seed_standards()
    draft = StandardVersion.objects.get(status="draft")
    services.version_discard(actor=staff_admin, version=draft)
    example = Path(settings.BASE_DIR) / "docs" / "imports" / "standard-version.example.csv"
    data_import = data_import_create(
        actor=staff_admin,
        kind_key="standard-version",
        filename="standard-version.example.csv",
        data=example.read_bytes(),
    )
    assert data_import.preview["errors"] == []
    data_import_apply(actor=staff_admin, data_import=data_import)
    imported = StandardVersion.objects.get(status="draft")
    assert imported.criteria.get(code="1.2").scopes == ["deliverers", "trainers"]
    assert services.version_problems(imported) == []


def test_staff_admins_find_the_import_from_the_standards_page(client_for, staff_admin, draft):
    page = client_for(staff_admin).get(
        reverse("accreditation-staff:standard-detail", args=[draft.standard.slug])
    )
    assert UPLOAD not in page.text  # a draft is waiting: no new version now
    services.version_discard(actor=staff_admin, version=draft)
    page = client_for(staff_admin).get(
        reverse("accreditation-staff:standard-detail", args=[draft.standard.slug])
    )
    assert UPLOAD in page.text
