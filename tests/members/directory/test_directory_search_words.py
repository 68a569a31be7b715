"""`/directory/?q=`: the words people type for a region, a role type or an organisation type
find the members they describe, and typos in organisations and topics are forgiven as typos in
names are. Each entry in these tests is in a different region with a different role and
organisation, so a match on the wrong field shows up as an extra name."""

import pytest

from members.directory.enums import Visibility
from members.directory.services import profile_refresh_search, profile_update
from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory, topic
from tests.members.directory.test_search import get, names

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Three published entries that share no region, role, organisation type or topic."""
    return {
        "wendy": ProfileFactory(
            visibility=Visibility.PUBLIC,
            user__full_name="Wendy Ward",
            region=Region.WESSEX,
            role_types=[RoleType.PATIENT_LEADER],
            organisation="Southampton Carers Forum",
            organisation_type=OrganisationType.VOLUNTARY,
            topics=[topic("Sepsis")],
        ),
        "owen": ProfileFactory(
            visibility=Visibility.PUBLIC,
            user__full_name="Owen Orr",
            region=Region.OXFORD,
            role_types=[RoleType.RESEARCHER],
            organisation="Radcliffe Institute",
            organisation_type=OrganisationType.UNIVERSITY,
            topics=[topic("Dementia")],
        ),
        "gail": ProfileFactory(
            visibility=Visibility.PUBLIC,
            user__full_name="Gail Grey",
            region=Region.GREATER_MANCHESTER,
            role_types=[RoleType.MANAGER],
            organisation="Salford Royal",
            organisation_type=OrganisationType.ACUTE,
            topics=[topic("Mental health")],
        ),
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Wessex", ["Wendy Ward"]),  # a region's name
        ("Wesex", ["Wendy Ward"]),  # ... with a typo
        ("Greater Manchester", ["Gail Grey"]),
        ("patient leader", ["Wendy Ward"]),  # a role type
        ("researcher", ["Owen Orr"]),
        ("university", ["Owen Orr"]),  # an organisation type
        ("voluntary sector", ["Wendy Ward"]),
        ("Radclife Institute", ["Owen Orr"]),  # an organisation, with a typo
        ("Salfrd Royal", ["Gail Grey"]),
        ("Dementa", ["Owen Orr"]),  # a topic, with a typo
        ("sepssis", ["Wendy Ward"]),
        ("Jonh Smiht", []),  # and names still work as before (nobody of that name here)
        ("Owen Ort", ["Owen Orr"]),
    ],
)
def test_the_words_people_type_find_who_they_describe(client, people, query, found):
    assert names(get(client, q=query)) == found


def test_a_member_who_moves_region_is_found_under_the_new_one(client, people):
    wendy = people["wendy"]
    fields = {"region": Region.OXFORD}
    profile_update(profile=wendy, actor=wendy.user, fields=fields)
    assert names(get(client, q="Wessex")) == []
    assert names(get(client, q="Oxford")) == ["Owen Orr", "Wendy Ward"]


def test_refreshing_many_entries_at_once_fills_the_labels_for_each(client):
    made = [
        ProfileFactory(
            visibility=Visibility.PUBLIC,
            user__full_name=f"Person {n}",
            region=region,
            role_types=[],
        )
        for n, region in enumerate([Region.WALES, Region.SCOTLAND, Region.WALES])
    ]
    profile_refresh_search(profile_ids=[p.pk for p in made])
    assert names(get(client, q="Wales")) == ["Person 0", "Person 2"]
    assert names(get(client, q="Scotland")) == ["Person 1"]


def test_every_search_condition_can_be_read_from_its_gin_index_on_thousands_of_rows():
    """With 5,000 seeded users (about 3,000 entries) each of the three search conditions is
    answerable from its own GIN index (a BitmapOr of the three), so none of them forces a scan
    of every row. At this size the planner may still prefer a sequential scan, which is
    cheaper here, so sequential scans are priced out for the check; with about 12,000 entries
    it picks these indexes unprompted."""
    from django.db import connection

    from bench.seed import seed_users
    from members.directory.selectors import profile_search, profiles_visible_to

    seed_users(5000)
    staff = UserFactory(roles=[Role.STAFF_ADMIN])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_profile")
        cursor.execute("SET LOCAL enable_seqscan = off")
    for query in ("Wessex", "Wesex", "Jonh Smiht", "patient leader", "Radclife Institute"):
        # As staff search (every entry), so the search conditions are all that narrows it.
        plan = profile_search(profiles_visible_to(staff), query).explain()
        assert "BitmapOr" in plan, plan
        for index in (
            "profile_search_vector_idx",
            "profile_name_codes_idx",
            "profile_search_terms_trgm",
        ):
            assert index in plan, (query, plan)
