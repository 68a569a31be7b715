"""Staff insights: counts of published entries, the SVG charts and the tables beside them."""

import re

import pytest

from members.directory.enums import Visibility
from members.directory.insights import NOT_GIVEN, Breakdown, Row, bar_chart_svg, directory_insights
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from tests.factories.members import ProfileFactory, topic
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = "/staff/directory/"


def counts(breakdowns, key) -> dict[str, int]:
    return {row.label: row.count for b in breakdowns if b.key == key for row in b.rows}


@pytest.fixture
def entries():
    sepsis = topic("Sepsis")
    return [
        ProfileFactory(
            visibility=Visibility.PUBLIC,
            region=Region.WALES,
            role_types=[RoleType.MANAGER, RoleType.RESEARCHER],
            topics=[sepsis],
        ),
        ProfileFactory(
            visibility=Visibility.MEMBERS,
            region=Region.WESSEX,
            role_types=[RoleType.MANAGER],
            organisation_type=OrganisationType.PRIMARY_CARE,
            topics=[sepsis],
        ),
        # Hidden entries are never counted, whatever they hold.
        ProfileFactory(
            visibility=Visibility.HIDDEN,
            region=Region.WALES,
            role_types=[RoleType.MANAGER],
            topics=[sepsis],
        ),
        ProfileFactory(visibility=Visibility.HIDDEN, region=Region.SCOTLAND),
    ]


def test_counts_only_published_entries(entries, staff_admin):
    breakdowns = directory_insights(staff_admin)
    assert breakdowns[0].total == 2
    assert counts(breakdowns, "region")["Wales"] == 1
    assert counts(breakdowns, "region")["Wessex"] == 1
    assert counts(breakdowns, "region")["Scotland"] == 0
    assert counts(breakdowns, "nation") == {
        "England": 1,
        "Scotland": 0,
        "Wales": 1,
        "Northern Ireland": 0,
    }
    assert counts(breakdowns, "topic")["Sepsis"] == 2
    assert counts(breakdowns, "organisation-type")["Acute (hospital) care"] == 1
    assert counts(breakdowns, "organisation-type")["Primary care"] == 1


def test_an_entry_counts_once_per_role_type(entries, staff_admin):
    roles = counts(directory_insights(staff_admin), "role-type")
    assert roles["Manager"] == 2
    assert roles["Researcher"] == 1
    assert roles["Frontline staff"] == 0


def test_entries_without_a_region_are_counted_as_not_given(staff_admin):
    ProfileFactory(visibility=Visibility.PUBLIC, region="")
    assert counts(directory_insights(staff_admin), "region")[NOT_GIVEN] == 1


def test_staff_owner_of_a_hidden_entry_does_not_see_it_counted(staff_admin):
    ProfileFactory(user=staff_admin, visibility=Visibility.HIDDEN)
    assert directory_insights(staff_admin)[0].total == 0


def test_insights_run_a_fixed_number_of_queries(staff_admin):
    sepsis = topic("Sepsis")

    def add(n):
        for i in range(n):
            ProfileFactory(
                visibility=Visibility.PUBLIC,
                region=list(Region)[i % 18],
                role_types=[RoleType.MANAGER, RoleType.EDUCATOR],
                topics=[sepsis],
            )

    add(1)
    queries = assert_constant_queries(lambda: directory_insights(staff_admin), add)
    assert queries == 5


def test_page_query_count_does_not_grow(client_for, staff_admin):
    client = client_for(staff_admin)

    def add(n):
        for _ in range(n):
            ProfileFactory(visibility=Visibility.MEMBERS, topics=[topic("Patient safety")])

    assert_constant_queries(lambda: client.get(URL), add, many=10)


def test_chart_and_table_show_the_same_numbers(entries, client_for, staff_admin):
    html = client_for(staff_admin).get(URL).content.decode()
    for key in ("region", "nation", "role-type", "organisation-type", "topic"):
        svg = re.search(rf'<svg[^>]*aria-labelledby="chart-{key}-title".*?</svg>', html, re.S)
        assert svg, key
        bars = re.findall(r'data-label="([^"]*)" data-count="(\d+)"', svg.group(0))
        table = re.search(rf'<table[^>]*data-breakdown="{key}".*?</table>', html, re.S)
        assert table, key
        cells = re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", table.group(0), re.S)
        table_rows = list(zip(cells[::2], cells[1::2], strict=True))
        assert [(label, count) for label, count in bars] == table_rows, key
        assert bars, key
    assert ">Wales</text>" in html
    assert "There are 2 published entries" in html


def test_chart_is_an_accessible_image_with_labelled_bars():
    breakdown = Breakdown(
        "region", "Entries by region", "Region", [Row("Wales", 3), Row("<Oxford>", 1)], 4
    )
    svg = str(bar_chart_svg(breakdown))
    assert 'role="img"' in svg
    assert '<title id="chart-region-title">Entries by region</title>' in svg
    assert 'aria-describedby="chart-region-desc"' in svg
    assert "&lt;Oxford&gt;" in svg
    assert "<Oxford>" not in svg
    widths = [float(w) for w in re.findall(r'<rect[^>]*width="([\d.]+)"', svg)]
    assert widths == [520.0, pytest.approx(173.3, abs=0.1)]
    assert ">3</text>" in svg
    assert ">1</text>" in svg


def test_chart_of_an_empty_directory_draws_empty_bars():
    svg = str(bar_chart_svg(Breakdown("nation", "By nation", "Nation", [Row("Wales", 0)], 0)))
    assert 'width="0"' in svg
    assert ">0</text>" in svg
