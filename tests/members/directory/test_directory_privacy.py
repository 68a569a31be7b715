"""Hidden entries never reach the directory page (its list, search, every filter or its count)
for anyone but their owner and staff; members-only entries never reach visitors."""

import re

import pytest

from members.directory.enums import Visibility
from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory, approach, offer, topic

pytestmark = pytest.mark.django_db

SHARED = {
    "region": Region.WALES,
    "organisation_type": OrganisationType.UNIVERSITY,
    "role_types": [RoleType.RESEARCHER],
    "job_title": "Quality improvement lead",
    "working_on": "Reducing sepsis deaths",
}

# Every way of reaching an entry on the page, each matching all three entries below.
QUERIES = {
    "everything": {},
    "search by name": {"q": "Smith"},
    "search with typos": {"q": "Smiht"},
    "search by work": {"q": "sepsis"},
    "region": {"region": "wales"},
    "nation": {"nation": "wales"},
    "role type": {"role_type": "researcher"},
    "organisation type": {"organisation_type": "university"},
    "topic": {"topic": "sepsis"},
    "approach": {"approach": "__approach__"},
    "offer": {"offer": "__offer__"},
    "all filters": {
        "q": "Smith",
        "region": "wales",
        "nation": "wales",
        "role_type": "researcher",
        "organisation_type": "university",
        "topic": "sepsis",
        "approach": "__approach__",
        "offer": "__offer__",
    },
    "sorted by recently joined": {"sort": "recent"},
}


@pytest.fixture
def entries():
    terms = {
        "topics": [topic("Sepsis")],
        "approaches": [approach("Experience-based co-design")],
        "offers": [offer("Mentoring")],
    }
    return {
        visibility: ProfileFactory(
            visibility=visibility,
            user__full_name=f"{visibility.value.title()} Smith",
            **SHARED,
            **terms,
        )
        for visibility in Visibility
    }


def query(params: dict, entries) -> dict:
    a = entries[Visibility.PUBLIC].approaches.get().slug
    o = entries[Visibility.PUBLIC].offers.get().slug
    return {k: v.replace("__approach__", a).replace("__offer__", o) for k, v in params.items()}


def shown(client, params) -> tuple[set[str], str]:
    response = client.get("/directory/", params)
    assert response.status_code == 200
    body = response.content.decode()
    slugs = set(re.findall(r'class="nhsuk-card__link" href="/directory/([^/"]+)/"', body))
    count = re.search(r'<h2 id="directory-count"[^>]*>([^<]*)</h2>', body).group(1).strip()
    return slugs, count


def expect(client, entries, visible: list[Visibility]) -> None:
    wanted = {entries[v].slug for v in visible}
    noun = "member" if len(wanted) == 1 else "members"
    for label, params in QUERIES.items():
        slugs, count = shown(client, query(params, entries))
        assert slugs == wanted, label
        assert count == f"{len(wanted)} {noun} found", label
        # the htmx partial tells the same story
        partial = client.get("/directory/", query(params, entries), HTTP_HX_REQUEST="true")
        body = partial.content.decode()
        assert f">{len(wanted)} {noun} found</h2>" in body, label
        for v in Visibility:
            assert (f"/directory/{entries[v].slug}/" in body) == (v in visible), (label, v)


def test_visitors_see_only_public_entries(client, entries):
    expect(client, entries, [Visibility.PUBLIC])


def test_signed_in_non_members_see_only_public_entries(client, entries):
    client.force_login(UserFactory())
    expect(client, entries, [Visibility.PUBLIC])


def test_members_see_public_and_members_only_entries_never_hidden_ones(client, entries):
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    expect(client, entries, [Visibility.PUBLIC, Visibility.MEMBERS])


def test_staff_see_every_entry(client, entries, staff_admin):
    client.force_login(staff_admin)
    expect(client, entries, list(Visibility))


def test_owner_sees_their_own_hidden_entry(client, entries):
    client.force_login(entries[Visibility.HIDDEN].user)
    expect(client, entries, list(Visibility))


def test_entry_of_a_deactivated_account_is_gone(client, entries):
    user = entries[Visibility.PUBLIC].user
    user.is_active = False
    user.save(update_fields=["is_active"])
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    expect(client, entries, [Visibility.MEMBERS])
