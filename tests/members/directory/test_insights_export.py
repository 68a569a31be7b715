"""The staff CSV export: columns, filters, privacy, the formula guard and the audit row."""

import csv
import io
import re

import pytest
from django.utils import timezone

from members.directory.enums import Visibility
from members.directory.models import Topic
from qcommunity.audit.models import AuditEntry
from qcommunity.core.exports import safe_cell
from qcommunity.core.taxonomy import Region, RoleType
from tests.factories.members import ProfileFactory, approach, offer, topic
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

URL = "/staff/directory/export.csv"


def download(client, params=None) -> list[dict[str, str]]:
    response = client.get(URL, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def staff_client(client_for, staff_admin):
    return client_for(staff_admin)


def test_export_has_the_staff_columns_and_no_email_addresses(staff_client):
    entry = ProfileFactory(
        visibility=Visibility.PUBLIC,
        user__full_name="Priya Shah",
        user__email="priya.shah@example.org",
        job_title="Quality lead",
        region=Region.WALES,
        role_types=[RoleType.MANAGER, RoleType.RESEARCHER],
        topics=[topic("Sepsis")],
        approaches=[approach("Lean")],
        offers=[offer("Mentoring")],
    )
    rows = download(staff_client)
    assert len(rows) == 1
    row = rows[0]
    assert row["Name"] == "Priya Shah"
    assert row["Job title"] == "Quality lead"
    assert row["Region"] == "Wales"
    assert row["Nation"] == "Wales"
    assert row["Role types"] == "Manager; Researcher"
    assert row["Topics"] == "Sepsis"
    assert row["Approaches"] == "Lean"
    assert row["Can offer"] == "Mentoring"
    assert row["Visibility"] == "Public"
    assert row["Directory entry"].endswith(f"/directory/{entry.slug}/")
    assert row["Published"] == ""
    full_text = staff_client.get(URL).getvalue().decode()
    assert "@" not in full_text
    assert "example.org" not in full_text


def test_export_leaves_out_hidden_entries(staff_client):
    ProfileFactory(visibility=Visibility.MEMBERS, user__full_name="Shown Person")
    ProfileFactory(visibility=Visibility.HIDDEN, user__full_name="Hidden Person")
    assert [r["Name"] for r in download(staff_client)] == ["Shown Person"]


def test_export_applies_the_directory_filters(staff_client):
    ProfileFactory(
        visibility=Visibility.PUBLIC,
        user__full_name="Wales Researcher",
        region=Region.WALES,
        role_types=[RoleType.RESEARCHER],
        topics=[topic("Sepsis")],
    )
    ProfileFactory(
        visibility=Visibility.PUBLIC,
        user__full_name="Wales Manager",
        region=Region.WALES,
        role_types=[RoleType.MANAGER],
    )
    ProfileFactory(
        visibility=Visibility.PUBLIC,
        user__full_name="Oxford Researcher",
        region=Region.OXFORD,
        role_types=[RoleType.RESEARCHER],
    )
    names = lambda params: sorted(r["Name"] for r in download(staff_client, params))  # noqa: E731
    assert names({"region": "wales"}) == ["Wales Manager", "Wales Researcher"]
    assert names({"nation": "england"}) == ["Oxford Researcher"]
    assert names({"role_type": "researcher"}) == ["Oxford Researcher", "Wales Researcher"]
    assert names({"region": "wales", "role_type": "researcher"}) == ["Wales Researcher"]
    assert names({"topic": "sepsis"}) == ["Wales Researcher"]
    assert names({"q": "Oxford"}) == ["Oxford Researcher"]
    # Unknown values are ignored rather than failing.
    assert len(names({"region": "atlantis", "topic": "no-such-topic"})) == 3


def select(html: str, name: str) -> tuple[str, list[tuple[str, str]]]:
    """The label and the (value, text) options of the select `name` on a page."""
    html = re.sub(r"\s+", " ", html)
    label = re.search(rf'for="id_{name}" > (.*?) </label>', html).group(1)
    options = re.search(rf'<select [^>]*name="{name}" >(.*?)</select>', html).group(1)
    return label, re.findall(r'<option value="([^"]*)" ?(?:selected)? ?>([^<]*)</option>', options)


def test_export_form_offers_one_value_a_group_any_first(staff_client):
    html = staff_client.get("/staff/directory/").content.decode()
    label, options = select(html, "region")
    assert label == "Region (optional)"
    assert options[:3] == [("", "Any region"), ("scotland", "Scotland"), ("wales", "Wales")]
    assert len(options) == len(Region) + 1
    assert select(html, "role_type")[0] == "Role type (optional)"
    assert select(html, "role_type")[1][0] == ("", "Any role type")
    assert select(html, "organisation_type")[1][0] == ("", "Any organisation type")
    label, options = select(html, "topic")
    assert label == "Topics (optional)"
    topics = list(Topic.objects.order_by("name").values_list("slug", "name"))
    assert options == [("", "Any topic"), *topics]
    assert select(html, "approach")[0] == "Approaches (optional)"
    assert select(html, "offer")[1][0] == ("", "Anything")


def test_export_guards_against_spreadsheet_formulas(staff_client):
    ProfileFactory(
        visibility=Visibility.PUBLIC,
        job_title='=HYPERLINK("http://evil.example")',
        organisation="+44 trust",
        user__full_name="@Someone",
    )
    row = download(staff_client)[0]
    assert row["Job title"] == '\'=HYPERLINK("http://evil.example")'
    assert row["Organisation"] == "'+44 trust"
    assert row["Name"] == "'@Someone"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("-2", "'-2"), ("@x", "'@x"), ("+x", "'+x"), ("plain", "plain"), ("", "")],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_export_is_named_for_its_filters(staff_client):
    response = staff_client.get(URL, {"region": "wales", "q": "Sepsis care", "topic": "nope"})
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="q-directory-q-sepsis-care-region-wales-{stamp}.csv"'
    )


def test_export_writes_an_audit_row(staff_client, staff_admin):
    ProfileFactory(visibility=Visibility.PUBLIC, region=Region.WALES)
    ProfileFactory(visibility=Visibility.PUBLIC, region=Region.OXFORD)
    download(staff_client, {"region": "wales", "topic": "no-such-topic"})
    entry = AuditEntry.objects.get(action="directory.export")
    assert entry.actor == staff_admin
    assert entry.data == {"filters": {"region": "wales"}, "rows": 1}


def test_export_query_count_does_not_grow_with_rows(staff_client):
    ProfileFactory(visibility=Visibility.PUBLIC, topics=[topic("Sepsis")])
    download(staff_client)
    first, _ = count_queries(lambda: download(staff_client))
    for _ in range(15):
        ProfileFactory(visibility=Visibility.PUBLIC, topics=[topic("Sepsis")])
    second, _ = count_queries(lambda: download(staff_client))
    assert first == second


def test_members_cannot_export(client_for, member):
    ProfileFactory(visibility=Visibility.PUBLIC)
    assert client_for(member).get(URL).status_code == 404
    assert not AuditEntry.objects.filter(action="directory.export").exists()
